package org.atomstore.data;

import java.util.Arrays;

/**
 * Which rows of a table a view ({@link RowView}, {@link TableView}) holds: the range {@code [start, start + length)}
 * when {@code picks} is null, else the table indices listed in {@code picks}. Positions run from 0 to
 * {@code length - 1}. Immutable (the array is never handed out or changed).
 */
record Positions(long start, long length, long[] picks) {

  /** Rows {@code [0, n)}. */
  static Positions all(long n) { return new Positions(0, n, null); }

  /** The table index of position {@code k}. */
  long index(long k) {
    if (k < 0 || k >= length) throw new IndexOutOfBoundsException("position " + k + " outside the view's [0, " + length + ")");
    return picks == null ? start + k : picks[(int) k];
  }

  /** The table indices of every position. */
  long[] indices() {
    long[] out = new long[Math.toIntExact(length)];
    for (int k = 0; k < out.length; k++) out[k] = index(k);
    return out;
  }

  /** Positions {@code [from, to)}. */
  Positions range(long from, long to) {
    if (from < 0 || to > length || from > to) throw new IndexOutOfBoundsException("range [" + from + ", " + to + ") outside [0, " + length + ")");
    if (picks == null) return new Positions(start + from, to - from, null);
    return new Positions(0, to - from, Arrays.copyOfRange(picks, (int) from, (int) to));
  }

  /** The given positions, in that order (repeats allowed). */
  Positions select(long... positions) {
    long[] idx = new long[positions.length];
    for (int k = 0; k < idx.length; k++) idx[k] = index(positions[k]);
    return new Positions(0, idx.length, idx);
  }

  /** Every {@code step}-th position of {@code [from, to)} clamped to these, Python's {@code [from:to:step]}, step > 0. */
  Positions slice(long from, long to, long step) {
    if (step <= 0) throw new IllegalArgumentException("step must be positive: " + step);
    from = Math.max(0, from);
    to = Math.min(length, to);
    if (from >= to) return new Positions(0, 0, new long[0]);
    if (step == 1) return range(from, to);
    long[] pos = new long[(int) ((to - from + step - 1) / step)];
    for (int k = 0; k < pos.length; k++) pos[k] = from + k * step;
    return select(pos);
  }
}
