package org.atomstore.model;

import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * An N-dimensional array as NumPy holds it: a dtype in NumPy's {@code dtype.str} spelling (byte order, kind,
 * item size: {@code <f8}, {@code >i4}, {@code |b1}, {@code <U3}, {@code |S5}, {@code <c16}, {@code <M8[ns]}),
 * a shape, and the raw element bytes in C order in the dtype's byte order. The one array value shared by the
 * formats that carry NumPy arrays: asebytes' msgpack-numpy values, atdata's NDArray fields and Zarr chunks.
 *
 * <p>Immutable by contract: {@code data} is not copied, and the caller must not change it after handing it in.
 */
public record NdArray(String dtype, long[] shape, byte[] data) {

  /** The largest number of dimensions accepted (NumPy's own limit). */
  public static final int MAX_DIMS = 64;

  public NdArray {
    Objects.requireNonNull(dtype, "dtype");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(data, "data");
    if (shape.length > MAX_DIMS) throw new IllegalArgumentException(shape.length + " dimensions, more than " + MAX_DIMS);
    int item = itemSize(dtype);
    long n = 1;
    for (long d : shape) {
      if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      n = Math.multiplyExact(n, d);
    }
    if (Math.multiplyExact(n, (long) item) != data.length) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " of " + dtype + " needs " + n * item
          + " bytes, got " + data.length);
    }
  }

  /** The number of elements (1 for a 0-d array). */
  public long length() {
    long n = 1;
    for (long d : shape) n *= d;
    return n;
  }

  /** NumPy's kind character: {@code b i u f c U S M m V O}. */
  public char kind() { return kind(dtype); }

  /** Bytes per element. */
  public int itemSize() { return itemSize(dtype); }

  /** The element byte order; native (little-endian here) for {@code |} dtypes. */
  public ByteOrder order() { return dtype.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN; }

  /** NumPy's kind character of a {@code dtype.str}. */
  public static char kind(String dtype) {
    checkSpelling(dtype);
    return dtype.charAt(1);
  }

  /** The item size of a {@code dtype.str}: {@code <U3} is 12 bytes (UTF-32), {@code |S5} 5. */
  public static int itemSize(String dtype) {
    checkSpelling(dtype);
    int end = dtype.indexOf('[');
    String digits = dtype.substring(2, end < 0 ? dtype.length() : end);
    int n;
    try {
      n = Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a NumPy dtype string: " + dtype);
    }
    if (n < 0 || n > (1 << 24)) throw new IllegalArgumentException("item size out of range in dtype " + dtype);
    return dtype.charAt(1) == 'U' ? Math.multiplyExact(n, 4) : n;
  }

  private static void checkSpelling(String dtype) {
    if (dtype.length() < 3 || "<>|=".indexOf(dtype.charAt(0)) < 0) {
      throw new IllegalArgumentException("not a NumPy dtype string: " + dtype);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NdArray a && dtype.equals(a.dtype) && Arrays.equals(shape, a.shape) && Arrays.equals(data, a.data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(dtype, Arrays.hashCode(shape), Arrays.hashCode(data));
  }

  @Override
  public String toString() {
    return "NdArray[" + dtype + " " + Arrays.toString(shape) + "]";
  }
}
