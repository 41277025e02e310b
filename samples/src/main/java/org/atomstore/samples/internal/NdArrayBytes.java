package org.atomstore.samples.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.atomstore.model.NdArray;

/**
 * atdata's NDArray bytes: the compact format written since atdata 0.3.0b2 and the legacy {@code .npy} format
 * read too.
 *
 * <pre>
 * Compact --> dtypeLen:u8, dtype:ascii[dtypeLen], ndim:u8, shape:i64le[ndim], elements (C order, dtype's byte order)
 * Npy     --> "\x93NUMPY", major:u8, minor:u8, headerLen:u16le (v1) | u32le (v2, v3), header:ascii, elements
 * </pre>
 *
 * <p>Stateless; every method is thread-safe. Every length and shape is checked against the bytes present
 * before anything is allocated.
 */
public final class NdArrayBytes {
  private static final byte[] NPY_MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private NdArrayBytes() {}

  /** What one NDArray value was, as read: the array and how it was stored. */
  public record Decoded(NdArray array, boolean npy, int headerLength, int npyMajor, int npyMinor, String npyHeader,
      boolean fortranOrder) {}

  /** The compact bytes of {@code a}. */
  public static byte[] encode(NdArray a) {
    byte[] dt = a.dtype().getBytes(StandardCharsets.US_ASCII);
    if (dt.length > 255) throw new IllegalArgumentException("dtype string too long: " + a.dtype());
    long[] shape = a.shape();
    byte[] out = new byte[headerLength(dt.length, shape.length) + a.data().length];
    writeHeader(out, dt, shape);
    System.arraycopy(a.data(), 0, out, out.length - a.data().length, a.data().length);
    return out;
  }

  /** The compact header length for a dtype string of {@code dtypeLen} bytes and {@code ndim} dimensions. */
  public static int headerLength(int dtypeLen, int ndim) {
    return 2 + dtypeLen + 8 * ndim;
  }

  /** Writes the compact header at the start of {@code out}. */
  public static void writeHeader(byte[] out, byte[] dtype, long[] shape) {
    out[0] = (byte) dtype.length;
    System.arraycopy(dtype, 0, out, 1, dtype.length);
    out[1 + dtype.length] = (byte) shape.length;
    var bb = ByteBuffer.wrap(out, 2 + dtype.length, 8 * shape.length).order(ByteOrder.LITTLE_ENDIAN);
    for (long d : shape) bb.putLong(d);
  }

  /** Whether the bytes start as a {@code .npy} file does. */
  public static boolean isNpy(byte[] b) {
    return b.length >= NPY_MAGIC.length && Arrays.equals(b, 0, NPY_MAGIC.length, NPY_MAGIC, 0, NPY_MAGIC.length);
  }

  /**
   * Decodes NDArray bytes (either format, chosen as atdata does: {@code .npy} when they start with its magic).
   *
   * @throws IllegalArgumentException naming the problem when the bytes are not a valid array (the caller adds
   *     shard, member and field)
   */
  public static Decoded decode(byte[] b) {
    return isNpy(b) ? decodeNpy(b) : decodeCompact(b);
  }

  private static Decoded decodeCompact(byte[] b) {
    if (b.length < 2) throw new IllegalArgumentException("NDArray bytes too short: " + b.length + " bytes");
    int dtLen = b[0] & 0xff;
    if (dtLen < 3 || 1 + dtLen + 1 > b.length) {
      throw new IllegalArgumentException("NDArray dtype length " + dtLen + " does not fit in " + b.length + " bytes");
    }
    String dtype = new String(b, 1, dtLen, StandardCharsets.US_ASCII);
    int ndim = b[1 + dtLen] & 0xff;
    if (ndim > NdArray.MAX_DIMS) throw new IllegalArgumentException("NDArray ndim " + ndim + " > " + NdArray.MAX_DIMS);
    int header = headerLength(dtLen, ndim);
    if (header > b.length) {
      throw new IllegalArgumentException("NDArray shape of " + ndim + " dimensions runs past the " + b.length + " bytes");
    }
    var bb = ByteBuffer.wrap(b, 2 + dtLen, 8 * ndim).order(ByteOrder.LITTLE_ENDIAN);
    long[] shape = new long[ndim];
    for (int i = 0; i < ndim; i++) shape[i] = bb.getLong();
    byte[] data = elements(dtype, shape, b, header);
    return new Decoded(new NdArray(dtype, shape, data), false, header, 0, 0, null, false);
  }

  private static Decoded decodeNpy(byte[] b) {
    if (b.length < 10) throw new IllegalArgumentException(".npy bytes too short: " + b.length + " bytes");
    int major = b[6] & 0xff;
    int minor = b[7] & 0xff;
    long hlen;
    int start;
    if (major == 1) {
      hlen = (b[8] & 0xff) | (b[9] & 0xff) << 8;
      start = 10;
    } else if (major == 2 || major == 3) {
      if (b.length < 12) throw new IllegalArgumentException(".npy bytes too short: " + b.length + " bytes");
      hlen = ByteBuffer.wrap(b, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
      start = 12;
    } else {
      throw new IllegalArgumentException(".npy version " + major + "." + minor + " not supported");
    }
    if (start + hlen > b.length) {
      throw new IllegalArgumentException(".npy header length " + hlen + " runs past the " + b.length + " bytes");
    }
    String header = new String(b, start, (int) hlen, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    Matcher d = DESCR.matcher(header);
    Matcher f = FORTRAN.matcher(header);
    Matcher s = SHAPE.matcher(header);
    if (!d.find() || !f.find() || !s.find()) {
      throw new IllegalArgumentException(".npy header is not a plain array header: " + header.strip());
    }
    String dtype = d.group(1);
    boolean fortran = f.group(1).equals("True");
    long[] shape = parseShape(s.group(1));
    int dataStart = start + (int) hlen;
    byte[] data = elements(dtype, shape, b, dataStart);
    if (fortran && shape.length > 1) data = fortranToC(data, shape, NdArray.itemSize(dtype));
    return new Decoded(new NdArray(dtype, shape, data), true, dataStart, major, minor, header, fortran);
  }

  private static long[] parseShape(String text) {
    String[] parts = text.split(",");
    int n = 0;
    for (String p : parts) if (!p.isBlank()) n++;
    if (n > NdArray.MAX_DIMS) throw new IllegalArgumentException(".npy ndim " + n + " > " + NdArray.MAX_DIMS);
    long[] shape = new long[n];
    int i = 0;
    for (String p : parts) {
      if (p.isBlank()) continue;
      try {
        shape[i++] = Long.parseLong(p.strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(".npy shape is not integers: (" + text + ")");
      }
    }
    return shape;
  }

  /** The element bytes after {@code start}, checked to be exactly what dtype and shape need. */
  private static byte[] elements(String dtype, long[] shape, byte[] b, int start) {
    char kind;
    int item;
    try {
      kind = NdArray.kind(dtype);
      item = NdArray.itemSize(dtype);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("NDArray dtype " + quote(dtype) + " is not a NumPy dtype string");
    }
    if (kind == 'O' || kind == 'V') throw new IllegalArgumentException("NDArray dtype " + dtype + " not supported");
    // The product of the non-zero dimensions is bounded by the bytes present (hostile shapes never overflow);
    // a zero dimension makes the array empty.
    long n = item;
    boolean empty = false;
    for (long dim : shape) {
      if (dim < 0) throw new IllegalArgumentException("NDArray shape " + Arrays.toString(shape) + " has a negative dimension");
      if (dim == 0) { empty = true; continue; }
      n = multiplyCapped(n, dim, b.length);
      if (n > b.length) {
        throw new IllegalArgumentException("NDArray " + dtype + " " + Arrays.toString(shape) + " needs more than the "
            + b.length + " bytes present");
      }
    }
    if (empty) n = 0;
    long present = b.length - start;
    if (n != present) {
      throw new IllegalArgumentException("NDArray " + dtype + " " + Arrays.toString(shape) + " needs "
          + n + " element bytes, found " + present);
    }
    return Arrays.copyOfRange(b, start, b.length);
  }

  private static long multiplyCapped(long a, long b, long cap) {
    long hi = Math.multiplyHigh(a, b);
    long lo = a * b;
    return hi != 0 || lo < 0 || lo > cap ? cap + 1 : lo;
  }

  private static byte[] fortranToC(byte[] data, long[] shape, int item) {
    int nd = shape.length;
    long count = data.length / Math.max(item, 1);
    byte[] out = new byte[data.length];
    long[] idx = new long[nd];
    long[] fstride = new long[nd];
    long s = 1;
    for (int k = 0; k < nd; k++) { fstride[k] = s; s *= shape[k]; }
    for (long c = 0; c < count; c++) {
      long fo = 0;
      for (int k = 0; k < nd; k++) fo += idx[k] * fstride[k];
      System.arraycopy(data, (int) (fo * item), out, (int) (c * item), item);
      for (int k = nd - 1; k >= 0; k--) {
        if (++idx[k] < shape[k]) break;
        idx[k] = 0;
      }
    }
    return out;
  }

  private static String quote(String s) {
    var sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) sb.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
    return sb.append('"').toString();
  }
}
