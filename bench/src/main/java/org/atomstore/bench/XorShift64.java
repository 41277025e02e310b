package org.atomstore.bench;

/**
 * The reference benchmark's random generator (xorshift64, shifts 13/7/17), so index streams and
 * permutations are the same sequence the reference draws for the same seed. Owned by one thread.
 */
public final class XorShift64 {
  private static final long ZERO_SEED_REPLACEMENT = 0x9E3779B97F4A7C15L;

  private long state;

  public XorShift64(long seed) {
    this.state = seed == 0 ? ZERO_SEED_REPLACEMENT : seed;
  }

  public long nextLong() {
    long x = state;
    x ^= x << 13;
    x ^= x >>> 7;
    x ^= x << 17;
    state = x;
    return x;
  }

  /** A value in {@code [0, upper)} by unsigned modulo, as the reference computes it. */
  public long nextIndex(long upper) {
    if (upper <= 0) throw new IllegalArgumentException("upper must be positive: " + upper);
    return Long.remainderUnsigned(nextLong(), upper);
  }

  /** Fisher-Yates from the end, the reference's order of draws. */
  public void shuffle(long[] values) {
    for (int i = values.length - 1; i >= 1; i--) {
      int j = (int) nextIndex(i + 1);
      long t = values[i];
      values[i] = values[j];
      values[j] = t;
    }
  }

  /** {@code 0..n-1} shuffled with a generator seeded by {@code seed}. */
  public static long[] permutation(int n, long seed) {
    long[] perm = new long[n];
    for (int i = 0; i < n; i++) perm[i] = i;
    new XorShift64(seed).shuffle(perm);
    return perm;
  }
}
