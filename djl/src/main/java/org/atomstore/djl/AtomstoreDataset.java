package org.atomstore.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.util.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.atomstore.loader.BatchSource;
import org.atomstore.loader.Loader;
import org.atomstore.loader.LoaderState;
import org.atomstore.loader.sampler.Remainder;
import org.atomstore.loader.sampler.Shuffle;
import org.atomstore.store.FieldSet;
import org.atomstore.store.FlatBatch;
import org.atomstore.table.Table;

/**
 * Any Atomstore {@link Table} (or a subset of its rows) as a DJL {@link RandomAccessDataset}. Its batches come
 * from Atomstore's {@link Loader}, not from DJL's samplers: the order is a function of (seed, epoch) only, split
 * by rank, read ahead on loader threads, and resumable from a {@link LoaderState} at any batch. Each call of
 * {@link #getData(NDManager)} (DJL's trainer makes one per epoch) yields the next epoch, continuing where the
 * last one stopped; {@link #state()} is where the next batch would come from, and {@link Builder#resume} starts
 * there, so a checkpoint that saves it resumes training at the same batch.
 *
 * <p>Batches are built by a {@link BatchPreparer}: by default {@link GraphBatches}, the flat ragged layout.
 * {@link #get(NDManager, long)} gives one record in the same layout, for DJL's own samplers.
 *
 * <p>Thread contract: one training thread iterates; the loader's threads read the table.
 */
public final class AtomstoreDataset extends RandomAccessDataset {
  private final Table table;
  private final long[] rows;
  private final FieldSet fields;
  private final BatchPreparer<Object> preparer;
  private final Shuffle shuffle;
  private final int rank;
  private final int worldSize;
  private final int threads;
  private final int batchSize;
  private final boolean dropLast;
  private final long size;
  private final long[] shardStarts;
  private volatile LoaderState next;
  private final AtomicLong waitNanos = new AtomicLong();
  private final AtomicLong batches = new AtomicLong();

  @SuppressWarnings("unchecked")
  private AtomstoreDataset(Builder b) throws IOException {
    super(b);
    this.table = b.table;
    this.rows = b.rows;
    this.fields = b.fields;
    this.preparer = (BatchPreparer<Object>) b.preparer;
    this.shuffle = b.shuffle;
    this.rank = b.rank;
    this.worldSize = b.worldSize;
    this.threads = b.threads;
    this.batchSize = b.batchSize;
    this.dropLast = b.dropLast;
    this.size = rows == null ? table.size() : rows.length;
    this.shardStarts = rows == null ? table.shardStarts() : new long[] {0, rows.length};
    this.next = b.resume != null ? b.resume
        : new LoaderState(1, b.seed, b.epoch, 0, rank, worldSize, Remainder.DROP, size, shuffle.toString());
    if (next.datasetSize() != size) {
      throw new IllegalArgumentException("the loader state is for " + next.datasetSize() + " rows, the dataset has " + size);
    }
  }

  public static Builder builder(Table table) { return new Builder(table); }

  /** Where the next batch comes from: save it with a checkpoint, pass it to {@link Builder#resume}. */
  public LoaderState state() { return next; }

  /** Nanoseconds the training thread spent waiting for the loader, over every epoch so far. */
  public long waitNanos() { return waitNanos.get(); }

  /** Batches handed out so far. */
  public long batchesServed() { return batches.get(); }

  /** The fields read; for tests. */
  FieldSet fieldsForTest() { return fields; }

  /** The table row of dataset index {@code i}. */
  public long row(long i) { return rows == null ? i : rows[Math.toIntExact(i)]; }

  @Override
  protected long availableSize() { return size; }

  @Override
  public void prepare(Progress progress) {}

  /** One record: data and labels as in {@link GraphBatches}, without batch vector and offsets; energy a scalar. */
  @Override
  public Record get(NDManager manager, long index) throws IOException {
    FlatBatch one = table.readBatch(new long[] {row(index)}, fields, false);
    NDList data = GraphBatches.record(manager, one);
    NDList labels = new NDList();
    for (NDArray a : GraphBatches.INSTANCE.labels(manager, one)) {
      String name = a.getName();
      NDArray r = name.equals("energy") ? a.reshape() : name.equals("stress") ? a.reshape(3, 3) : a;
      r.setName(name);
      labels.add(r);
    }
    return new Record(data, labels);
  }

  /** The next epoch (or what is left of the current one) as loader batches. */
  @Override
  public Iterable<Batch> getData(NDManager manager) {
    return () -> new Epoch(manager);
  }

  private final class Epoch implements Iterator<Batch> {
    private final NDManager manager;
    private final Loader<Object> loader;

    Epoch(NDManager manager) {
      this.manager = manager;
      BatchSource<Object> source = new BatchSource<>() {
        @Override
        public long size() { return size; }

        @Override
        public long[] shardStarts() { return shardStarts.clone(); }

        @Override
        public Object read(long[] indices) throws IOException {
          long[] tableRows = indices;
          if (rows != null) {
            tableRows = new long[indices.length];
            for (int k = 0; k < indices.length; k++) tableRows[k] = rows[Math.toIntExact(indices[k])];
          }
          return preparer.prepare(table.readBatch(tableRows, fields, false));
        }
      };
      this.loader = Loader.builder(source).shuffle(shuffle).batchSize(batchSize).dropLast(dropLast).threads(threads)
          .resume(next).open();
    }

    @Override
    public boolean hasNext() {
      boolean more = loader.hasNext();
      if (!more) {
        next = loader.state();
        loader.close();
      }
      return more;
    }

    @Override
    public Batch next() {
      if (!hasNext()) throw new NoSuchElementException();
      long t0 = System.nanoTime();
      org.atomstore.loader.Batch<Object> b;
      try {
        b = loader.next();
      } catch (UncheckedIOException e) {
        loader.close();
        throw e;
      }
      waitNanos.addAndGet(System.nanoTime() - t0);
      next = loader.state();
      batches.incrementAndGet();
      NDManager sub = manager.newSubManager();
      NDList data = preparer.data(sub, b.data());
      NDList labels = preparer.labels(sub, b.data());
      long[] idx = b.indices();
      return new Batch(sub, data, labels, preparer.size(b.data()), GraphBatches.INSTANCE, GraphBatches.INSTANCE,
          b.number() + 1, loader.batchCount(), Arrays.stream(idx).boxed().toList());
    }
  }

  /** Builds a dataset; the table stays owned by the caller. */
  public static final class Builder extends BaseBuilder<Builder> {
    private final Table table;
    private long[] rows;
    private FieldSet fields = FieldSet.of("positions", "atomic_numbers", "energy", "forces", "cell", "stress", "pbc");
    private BatchPreparer<?> preparer = GraphBatches.INSTANCE;
    private Shuffle shuffle = Shuffle.full();
    private long seed;
    private long epoch;
    private int rank;
    private int worldSize = 1;
    private int threads = 2;
    private int batchSize = 32;
    private boolean dropLast;
    private LoaderState resume;

    private Builder(Table table) {
      this.table = Objects.requireNonNull(table, "table");
      setSampling(32, false);
      optDataBatchifier(GraphBatches.INSTANCE);
      optLabelBatchifier(GraphBatches.INSTANCE);
    }

    /** The fields read; for tests. */
    FieldSet fieldsForTest() { return fields; }

    @Override
    protected Builder self() { return this; }

    /** Only these table rows, in this order (dataset index i is table row rows[i]); e.g. a train split. */
    public Builder rows(long[] rows) { this.rows = rows.clone(); return this; }

    public Builder fields(FieldSet fields) { this.fields = Objects.requireNonNull(fields); return this; }

    public Builder preparer(BatchPreparer<?> preparer) { this.preparer = Objects.requireNonNull(preparer); return this; }

    public Builder shuffle(Shuffle shuffle) { this.shuffle = Objects.requireNonNull(shuffle); return this; }

    public Builder seed(long seed) { this.seed = seed; return this; }

    public Builder epoch(long epoch) { this.epoch = epoch; return this; }

    public Builder rank(int rank, int worldSize) { this.rank = rank; this.worldSize = worldSize; return this; }

    public Builder threads(int threads) { this.threads = threads; return this; }

    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      setSampling(batchSize, false);
      return this;
    }

    public Builder dropLast(boolean dropLast) { this.dropLast = dropLast; return this; }

    /** Start where a saved {@link AtomstoreDataset#state()} left off (seed, epoch, position, rank). */
    public Builder resume(LoaderState state) {
      this.resume = state;
      return this;
    }

    public AtomstoreDataset build() throws IOException { return new AtomstoreDataset(this); }
  }
}
