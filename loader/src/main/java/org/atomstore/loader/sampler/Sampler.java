package org.atomstore.loader.sampler;

/**
 * The stream of global molecule indices one rank reads in one epoch: position {@code p} of rank {@code r}
 * is position {@code p * worldSize + r} of the epoch order (strided split, as PyTorch's
 * {@code DistributedSampler} does). All ranks get {@link #length()} positions; together they cover the
 * epoch order exactly once up to the {@link Remainder}.
 *
 * <p>Indices come out as {@code long[]}; nothing is boxed. Immutable; share freely between threads.
 */
public final class Sampler {
  private final EpochOrder order;
  private final int rank;
  private final int worldSize;
  private final Remainder remainder;
  private final long length;

  private Sampler(EpochOrder order, int rank, int worldSize, Remainder remainder) {
    if (worldSize < 1) throw new IllegalArgumentException("worldSize must be >= 1: " + worldSize);
    if (rank < 0 || rank >= worldSize) {
      throw new IllegalArgumentException("rank " + rank + " outside [0, " + worldSize + ")");
    }
    this.order = order;
    this.rank = rank;
    this.worldSize = worldSize;
    this.remainder = remainder;
    long n = order.size();
    this.length = remainder == Remainder.DROP || n == 0 ? n / worldSize : (n + worldSize - 1) / worldSize;
  }

  /** The whole epoch order for a single process. */
  public static Sampler of(EpochOrder order) {
    return new Sampler(order, 0, 1, Remainder.DROP);
  }

  /** The part of {@code order} that {@code rank} of {@code worldSize} reads. */
  public static Sampler of(EpochOrder order, int rank, int worldSize, Remainder remainder) {
    return new Sampler(order, rank, worldSize, remainder);
  }

  /** Number of indices this rank reads per epoch (the same for all ranks). */
  public long length() { return length; }

  public EpochOrder order() { return order; }

  public int rank() { return rank; }

  public int worldSize() { return worldSize; }

  public Remainder remainder() { return remainder; }

  /** Global index at {@code position} of this rank's stream. */
  public long index(long position) {
    if (position < 0 || position >= length) {
      throw new IndexOutOfBoundsException("position " + position + " outside [0, " + length + ")");
    }
    long g = position * worldSize + rank;
    long n = order.size();
    return order.at(g < n ? g : g % n);
  }

  /** Writes the indices at positions {@code [from, from + count)} into {@code out[offset ...]}. */
  public void fill(long from, long[] out, int offset, int count) {
    if (count < 0 || from < 0 || from + count > length) {
      throw new IndexOutOfBoundsException("range [" + from + ", " + (from + count) + ") outside [0, " + length + ")");
    }
    for (int i = 0; i < count; i++) out[offset + i] = index(from + i);
  }

  /** The indices at positions {@code [from, from + count)} as a new array. */
  public long[] indices(long from, int count) {
    long[] out = new long[count];
    fill(from, out, 0, count);
    return out;
  }

  /** Number of batches of {@code batchSize} in one epoch; with {@code dropLast} a short last batch is not counted. */
  public long batchCount(int batchSize, boolean dropLast) {
    if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1: " + batchSize);
    return dropLast ? length / batchSize : (length + batchSize - 1) / batchSize;
  }

  /** The indices of batch {@code k}: positions {@code [k*batchSize, min((k+1)*batchSize, length))}. */
  public long[] batch(long k, int batchSize) {
    long from = k * batchSize;
    int count = (int) Math.min(batchSize, length - from);
    if (k < 0 || count <= 0) throw new IndexOutOfBoundsException("batch " + k + " past the end of the epoch");
    return indices(from, count);
  }
}
