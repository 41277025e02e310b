package org.atomstore.loader.sampler;

/** What a rank split does with the {@code n mod worldSize} molecules that do not divide evenly. */
public enum Remainder {
  /** Every rank gets {@code floor(n / worldSize)}; the last {@code n mod worldSize} positions of the epoch order are skipped. */
  DROP,
  /**
   * Every rank gets {@code ceil(n / worldSize)}; the missing positions wrap around to the start of the
   * epoch order, so a few molecules are seen twice in the epoch.
   */
  PAD
}
