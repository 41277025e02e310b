package org.atomstore.loader.sampler;

/**
 * The order in which one epoch visits a dataset of {@link #size()} molecules: a bijection from stream
 * position to global molecule index over {@code [0, size)}. Orders are random-access (any position can be
 * asked for in O(1) or O(log blocks) time) so that a stream can be resumed or split without replaying it.
 *
 * <p>Implementations are immutable and may be shared by any number of threads.
 */
public interface EpochOrder {

  /** Number of molecules in the epoch (the dataset size). */
  long size();

  /** Global molecule index at {@code position}, {@code 0 <= position < size()}. */
  long at(long position);

  /** The identity order {@code 0, 1, ..., n-1}. */
  static EpochOrder sequential(long n) {
    if (n < 0) throw new IllegalArgumentException("negative size " + n);
    return new EpochOrder() {
      @Override
      public long size() { return n; }

      @Override
      public long at(long position) {
        return position;
      }

      @Override
      public String toString() {
        return "sequential(" + n + ")";
      }
    };
  }
}
