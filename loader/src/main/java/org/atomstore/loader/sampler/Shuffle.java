package org.atomstore.loader.sampler;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How an epoch orders the dataset; together with {@code (seed, epoch)} it fixes the order completely.
 * The spelling of {@link #toString()} is accepted by {@link #parse(String)} and stored in loader state.
 */
public sealed interface Shuffle {

  /**
   * The order of one epoch.
   *
   * @param shardStarts cumulative shard sizes ({@code [0, c1, c1+c2, ..., n]}); only the block shuffle uses them
   */
  EpochOrder order(long[] shardStarts, long seed, long epoch);

  /** Natural order, the same every epoch. */
  record None() implements Shuffle {
    @Override
    public EpochOrder order(long[] shardStarts, long seed, long epoch) {
      return EpochOrder.sequential(shardStarts[shardStarts.length - 1]);
    }

    @Override
    public String toString() { return "none"; }
  }

  /** A uniform pseudo-random permutation of the whole dataset ({@link FeistelPermutation#forEpoch}). */
  record Full() implements Shuffle {
    @Override
    public EpochOrder order(long[] shardStarts, long seed, long epoch) {
      return FeistelPermutation.forEpoch(shardStarts[shardStarts.length - 1], seed, epoch);
    }

    @Override
    public String toString() { return "full"; }
  }

  /** Shard-local blocks in random order, then shuffled within windows ({@link BlockShuffleOrder}). */
  record Blocks(int blockSize, int windowSize) implements Shuffle {
    public Blocks {
      if (blockSize < 1 || windowSize < 1) {
        throw new IllegalArgumentException("block and window size must be >= 1: " + blockSize + ", " + windowSize);
      }
    }

    @Override
    public EpochOrder order(long[] shardStarts, long seed, long epoch) {
      return new BlockShuffleOrder(shardStarts, blockSize, windowSize, seed, epoch);
    }

    @Override
    public String toString() { return "blocks:" + blockSize + ":" + windowSize; }
  }

  static Shuffle none() { return new None(); }

  static Shuffle full() { return new Full(); }

  static Shuffle blocks(int blockSize, int windowSize) { return new Blocks(blockSize, windowSize); }

  /** Parses {@code none}, {@code full} or {@code blocks:BLOCK:WINDOW}. */
  static Shuffle parse(String text) {
    String t = text.trim();
    if (t.equals("none")) return none();
    if (t.equals("full")) return full();
    Matcher m = Pattern.compile("blocks:([+-]?[0-9]{1,10}):([+-]?[0-9]{1,10})").matcher(t);
    if (m.matches()) {
      // at most 10 digits fit a long; the int range is checked explicitly rather than by catching parseInt's failure
      long block = Long.parseLong(m.group(1));
      long window = Long.parseLong(m.group(2));
      if (block == (int) block && window == (int) window) return blocks((int) block, (int) window);
    }
    throw new IllegalArgumentException("unknown shuffle '" + text + "': expected none, full or blocks:BLOCK:WINDOW");
  }
}
