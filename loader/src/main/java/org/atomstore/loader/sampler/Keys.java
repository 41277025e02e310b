package org.atomstore.loader.sampler;

/**
 * Key derivation shared by the shuffles. Everything derives from {@code (seed, epoch, stream)} through the
 * SplitMix64 finalizer ({@link #mix64}), so orders depend on nothing else: not on thread count, rank
 * count, JVM or platform.
 */
final class Keys {
  /** The SplitMix64 increment (odd, 2^64 / golden ratio). */
  static final long GAMMA = 0x9E3779B97F4A7C15L;

  /** Stream ids separating the keys of different uses of the same (seed, epoch). */
  static final long STREAM_FULL = 1;
  static final long STREAM_BLOCKS = 2;
  static final long STREAM_WINDOW_BASE = 3;

  private Keys() {}

  /** SplitMix64's output function (Stafford's Mix13): a bijective 64-bit mixer. */
  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** {@code mix64(mix64(mix64(seed) + epoch * GAMMA) + stream * GAMMA)}. */
  static long derive(long seed, long epoch, long stream) {
    long k = mix64(mix64(seed) + epoch * GAMMA);
    return mix64(k + stream * GAMMA);
  }
}
