package org.atomstore.loader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.ReentrantLock;
import org.atomstore.loader.sampler.Remainder;
import org.atomstore.loader.sampler.Sampler;
import org.atomstore.loader.sampler.Shuffle;

/**
 * Reads one epoch of one rank as batches, decoding ahead on worker threads.
 *
 * <p>Batch {@code k} holds sampler positions {@code [start + k*B, start + (k+1)*B)}. Workers claim batch
 * numbers in increasing order, never more than {@code prefetch} ahead of the consumer, and put each result
 * in slot {@code k mod prefetch}; the consumer takes slot after slot. So batches come out in sampler order
 * whatever the number of threads, and at most {@code prefetch} decoded batches exist at a time.
 *
 * <p>A failure in a worker is handed to the consumer when it reaches the failed batch: an
 * {@link IOException} as {@link UncheckedIOException}, anything else as {@link LoaderWorkerException}, each
 * with the worker's exception as cause. Workers stop claiming batches after a failure.
 *
 * <p>Thread contract: one consumer thread calls {@link #hasNext()}, {@link #next()} and {@link #state()};
 * {@link #close()} may come from any thread, stops every worker and waits for them. Workers are daemon
 * threads named {@code atomstore-loader-*}.
 */
public final class Loader<T> implements Iterator<Batch<T>>, AutoCloseable {
  private final BatchSource<T> source;
  private final Sampler sampler;
  private final Shuffle shuffle;
  private final long seed;
  private final long epoch;
  private final int batchSize;
  private final long startPosition;
  private final long batchCount;
  private final int prefetch;
  /** A waiting consumer is woken when this many batches from the one it waits for are ready. */
  private final int wakeAfter;
  private final Thread[] workers;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition slotFreed = lock.newCondition();
  private final Condition slotFilled = lock.newCondition();
  /** Ring of results: a {@link Batch} or a {@link Failure}; written under lock, read lock-free while spinning. */
  private final AtomicReferenceArray<Object> slots;
  /** Whether the consumer may spin for its next batch: only when the workers leave a core free. */
  private final boolean spin;
  /**
   * Batches handed to the consumer; written under lock, read without it by the consumer (the only writer),
   * so hasNext and next do not contend with the workers for the lock.
   */
  private volatile long consumed;
  /** Next batch a worker may claim; guarded by lock. */
  private long claimed;
  /** The batch the consumer is blocked on, or -1; guarded by lock. */
  private long waitingFor = -1;
  /** Workers blocked until a slot frees; guarded by lock. */
  private int workersWaiting;
  /** Lowest batch number that failed, or Long.MAX_VALUE; guarded by lock. */
  private long failedAt = Long.MAX_VALUE;
  private volatile boolean closed;
  private RuntimeException failure;

  private record Failure(Throwable cause) {}

  private static final long SPIN_NANOS = 200_000;

  private Loader(Builder<T> b) {
    this.source = b.source;
    this.shuffle = b.shuffle;
    this.seed = b.seed;
    this.epoch = b.epoch;
    this.batchSize = b.batchSize;
    this.startPosition = b.position;
    long[] shardStarts = source.shardStarts();
    if (shardStarts[shardStarts.length - 1] != source.size()) {
      throw new IllegalArgumentException("shardStarts end at " + shardStarts[shardStarts.length - 1]
          + " but the source has " + source.size() + " molecules");
    }
    this.sampler = Sampler.of(shuffle.order(shardStarts, seed, epoch), b.rank, b.worldSize, b.remainder);
    if (startPosition > sampler.length()) {
      throw new IllegalArgumentException("position " + startPosition + " past the end of the epoch (" + sampler.length() + ")");
    }
    long remaining = sampler.length() - startPosition;
    this.batchCount = b.dropLast ? remaining / batchSize : (remaining + batchSize - 1) / batchSize;
    this.prefetch = b.prefetch > 0 ? b.prefetch : Math.max(2, 4 * b.threads);
    this.wakeAfter = Math.max(1, prefetch / 2);
    this.slots = new AtomicReferenceArray<>(prefetch);
    this.spin = b.threads > 0 && b.threads < Runtime.getRuntime().availableProcessors();
    this.workers = new Thread[b.threads];
    for (int i = 0; i < workers.length; i++) {
      workers[i] = Thread.ofPlatform().daemon().name("atomstore-loader-" + i).unstarted(this::work);
    }
    for (Thread w : workers) w.start();
  }

  public static <T> Builder<T> builder(BatchSource<T> source) {
    return new Builder<>(source);
  }

  /** Batches this loader hands out in total (from its start position to the end of the epoch). */
  public long batchCount() { return batchCount; }

  public Sampler sampler() { return sampler; }

  @Override
  public boolean hasNext() {
    ensureOpen();
    if (failure != null) throw failure;
    return consumed < batchCount;
  }

  @Override
  public Batch<T> next() {
    ensureOpen();
    if (failure != null) throw failure;
    long k = consumed;
    if (k >= batchCount) throw new NoSuchElementException("end of epoch " + epoch);
    Object result = workers.length == 0 ? produce(k) : take(k);
    if (result instanceof Failure(Throwable cause)) {
      failure = cause instanceof IOException io
          ? new UncheckedIOException("loader worker failed on batch " + k + ": " + io.getMessage(), io)
          : new LoaderWorkerException("loader worker failed on batch " + k + ": " + cause, cause);
      stopWorkers();
      throw failure;
    }
    if (workers.length == 0) consumed++;
    @SuppressWarnings("unchecked")
    Batch<T> batch = (Batch<T>) result;
    return batch;
  }

  private Object take(long k) {
    int slot = (int) (k % prefetch);
    if (spin) {
      // A batch takes tens of microseconds; parking and waking the consumer for each one costs a system call and
      // moves threads between cores. With a core to spare, wait for it briefly without sleeping.
      long deadline = System.nanoTime() + SPIN_NANOS;
      while (slots.get(slot) == null && !closed && System.nanoTime() < deadline) Thread.onSpinWait();
    }
    lock.lock();
    try {
      while (true) {
        if (closed) throw new IllegalStateException("loader closed while waiting for batch " + k);
        if (slots.get(slot) != null) break;
        waitingFor = k;
        try {
          slotFilled.await();
        } finally {
          waitingFor = -1;
        }
      }
      Object result = slots.getAndSet(slot, null);
      consumed++;
      if (workersWaiting > 0) slotFreed.signalAll();
      return result;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for batch " + k, e);
    } finally {
      lock.unlock();
    }
  }

  private void work() {
    while (true) {
      long k;
      lock.lock();
      try {
        while (!closed && claimed < batchCount && claimed < failedAt && claimed >= consumed + prefetch) {
          workersWaiting++;
          try {
            slotFreed.awaitUninterruptibly();
          } finally {
            workersWaiting--;
          }
        }
        if (closed || claimed >= batchCount || claimed >= failedAt) return;
        k = claimed++;
      } finally {
        lock.unlock();
      }
      Object result = produce(k);
      lock.lock();
      try {
        if (result instanceof Failure) failedAt = Math.min(failedAt, k);
        slots.set((int) (k % prefetch), result);
        // Wake the consumer once a run of batches from the one it waits for is ready, not for each batch: when
        // workers fill every core, each wake-up is a context switch that takes a core from a worker.
        if (waitingFor >= 0 && (result instanceof Failure || readyFrom(waitingFor))) slotFilled.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /**
   * Whether the consumer, waiting for batch {@code w}, should be woken: batches {@code w .. w+wakeAfter-1}
   * are ready, or all of them up to the end of the epoch or to a failed batch (none after it comes).
   * Guarded by lock.
   */
  private boolean readyFrom(long w) {
    long end = Math.min(batchCount, w + wakeAfter);
    for (long j = w; j < end; j++) {
      if (j > failedAt) return true;
      if (slots.get((int) (j % prefetch)) == null) return false;
    }
    return true;
  }

  private Object produce(long k) {
    try {
      long from = startPosition + k * batchSize;
      int count = (int) Math.min(batchSize, sampler.length() - from);
      long[] indices = sampler.indices(from, count);
      return new Batch<>(epoch, from / batchSize, indices, source.read(indices));
    } catch (Throwable t) {
      return new Failure(t);
    }
  }

  /**
   * Where the stream stands after the batches handed out so far; restore it with
   * {@link Builder#resume(LoaderState)}. After the last batch it is position 0 of the next epoch.
   */
  public LoaderState state() {
    long done = consumed;
    if (done >= batchCount) {
      return new LoaderState(LoaderState.FORMAT, seed, epoch + 1, 0, sampler.rank(), sampler.worldSize(),
          sampler.remainder(), source.size(), shuffle.toString());
    }
    return new LoaderState(LoaderState.FORMAT, seed, epoch, startPosition + done * batchSize, sampler.rank(),
        sampler.worldSize(), sampler.remainder(), source.size(), shuffle.toString());
  }

  private void ensureOpen() {
    if (closed) throw new IllegalStateException("loader is closed");
  }

  private void stopWorkers() {
    lock.lock();
    try {
      failedAt = Math.min(failedAt, claimed);
      slotFreed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Stops every worker and waits until they have ended; idempotent. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      slotFreed.signalAll();
      slotFilled.signalAll();
    } finally {
      lock.unlock();
    }
    boolean interrupted = false;
    for (Thread w : workers) {
      while (w.isAlive() && w != Thread.currentThread()) {
        try {
          w.join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
  }

  /** Threads still running; for tests and diagnostics. */
  int liveWorkers() {
    int n = 0;
    for (Thread w : workers) if (w.isAlive()) n++;
    return n;
  }

  /** Options of a loader; {@code batchSize} is required, the rest have defaults. */
  public static final class Builder<T> {
    private final BatchSource<T> source;
    private Shuffle shuffle = Shuffle.full();
    private long seed;
    private long epoch;
    private long position;
    private int rank;
    private int worldSize = 1;
    private Remainder remainder = Remainder.DROP;
    private int batchSize;
    private boolean dropLast;
    private int threads = 1;
    private int prefetch;

    private Builder(BatchSource<T> source) {
      this.source = source;
    }

    /** Default {@link Shuffle#full()}. */
    public Builder<T> shuffle(Shuffle shuffle) {
      this.shuffle = shuffle;
      return this;
    }

    public Builder<T> seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder<T> epoch(long epoch) {
      if (epoch < 0) throw new IllegalArgumentException("negative epoch " + epoch);
      this.epoch = epoch;
      return this;
    }

    /** Default rank 0 of 1. */
    public Builder<T> rank(int rank, int worldSize) {
      this.rank = rank;
      this.worldSize = worldSize;
      return this;
    }

    /** Default {@link Remainder#DROP}. */
    public Builder<T> remainder(Remainder remainder) {
      this.remainder = remainder;
      return this;
    }

    public Builder<T> batchSize(int batchSize) {
      if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1: " + batchSize);
      this.batchSize = batchSize;
      return this;
    }

    /** Leaves out a short last batch; default false. */
    public Builder<T> dropLast(boolean dropLast) {
      this.dropLast = dropLast;
      return this;
    }

    /** Worker threads; 0 reads in the consumer thread. Default 1. */
    public Builder<T> threads(int threads) {
      if (threads < 0) throw new IllegalArgumentException("threads must be >= 0: " + threads);
      this.threads = threads;
      return this;
    }

    /**
     * Decoded batches kept ahead of the consumer; default {@code max(2, 4 * threads)}. A consumer that has to
     * wait is woken when half of them are ready.
     */
    public Builder<T> prefetch(int prefetch) {
      if (prefetch < 1) throw new IllegalArgumentException("prefetch must be >= 1: " + prefetch);
      this.prefetch = prefetch;
      return this;
    }

    /**
     * Starts where {@code state} stands: its seed, epoch, position, rank, remainder and shuffle. Batch size,
     * drop-last, threads and prefetch stay as set; a different batch size regroups the rest of the stream.
     */
    public Builder<T> resume(LoaderState state) {
      if (state.datasetSize() != source.size()) {
        throw new IllegalArgumentException("loader state is for a dataset of " + state.datasetSize()
            + " molecules, this one has " + source.size());
      }
      this.shuffle = Shuffle.parse(state.shuffle());
      this.seed = state.seed();
      this.epoch = state.epoch();
      this.position = state.position();
      this.rank = state.rank();
      this.worldSize = state.worldSize();
      this.remainder = state.remainder();
      return this;
    }

    public Loader<T> open() {
      if (batchSize < 1) throw new IllegalStateException("batchSize not set");
      return new Loader<>(this);
    }
  }
}
