package org.atomstore.data;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * The values of one key over some rows ({@link RowView#column}), in view order; null where a row lacks the key
 * or is a placeholder. {@link #values()} gives a primitive array when the values allow it.
 *
 * <p>Immutable by contract (the arrays are not copied; do not change them). Shareable.
 */
public record Column(String key, Object[] raw) {

  public int size() { return raw.length; }

  /** Value {@code k}, as the backend returned it (null when missing). */
  public Object get(int k) { return raw[k]; }

  /**
   * The values as {@code double[]} when every value is a Python float (a {@link Double}, or a float
   * {@link NumpyScalar}), {@code long[]} when every value is an integer that fits, {@code boolean[]} when every
   * value is a bool; otherwise (a missing value, mixed or other types) {@code Object[]}.
   */
  public Object values() {
    if (raw.length == 0) return raw;
    if (Arrays.stream(raw).allMatch(v -> v instanceof Double || v instanceof NumpyScalar s && s.asArray().kind() == 'f')) return doubles();
    if (Arrays.stream(raw).allMatch(v -> v instanceof Long || v instanceof NumpyScalar s && (s.asArray().kind() == 'i' || s.asArray().kind() == 'u' && s.data().length < 8))) {
      long[] out = new long[raw.length];
      for (int k = 0; k < out.length; k++) out[k] = raw[k] instanceof Long l ? l : org.atomstore.data.internal.NdArrays.toLongs(((NumpyScalar) raw[k]).asArray())[0];
      return out;
    }
    if (Arrays.stream(raw).allMatch(v -> v instanceof Boolean)) {
      boolean[] out = new boolean[raw.length];
      for (int k = 0; k < out.length; k++) out[k] = (Boolean) raw[k];
      return out;
    }
    return raw;
  }

  /**
   * The values as doubles: numbers and numeric scalars converted (integers as {@code (double)}), a missing value
   * NaN.
   *
   * @throws IllegalStateException naming the row when a value is not a number
   */
  public double[] doubles() {
    double[] out = new double[raw.length];
    for (int k = 0; k < out.length; k++) {
      out[k] = switch (raw[k]) {
        case null -> Double.NaN;
        case Double d -> d;
        case Long l -> l;
        case BigInteger b -> b.doubleValue();
        case NumpyScalar s when s.asArray().kind() != 'c' -> org.atomstore.data.internal.NdArrays.toDoubles(s.asArray())[0];
        default -> throw new IllegalStateException("column '" + key + "' row " + k + " holds " + raw[k].getClass().getSimpleName() + ", not a number");
      };
    }
    return out;
  }
}
