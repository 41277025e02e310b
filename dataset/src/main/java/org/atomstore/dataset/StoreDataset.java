package org.atomstore.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.atomstore.model.Molecule;
import org.atomstore.source.ObjectStore;
import org.atomstore.store.CorruptFileException;
import org.atomstore.store.FieldSet;
import org.atomstore.store.FlatBatch;
import org.atomstore.store.RangedAtpReader;

/**
 * A dataset whose shards are blobs of an {@link ObjectStore} (HTTP, S3, the Hugging Face Hub, a directory),
 * read by range requests through {@link RangedAtpReader}s. The store's root is the dataset.
 *
 * <p>The shard list comes from {@code manifest.json}: Atomstore's own ({@link Manifest}: counts, sizes and
 * SHA-256 per shard; shards are then opened lazily, on first use, and their counts checked) or else Atompack's
 * ({@link AtompackManifest}: {@code output_files} in order). Without a manifest it is, as Atompack's hub reads a
 * directory, every {@code *.atp} blob under the root in lexicographic order of its name. Shards whose counts no
 * manifest gives are opened (in parallel) when the dataset is opened, to count them.
 *
 * <p>Thread contract: a dataset may be shared by any number of reading threads; {@link #close()} must not
 * race with reads.
 */
public final class StoreDataset implements Dataset {
  /** Shards opened at once when a dataset without counts is opened. */
  private static final int OPEN_IN_PARALLEL = 16;

  private final ObjectStore store;
  private final boolean ownsStore;
  private final String address;
  private final String[] shardPaths;
  private final long[] starts;
  private final long[] bytes;
  private final Manifest manifest;
  private final AtompackManifest atompackManifest;
  private final AtomicReferenceArray<RangedAtpReader> readers;
  private volatile boolean closed;

  private StoreDataset(ObjectStore store, boolean owns, String[] paths, long[] starts, long[] bytes, Manifest manifest,
      AtompackManifest atompack) {
    this.store = store;
    this.ownsStore = owns;
    this.address = store.address();
    this.shardPaths = paths;
    this.starts = starts;
    this.bytes = bytes;
    this.manifest = manifest;
    this.atompackManifest = atompack;
    this.readers = new AtomicReferenceArray<>(paths.length);
  }

  /**
   * Opens the dataset at the root of {@code store}; with {@code owns}, closing the dataset (or a failed open)
   * closes the store.
   *
   * @throws CorruptFileException when the manifest is malformed or names an unsafe path, a shard is corrupt,
   *     or counts disagree with the manifest
   * @throws java.nio.file.NoSuchFileException when the store holds neither a manifest nor any {@code .atp}
   */
  public static StoreDataset open(ObjectStore store, boolean owns) throws IOException {
    try {
      return openIn(store, owns);
    } catch (IOException | RuntimeException e) {
      if (owns) {
        try {
          store.close();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  /**
   * Opens one {@code .atp} blob of {@code store} as a dataset of one shard (the command line's view of a remote
   * file); with {@code owns}, closing the dataset (or a failed open) closes the store.
   */
  public static StoreDataset openFile(ObjectStore store, String name, boolean owns) throws IOException {
    var ds = new StoreDataset(store, owns, new String[] {name}, new long[2], new long[1], null, null);
    try {
      ds.openAll();
    } catch (IOException | RuntimeException e) {
      ds.close();
      throw e;
    }
    return ds;
  }

  private static StoreDataset openIn(ObjectStore store, boolean owns) throws IOException {
    Optional<byte[]> manifestBytes = readManifest(store);
    String manifestName = store.address().replaceAll("/+$", "") + "/" + Manifest.FILE_NAME;
    if (manifestBytes.isPresent() && !Manifest.isAtompack(manifestBytes.get())) {
      Manifest m = Manifest.parse(manifestBytes.get(), manifestName);
      int n = m.shards().size();
      String[] paths = new String[n];
      long[] starts = new long[n + 1];
      long[] sizes = new long[n];
      for (int s = 0; s < n; s++) {
        Manifest.Shard shard = m.shards().get(s);
        paths[s] = shard.path();
        sizes[s] = shard.bytes();
        starts[s + 1] = starts[s] + shard.molecules();
      }
      return new StoreDataset(store, owns, paths, starts, sizes, m, null);
    }
    AtompackManifest am = null;
    List<String> paths;
    if (manifestBytes.isPresent()) {
      am = AtompackManifest.parse(manifestBytes.get(), manifestName);
      paths = am.outputFiles();
    } else {
      if (!store.listable()) {
        throw new java.nio.file.NoSuchFileException(store.address(), null,
            "no " + Manifest.FILE_NAME + " here, and this store cannot list its .atp files");
      }
      paths = new ArrayList<>();
      for (ObjectStore.Entry e : store.list("")) if (e.name().endsWith(".atp")) paths.add(e.name());
      // as Atompack's hub: lexicographic order of the path
      paths.sort(null);
      if (paths.isEmpty()) {
        throw new java.nio.file.NoSuchFileException(store.address(), null, "no " + Manifest.FILE_NAME + " and no .atp files");
      }
    }
    int n = paths.size();
    var ds = new StoreDataset(store, owns, paths.toArray(String[]::new), new long[n + 1], new long[n], null, am);
    try {
      ds.openAll();
    } catch (IOException | RuntimeException e) {
      ds.closeReaders();
      throw e;
    }
    if (am != null && am.nSamples() >= 0 && am.nSamples() != ds.size()) {
      ds.closeReaders();
      throw new CorruptFileException(manifestName, -1, "n_samples is " + am.nSamples() + " but the shards hold " + ds.size() + " molecules");
    }
    return ds;
  }

  /** The manifest's bytes, when the store has one. */
  private static Optional<byte[]> readManifest(ObjectStore store) throws IOException {
    Optional<Long> size = store.size(Manifest.FILE_NAME);
    if (size.isEmpty()) return Optional.empty();
    if (size.get() > Manifest.MAX_BYTES) {
      throw new CorruptFileException(store.address() + "/" + Manifest.FILE_NAME, -1,
          "manifest is " + size.get() + " bytes, more than the limit of " + Manifest.MAX_BYTES);
    }
    try (InputStream in = store.read(Manifest.FILE_NAME)) {
      return Optional.of(in.readNBytes((int) Math.min(Manifest.MAX_BYTES, Integer.MAX_VALUE - 16)));
    }
  }

  /** Opens every shard, several at once, to count them (no manifest gives their counts). */
  private void openAll() throws IOException {
    int n = shardPaths.length;
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(OPEN_IN_PARALLEL);
      List<Future<RangedAtpReader>> opened = new ArrayList<>();
      for (int s = 0; s < n; s++) {
        int shard = s;
        opened.add(pool.submit(() -> {
          slots.acquire();
          try {
            return openShard(shard, -1);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          } finally {
            slots.release();
          }
        }));
      }
      for (int s = 0; s < n; s++) {
        RangedAtpReader r;
        try {
          r = opened.get(s).get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("interrupted while opening " + address);
        } catch (ExecutionException e) {
          if (e.getCause() instanceof UncheckedIOException u) throw u.getCause();
          throw new IllegalStateException("opening a shard of " + address + " failed", e.getCause());
        }
        starts[s + 1] = starts[s] + r.size();
        bytes[s] = r.fileSize();
      }
    }
  }

  /** The store the dataset reads. */
  public ObjectStore store() { return store; }

  /** Atomstore's manifest, when the dataset has one. */
  public Optional<Manifest> manifest() { return Optional.ofNullable(manifest); }

  /** Atompack's manifest, when the dataset has that one instead. */
  public Optional<AtompackManifest> atompackManifest() { return Optional.ofNullable(atompackManifest); }

  @Override
  public String source() { return address; }

  @Override
  public long size() { return starts[starts.length - 1]; }

  @Override
  public int shardCount() { return shardPaths.length; }

  @Override
  public String shardPath(int shard) { return shardPaths[shard]; }

  @Override
  public long shardStart(int shard) { return starts[shard]; }

  @Override
  public long[] shardStarts() { return starts.clone(); }

  @Override
  public boolean hasManifest() { return manifest != null || atompackManifest != null; }

  @Override
  public Optional<List<Manifest.SchemaField>> manifestSchema() {
    return manifest == null ? Optional.empty() : Optional.ofNullable(manifest.schema());
  }

  /** The dataset's fields: from the manifest's summary, else the first shard's (as {@link ShardedDataset#schema()}). */
  @Override
  public org.atomstore.table.TableSchema schema() throws IOException {
    Optional<List<Manifest.SchemaField>> m = manifestSchema();
    if (m.isPresent()) return ShardedDataset.schemaOf(m.get());
    return shardPaths.length == 0 ? org.atomstore.table.TableSchema.EMPTY : shard(0).schema();
  }

  @Override
  public long shardBytes(int shard) { return bytes[shard]; }

  /** The shard holding global index {@code index}. */
  public int shardOf(long index) {
    if (index < 0 || index >= size()) throw new IndexOutOfBoundsException("index " + index + " outside [0, " + size() + ")");
    int lo = 0;
    int hi = shardPaths.length - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (starts[mid] <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  @Override
  public RangedAtpReader shard(int shard) throws IOException {
    RangedAtpReader r = readers.get(shard);
    if (r != null) return r;
    return openShard(shard, starts[shard + 1] - starts[shard]);
  }

  private RangedAtpReader openShard(int s, long expectedCount) throws IOException {
    ensureOpen();
    RangedAtpReader r = readers.get(s);
    if (r != null) return r;
    r = RangedAtpReader.open(store.open(shardPaths[s]), true);
    if (expectedCount >= 0 && r.size() != expectedCount) {
      long found = r.size();
      String name = r.source();
      r.close();
      throw new CorruptFileException(name, -1, "shard '" + shardPaths[s] + "' holds " + found
          + " molecules but the manifest lists " + expectedCount);
    }
    if (!readers.compareAndSet(s, null, r)) {
      r.close(); // another thread opened it meanwhile
      return readers.get(s);
    }
    return r;
  }

  @Override
  public Molecule get(long index, FieldSet fields) throws IOException {
    int s = shardOf(index);
    return shard(s).get(index - starts[s], fields);
  }

  @Override
  public FlatBatch readBatch(long[] indices, FieldSet fields, boolean float64) throws IOException {
    ensureOpen();
    RangedAtpReader[] shardOfRow = new RangedAtpReader[indices.length];
    long[] local = new long[indices.length];
    for (int k = 0; k < indices.length; k++) {
      int s = shardOf(indices[k]);
      shardOfRow[k] = shard(s);
      local[k] = indices[k] - starts[s];
    }
    return RangedAtpReader.readBatch(shardOfRow, local, indices, fields, float64);
  }

  /** Bytes read from the store by the shards' readers so far; for measurements. */
  public long bytesRead() {
    long n = 0;
    for (int s = 0; s < readers.length(); s++) {
      RangedAtpReader r = readers.get(s);
      if (r != null) n += r.bytesRead();
    }
    return n;
  }

  private void ensureOpen() {
    if (closed) throw new IllegalStateException("dataset is closed: " + address);
  }

  private void closeReaders() throws IOException {
    IOException failed = null;
    for (int s = 0; s < readers.length(); s++) {
      RangedAtpReader r = readers.getAndSet(s, null);
      if (r == null) continue;
      try {
        r.close();
      } catch (IOException e) {
        if (failed == null) failed = e;
        else failed.addSuppressed(e);
      }
    }
    if (failed != null) throw failed;
  }

  /** Closes every opened shard (and the store when the dataset owns it); idempotent. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) return;
    closed = true;
    try {
      closeReaders();
    } finally {
      if (ownsStore) store.close();
    }
  }
}
