package org.atomstore.loader.sampler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class FeistelPermutationTest {

  @Test
  void isABijectionOnEveryDomainSize() {
    long[] sizes = {0, 1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 100, 255, 256, 1000, 4097, 65537};
    for (long n : sizes) {
      for (long seed = 0; seed < 5; seed++) {
        var p = FeistelPermutation.forEpoch(n, seed, 3);
        long[] seen = LongStream.range(0, n).map(p::at).sorted().toArray();
        assertThat(seen).as("n=%d seed=%d", n, seed).isEqualTo(LongStream.range(0, n).toArray());
      }
    }
  }

  @Test
  void matchesAnIndependentImplementationOfTheDocumentedAlgorithm() {
    // Produced by a separate Python transcription of the class javadoc (SplitMix64 keys, 6 rounds,
    // cycle walking); pins the order so that saved loader states stay valid across versions.
    assertThat(firstTen(10, 42, 3)).containsExactly(8, 3, 6, 5, 7, 0, 4, 1, 2, 9);
    assertThat(firstTen(1000, 7, 0)).containsExactly(631, 101, 488, 420, 839, 521, 850, 10, 552, 154);
    assertThat(firstTen(1000, 7, 1)).containsExactly(365, 370, 309, 259, 556, 437, 770, 718, 729, 190);
  }

  private static long[] firstTen(long n, long seed, long epoch) {
    var p = FeistelPermutation.forEpoch(n, seed, epoch);
    return LongStream.range(0, Math.min(n, 10)).map(p::at).toArray();
  }

  @Test
  void staticPermuteAgreesWithInstance() {
    var p = new FeistelPermutation(777, 0x1234L);
    for (long i = 0; i < 777; i++) assertThat(FeistelPermutation.permute(777, 0x1234L, i)).isEqualTo(p.at(i));
  }

  @Test
  void orderDependsOnSeedAndEpochOnly() {
    long n = 10_000;
    long[] a = order(n, 1, 0);
    assertThat(order(n, 1, 0)).isEqualTo(a);
    assertThat(order(n, 1, 1)).isNotEqualTo(a);
    assertThat(order(n, 2, 0)).isNotEqualTo(a);
  }

  @Test
  void looksUniform() {
    // Where does molecule 0 land, over 20,000 epochs? Each of 10 positions should get about 2,000.
    int n = 10;
    int trials = 20_000;
    int[] counts = new int[n];
    for (int e = 0; e < trials; e++) {
      var p = FeistelPermutation.forEpoch(n, 99, e);
      for (int pos = 0; pos < n; pos++) if (p.at(pos) == 0) counts[pos]++;
    }
    double chi2 = 0;
    double expected = (double) trials / n;
    for (int c : counts) chi2 += (c - expected) * (c - expected) / expected;
    // 9 degrees of freedom: p = 0.001 at 27.9.
    assertThat(chi2).as("counts %s", Arrays.toString(counts)).isLessThan(27.9);
  }

  @Test
  void hasAboutOneFixedPointOnAverage() {
    int n = 1000;
    long fixed = 0;
    for (int e = 0; e < 200; e++) {
      var p = FeistelPermutation.forEpoch(n, 5, e);
      for (int i = 0; i < n; i++) if (p.at(i) == i) fixed++;
    }
    assertThat(fixed / 200.0).isBetween(0.6, 1.4);
  }

  @Test
  void rejectsPositionsOutsideTheDomain() {
    var p = FeistelPermutation.forEpoch(5, 0, 0);
    assertThatThrownBy(() -> p.at(5)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> p.at(-1)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  private static long[] order(long n, long seed, long epoch) {
    var p = FeistelPermutation.forEpoch(n, seed, epoch);
    return LongStream.range(0, n).map(p::at).toArray();
  }
}
