package org.atomstore.loader.sampler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class SamplerTest {
  private static final long[] SIZES = {0, 1, 7, 8, 100, 1001};
  private static final List<Shuffle> SHUFFLES = List.of(Shuffle.none(), Shuffle.full(), Shuffle.blocks(4, 16));

  private static long[] oneShard(long n) {
    return new long[] {0, n};
  }

  @Test
  void rankStreamsTogetherAreTheEpochOrderWithTheRemainderDropped() {
    for (Shuffle shuffle : SHUFFLES) {
      for (long n : SIZES) {
        EpochOrder order = shuffle.order(oneShard(n), 11, 2);
        for (int world = 1; world <= 8; world++) {
          List<Sampler> ranks = ranks(order, world, Remainder.DROP);
          long per = n / world;
          assertThat(ranks).allSatisfy(s -> assertThat(s.length()).isEqualTo(per));
          // Interleaving the ranks gives back the epoch order's first world*per positions.
          long[] interleaved = new long[(int) (per * world)];
          for (int r = 0; r < world; r++) {
            for (long p = 0; p < per; p++) interleaved[(int) (p * world + r)] = ranks.get(r).index(p);
          }
          long[] expected = LongStream.range(0, per * world).map(order::at).toArray();
          assertThat(interleaved).as("%s n=%d world=%d", shuffle, n, world).isEqualTo(expected);
          assertThat(distinct(interleaved)).isEqualTo(interleaved.length);
          assertThat(n - interleaved.length).isEqualTo(n % world);
        }
      }
    }
  }

  @Test
  void paddedRankStreamsCoverEverythingAndRepeatOnlyThePadding() {
    for (Shuffle shuffle : SHUFFLES) {
      for (long n : SIZES) {
        if (n == 0) continue;
        EpochOrder order = shuffle.order(oneShard(n), 5, 0);
        for (int world = 1; world <= 8; world++) {
          List<Sampler> ranks = ranks(order, world, Remainder.PAD);
          long per = (n + world - 1) / world;
          List<Long> all = new ArrayList<>();
          for (Sampler s : ranks) {
            assertThat(s.length()).isEqualTo(per);
            for (long p = 0; p < per; p++) all.add(s.index(p));
          }
          Set<Long> unique = new HashSet<>(all);
          assertThat(unique).as("%s n=%d world=%d", shuffle, n, world).hasSize((int) n);
          assertThat(all.size() - unique.size()).isEqualTo((int) (per * world - n));
        }
      }
    }
  }

  @Test
  void ranksAreDisjoint() {
    EpochOrder order = Shuffle.full().order(oneShard(997), 1, 1);
    Set<Long> seen = new HashSet<>();
    for (Sampler s : ranks(order, 7, Remainder.DROP)) {
      for (long p = 0; p < s.length(); p++) assertThat(seen.add(s.index(p))).isTrue();
    }
  }

  @Test
  void batchesCoverTheStreamAndDropLastDropsOnlyTheShortTail() {
    Sampler s = Sampler.of(Shuffle.full().order(oneShard(103), 3, 0));
    assertThat(s.batchCount(10, false)).isEqualTo(11);
    assertThat(s.batchCount(10, true)).isEqualTo(10);
    assertThat(s.batch(10, 10)).hasSize(3);
    List<Long> joined = new ArrayList<>();
    for (long k = 0; k < s.batchCount(10, false); k++) for (long i : s.batch(k, 10)) joined.add(i);
    assertThat(joined).containsExactly(LongStream.range(0, 103).map(s::index).boxed().toArray(Long[]::new));
  }

  @Test
  void blockShuffleIsAPermutationThatKeepsBlocksInsideShards() {
    long[] shardStarts = {0, 40, 40, 104, 160}; // includes an empty shard
    var order = new BlockShuffleOrder(shardStarts, 8, 16, 21, 4);
    long n = 160;
    long[] all = LongStream.range(0, n).map(order::at).sorted().toArray();
    assertThat(all).isEqualTo(LongStream.range(0, n).toArray());
    // Every shard length is a multiple of 8, so every window of 16 holds exactly two whole blocks.
    for (long w = 0; w < n / 16; w++) {
      Set<Long> blocks = new HashSet<>();
      for (long p = w * 16; p < (w + 1) * 16; p++) blocks.add(order.at(p) / 8);
      assertThat(blocks).as("window %d", w).hasSize(2);
    }
  }

  @Test
  void blockShuffleChangesWithTheEpochAndNotOtherwise() {
    long[] shardStarts = {0, 500, 1000};
    long[] a = orderOf(new BlockShuffleOrder(shardStarts, 10, 50, 1, 0));
    assertThat(orderOf(new BlockShuffleOrder(shardStarts, 10, 50, 1, 0))).isEqualTo(a);
    assertThat(orderOf(new BlockShuffleOrder(shardStarts, 10, 50, 1, 1))).isNotEqualTo(a);
    assertThat(a).isNotEqualTo(LongStream.range(0, 1000).toArray());
  }

  @Test
  void shuffleSpellingRoundTrips() {
    for (Shuffle s : SHUFFLES) assertThat(Shuffle.parse(s.toString())).isEqualTo(s);
  }

  @Test
  void malformedOrOutOfRangeBlockShufflesAreRefusedWithTheSpelling() {
    assertThat(Shuffle.parse(" blocks:16:64 ")).isEqualTo(Shuffle.blocks(16, 64));
    for (String bad : List.of("blocks:x:2", "blocks:1", "blocks:1:2:3", "blocks:2147483648:4", "blocks:1:99999999999", "blocks::2")) {
      assertThatThrownBy(() -> Shuffle.parse(bad)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("unknown shuffle '" + bad + "'");
    }
  }

  private static long[] orderOf(EpochOrder order) {
    return LongStream.range(0, order.size()).map(order::at).toArray();
  }

  private static List<Sampler> ranks(EpochOrder order, int world, Remainder remainder) {
    List<Sampler> out = new ArrayList<>();
    for (int r = 0; r < world; r++) out.add(Sampler.of(order, r, world, remainder));
    return out;
  }

  private static long distinct(long[] a) {
    return LongStream.of(a).distinct().count();
  }
}
