package org.atomstore.loader.sampler;

/**
 * A keyed pseudo-random permutation of {@code [0, n)} computed on demand in O(1) memory: a balanced Feistel
 * network with cycle walking.
 *
 * <p>The algorithm, which fixes every order this class produces:
 * <pre>
 *   bits  = the smallest even number >= 2 with 2^bits >= n;  half = bits / 2;  mask = 2^half - 1
 *   k_r   = mix64(key + (r + 1) * GAMMA)                       for rounds r = 0..5
 *   round : (L, R) -> (R, L xor (mix64(R xor k_r) and mask))   where x = L * 2^half + R
 *   at(p) : x = p; repeat x = rounds(x) until x < n; return x
 * </pre>
 * {@code mix64} is the SplitMix64 finalizer and {@code GAMMA = 0x9E3779B97F4A7C15}. Six rounds of a
 * strong round function give a permutation indistinguishable from a random one for practical purposes
 * (Luby-Rackoff needs four). Cycle walking keeps the result a bijection on {@code [0, n)}; since the
 * Feistel domain is less than {@code 4n}, a lookup takes fewer than four walks on average.
 *
 * <p>Immutable; share freely between threads.
 */
public final class FeistelPermutation implements EpochOrder {
  static final int ROUNDS = 6;

  private final long n;
  private final int half;
  private final long mask;
  private final long[] roundKeys = new long[ROUNDS];

  /** The permutation of {@code [0, n)} for a 64-bit key. */
  public FeistelPermutation(long n, long key) {
    if (n < 0) throw new IllegalArgumentException("negative size " + n);
    this.n = n;
    this.half = halfBits(n);
    this.mask = (1L << half) - 1;
    for (int r = 0; r < ROUNDS; r++) roundKeys[r] = Keys.mix64(key + (r + 1) * Keys.GAMMA);
  }

  /** The full shuffle of an epoch: the permutation keyed by {@code (seed, epoch)} only. */
  public static FeistelPermutation forEpoch(long n, long seed, long epoch) {
    return new FeistelPermutation(n, Keys.derive(seed, epoch, Keys.STREAM_FULL));
  }

  @Override
  public long size() { return n; }

  @Override
  public long at(long position) {
    if (position < 0 || position >= n) {
      throw new IndexOutOfBoundsException("position " + position + " outside [0, " + n + ")");
    }
    long x = position;
    do {
      x = encrypt(x);
    } while (x >= n);
    return x;
  }

  /**
   * {@code new FeistelPermutation(n, key).at(position)} without allocating; for callers that use a
   * different key per lookup.
   */
  public static long permute(long n, long key, long position) {
    if (position < 0 || position >= n) {
      throw new IndexOutOfBoundsException("position " + position + " outside [0, " + n + ")");
    }
    int half = halfBits(n);
    long mask = (1L << half) - 1;
    long x = position;
    do {
      long l = x >>> half;
      long r = x & mask;
      for (int round = 0; round < ROUNDS; round++) {
        long next = l ^ (Keys.mix64(r ^ Keys.mix64(key + (round + 1) * Keys.GAMMA)) & mask);
        l = r;
        r = next;
      }
      x = (l << half) | r;
    } while (x >= n);
    return x;
  }

  private static int halfBits(long n) {
    int bits = Math.max(2, 64 - Long.numberOfLeadingZeros(Math.max(0, n - 1)));
    return (bits + 1) / 2;
  }

  private long encrypt(long x) {
    long l = x >>> half;
    long r = x & mask;
    for (long k : roundKeys) {
      long next = l ^ (Keys.mix64(r ^ k) & mask);
      l = r;
      r = next;
    }
    return (l << half) | r;
  }

  @Override
  public String toString() {
    return "feistel(" + n + ")";
  }
}
