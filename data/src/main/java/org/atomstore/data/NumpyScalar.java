package org.atomstore.data;

import java.util.Arrays;
import java.util.Objects;
import org.atomstore.model.NdArray;

/**
 * A NumPy scalar that is not a Python float ({@code np.float32}, {@code np.int64}, {@code np.bool_},
 * {@code np.complex64}, ...): its dtype in {@code dtype.str} spelling and the one element's bytes, as
 * msgpack-numpy stores it.
 */
public record NumpyScalar(String dtype, byte[] data) {
  public NumpyScalar {
    Objects.requireNonNull(dtype, "dtype");
    if (NdArray.itemSize(dtype) != data.length) {
      throw new IllegalArgumentException(dtype + " scalar needs " + NdArray.itemSize(dtype) + " bytes, got " + data.length);
    }
  }

  /** As a 0-d array. */
  public NdArray asArray() { return new NdArray(dtype, new long[0], data); }

  @Override
  public boolean equals(Object o) {
    return o instanceof NumpyScalar s && dtype.equals(s.dtype) && Arrays.equals(data, s.data);
  }

  @Override
  public int hashCode() { return 31 * dtype.hashCode() + Arrays.hashCode(data); }

  @Override
  public String toString() { return "NumpyScalar[" + dtype + "]"; }
}
