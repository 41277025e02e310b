package org.atomstore.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class XorShift64Test {

  @Test
  void drawsTheReferenceSequenceForItsSeed() {
    // Values computed independently (Python, 64-bit masks) from the reference's shift constants.
    var rng = new XorShift64(12_345);
    assertThat(rng.nextLong()).isEqualTo(13289605635609L);
    assertThat(Long.toUnsignedString(rng.nextLong())).isEqualTo("11245129090807876197");
    assertThat(rng.nextIndex(1000)).isEqualTo(41);
  }

  @Test
  void shufflesInTheReferenceOrderOfDraws() {
    assertThat(XorShift64.permutation(10, 7)).containsExactly(2, 3, 8, 1, 0, 4, 5, 9, 6, 7);
  }

  @Test
  void replacesSeedZeroSoTheStreamIsNotStuckAtZero() {
    assertThat(new XorShift64(0).nextLong()).isNotZero();
  }
}
