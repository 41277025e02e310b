package org.atomstore.loader.sampler;

import java.util.Arrays;

/**
 * A shuffle that keeps page locality: each shard is cut into blocks of {@code blockSize} consecutive
 * molecules, the blocks are put in a random order, and the resulting stream is shuffled again inside
 * consecutive windows of {@code windowSize} positions (a bounded shuffle buffer that is still random-access).
 *
 * <pre>
 *   blocks   : shard s = [start_s, end_s) is cut into [start_s + i*blockSize, min(start_s + (i+1)*blockSize, end_s))
 *   stage 1  : block j of the stream is block P_b(j), P_b = Feistel(#blocks, derive(seed, epoch, 2));
 *              molecules inside a block keep their order
 *   stage 2  : position p lies in window w = p / windowSize; it reads stage-1 position
 *              w*windowSize + Feistel(windowLength, derive(seed, epoch, 3 + w)).at(p - w*windowSize)
 * </pre>
 * A window touches about {@code windowSize / blockSize + 1} blocks, so a reader walking the stream keeps a
 * small working set of pages. Memory is two {@code long} per block.
 *
 * <p>Immutable; share freely between threads.
 */
public final class BlockShuffleOrder implements EpochOrder {
  private final long n;
  private final long seed;
  private final long epoch;
  private final int windowSize;
  /** Global start of every block in natural order, plus n at the end. */
  private final long[] blockStart;
  /** Stage-1 start of the j-th block of the shuffled stream, plus n at the end. */
  private final long[] streamStart;
  /** Natural block id of the j-th block of the shuffled stream. */
  private final int[] streamBlock;

  /**
   * @param shardStarts cumulative shard sizes: shard {@code s} holds global indices
   *     {@code [shardStarts[s], shardStarts[s+1])}; {@code shardStarts[0] == 0}
   */
  public BlockShuffleOrder(long[] shardStarts, int blockSize, int windowSize, long seed, long epoch) {
    if (blockSize < 1) throw new IllegalArgumentException("blockSize must be >= 1: " + blockSize);
    if (windowSize < 1) throw new IllegalArgumentException("windowSize must be >= 1: " + windowSize);
    if (shardStarts.length == 0 || shardStarts[0] != 0) {
      throw new IllegalArgumentException("shardStarts must start with 0");
    }
    this.n = shardStarts[shardStarts.length - 1];
    this.seed = seed;
    this.epoch = epoch;
    this.windowSize = windowSize;
    this.blockStart = cutBlocks(shardStarts, blockSize);
    int blocks = blockStart.length - 1;
    var blockOrder = new FeistelPermutation(blocks, Keys.derive(seed, epoch, Keys.STREAM_BLOCKS));
    this.streamStart = new long[blocks + 1];
    this.streamBlock = new int[blocks];
    for (int j = 0; j < blocks; j++) {
      int b = (int) blockOrder.at(j);
      streamBlock[j] = b;
      streamStart[j + 1] = streamStart[j] + (blockStart[b + 1] - blockStart[b]);
    }
  }

  private static long[] cutBlocks(long[] shardStarts, int blockSize) {
    long count = 0;
    for (int s = 0; s + 1 < shardStarts.length; s++) {
      long len = shardStarts[s + 1] - shardStarts[s];
      if (len < 0) throw new IllegalArgumentException("shardStarts not ascending at " + s);
      count += (len + blockSize - 1) / blockSize;
    }
    if (count >= Integer.MAX_VALUE) {
      throw new IllegalArgumentException("too many blocks (" + count + "); use a larger blockSize");
    }
    long[] starts = new long[(int) count + 1];
    int k = 0;
    for (int s = 0; s + 1 < shardStarts.length; s++) {
      for (long p = shardStarts[s]; p < shardStarts[s + 1]; p += blockSize) starts[k++] = p;
    }
    starts[k] = shardStarts[shardStarts.length - 1];
    return starts;
  }

  @Override
  public long size() { return n; }

  @Override
  public long at(long position) {
    if (position < 0 || position >= n) {
      throw new IndexOutOfBoundsException("position " + position + " outside [0, " + n + ")");
    }
    long w = position / windowSize;
    long windowStart = w * windowSize;
    long windowLength = Math.min(windowSize, n - windowStart);
    long key = Keys.derive(seed, epoch, Keys.STREAM_WINDOW_BASE + w);
    return stage1(windowStart + FeistelPermutation.permute(windowLength, key, position - windowStart));
  }

  private long stage1(long q) {
    int j = Arrays.binarySearch(streamStart, q);
    if (j < 0) j = -j - 2; // blocks are never empty, so starts are strictly ascending
    int b = streamBlock[j];
    return blockStart[b] + (q - streamStart[j]);
  }

  @Override
  public String toString() {
    return "blocks(" + n + ", window " + windowSize + ")";
  }
}
