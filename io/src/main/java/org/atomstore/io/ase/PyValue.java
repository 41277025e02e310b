package org.atomstore.io.ase;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A value as ASE holds it in {@code atoms.info}, {@code atoms.arrays} or calculator results: the Python and NumPy
 * types that the extended XYZ and ASE database readers produce. Closed set; values are immutable by convention
 * (arrays are not copied, do not modify them).
 */
public sealed interface PyValue {

  /** Python {@code int} or a NumPy integer scalar. */
  record PyInt(long value) implements PyValue {}

  /** Python {@code float} or a NumPy floating scalar. */
  record PyFloat(double value) implements PyValue {}

  /** Python {@code bool} or a NumPy {@code bool_} scalar. */
  record PyBool(boolean value) implements PyValue {}

  /** Python {@code str}. */
  record PyStr(String value) implements PyValue {
    public PyStr { Objects.requireNonNull(value); }
  }

  /** Python {@code complex} or a NumPy complex scalar. */
  record PyComplex(double re, double im) implements PyValue {}

  /** Python {@code None}. */
  record PyNone() implements PyValue {
    public static final PyNone INSTANCE = new PyNone();
  }

  /** A Python list (or tuple) of values. */
  record PyList(List<PyValue> items) implements PyValue {}

  /** A Python dict with string keys, in insertion order. */
  record PyDict(Map<String, PyValue> entries) implements PyValue {}

  /**
   * A NumPy array: dtype name as NumPy spells it ({@code float64, int32, bool, str, complex128, ...}), shape, and
   * the elements flat in C order. The element storage depends on the kind: {@code double[]} for floats,
   * {@code long[]} for integers, {@code boolean[]} for bools, {@code String[]} for strings, {@code double[]}
   * of interleaved (re, im) pairs for complex.
   */
  record NdArray(String dtype, int[] shape, Object data) implements PyValue {

    public static NdArray float64(int[] shape, double[] v) { return new NdArray("float64", shape, v); }
    public static NdArray int64(int[] shape, long[] v) { return new NdArray("int64", shape, v); }
    public static NdArray int32(int[] shape, long[] v) { return new NdArray("int32", shape, v); }
    public static NdArray bool(int[] shape, boolean[] v) { return new NdArray("bool", shape, v); }
    public static NdArray str(int[] shape, String[] v) { return new NdArray("str", shape, v); }

    /** NumPy's kind letter: f, i, u, b, U (strings), c. */
    public char kind() {
      if (dtype.startsWith("float")) return 'f';
      if (dtype.startsWith("int")) return 'i';
      if (dtype.startsWith("uint")) return 'u';
      if (dtype.equals("bool")) return 'b';
      if (dtype.startsWith("complex")) return 'c';
      return 'U';
    }

    public int size() {
      int n = 1;
      for (int d : shape) n *= d;
      return n;
    }

    public double[] doubles() { return (double[]) data; }
    public long[] longs() { return (long[]) data; }
    public boolean[] booleans() { return (boolean[]) data; }
    public String[] strings() { return (String[]) data; }

    /** Elements as doubles (NumPy's {@code astype(float)} for numeric and bool kinds). */
    public double[] toDoubles() {
      return switch (data) {
        case double[] d when kind() != 'c' -> d;
        case long[] l -> { double[] out = new double[l.length]; for (int i = 0; i < l.length; i++) out[i] = l[i]; yield out; }
        case boolean[] b -> { double[] out = new double[b.length]; for (int i = 0; i < b.length; i++) out[i] = b[i] ? 1 : 0; yield out; }
        default -> throw new IllegalArgumentException("cannot convert " + dtype + " array to float");
      };
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof NdArray n && dtype.equals(n.dtype) && Arrays.equals(shape, n.shape)
          && Arrays.deepEquals(new Object[] {data}, new Object[] {n.data});
    }

    @Override
    public int hashCode() { return Objects.hash(dtype, Arrays.hashCode(shape)); }

    @Override
    public String toString() {
      return "ndarray(" + dtype + ", shape=" + Arrays.toString(shape) + ")";
    }
  }
}
