package org.atomstore.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Stream;
import org.atomstore.model.Molecule;
import org.atomstore.store.AtpReader;
import org.atomstore.store.CorruptFileException;
import org.atomstore.store.FieldSet;
import org.atomstore.store.FlatBatch;
import org.atomstore.table.Table;
import org.atomstore.table.TableSchema;

/**
 * A directory of {@code .atp} shards read as one random-access dataset. Global index {@code i} lives in
 * shard {@code s} with {@code start[s] <= i < start[s+1]} (binary search over the cumulative counts) at
 * local index {@code i - start[s]}.
 *
 * <p>The shard list comes from {@code manifest.json} when there is one (shards are then opened lazily, on
 * first use, and their counts checked against the manifest); otherwise it is every {@code *.atp} below the
 * directory, sorted by relative path, each opened once to count it. Either way an opened shard stays mapped
 * until {@link #close()}. Per shard the dataset keeps a path string, a {@code long} and one reference, so
 * hundreds of thousands of shards are fine; each opened shard holds one memory mapping, so a process
 * touching more shards than {@code vm.max_map_count} allows (65,530 by default on Linux) needs that limit
 * raised.
 *
 * <p>Shard paths never lead outside the directory (see {@link UnsafeShardPathException}). A single
 * {@code .atp} file also opens as a dataset of one shard.
 *
 * <p>Thread contract: a dataset may be shared by any number of reading threads; {@link #close()} must not
 * race with reads.
 */
public final class ShardedDataset implements Dataset {
  private final Path root;
  private final Path realRoot;
  /** The manifest, or the directory when shards were found by listing; named in errors. */
  private final Path source;
  private final String[] shardPaths;
  private final long[] starts;
  private final AtomicReferenceArray<AtpReader> readers;
  private final List<Manifest.SchemaField> schema;
  private volatile boolean closed;

  private ShardedDataset(Path root, Path source, String[] shardPaths, long[] starts, List<Manifest.SchemaField> schema)
      throws IOException {
    this.root = root;
    this.realRoot = root.toRealPath();
    this.source = source;
    this.shardPaths = shardPaths;
    this.starts = starts;
    this.readers = new AtomicReferenceArray<>(shardPaths.length);
    this.schema = schema;
  }

  /**
   * Opens a dataset directory (with or without {@code manifest.json}) or a single {@code .atp} file.
   *
   * @throws CorruptFileException if the manifest is malformed or names an unsafe path, or a shard is corrupt
   */
  public static ShardedDataset open(Path path) throws IOException {
    Path abs = path.toAbsolutePath().normalize();
    if (Files.isRegularFile(abs)) return listed(abs.getParent(), abs, List.of(abs));
    if (!Files.isDirectory(abs)) throw new java.nio.file.NoSuchFileException(path.toString(), null, "no such dataset");
    Path manifestFile = abs.resolve(Manifest.FILE_NAME);
    if (Files.isRegularFile(manifestFile)) return fromManifest(abs, manifestFile, Manifest.read(manifestFile));
    return listed(abs, abs, listShards(abs));
  }

  @Override
  public boolean hasManifest() { return source.getFileName().toString().equals(Manifest.FILE_NAME); }

  @Override
  public long shardBytes(int shard) throws IOException { return Files.size(root.resolve(shardPaths[shard])); }

  /** Whether {@code dir} holds a manifest. */
  public static boolean hasManifest(Path dir) {
    return Files.isRegularFile(dir.resolve(Manifest.FILE_NAME));
  }

  /** Every {@code *.atp} file below {@code dir} (links not followed into directories), sorted by relative path. */
  public static List<Path> listShards(Path dir) throws IOException {
    Path abs = dir.toAbsolutePath().normalize();
    try (Stream<Path> walk = Files.walk(abs)) {
      return walk
          .filter(p -> p.getFileName().toString().endsWith(".atp"))
          .filter(p -> Files.isRegularFile(p) || Files.isSymbolicLink(p))
          .sorted((a, b) -> ShardPaths.relativize(abs, a).compareTo(ShardPaths.relativize(abs, b)))
          .toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static ShardedDataset fromManifest(Path root, Path manifestFile, Manifest m) throws IOException {
    int n = m.shards().size();
    String[] paths = new String[n];
    long[] starts = new long[n + 1];
    for (int s = 0; s < n; s++) {
      Manifest.Shard shard = m.shards().get(s);
      paths[s] = shard.path();
      starts[s + 1] = starts[s] + shard.molecules();
    }
    return new ShardedDataset(root, manifestFile, paths, starts, m.schema());
  }

  private static ShardedDataset listed(Path root, Path source, List<Path> files) throws IOException {
    int n = files.size();
    String[] paths = new String[n];
    for (int s = 0; s < n; s++) paths[s] = ShardPaths.relativize(root, files.get(s));
    long[] starts = new long[n + 1];
    var ds = new ShardedDataset(root, source, paths, starts, null);
    try {
      for (int s = 0; s < n; s++) {
        AtpReader r = ds.openShard(s, -1);
        starts[s + 1] = starts[s] + r.size();
      }
    } catch (IOException | RuntimeException e) {
      ds.close();
      throw e;
    }
    return ds;
  }

  /** Total molecules over all shards. */
  public long size() {
    return starts[starts.length - 1];
  }

  public int shardCount() { return shardPaths.length; }

  /** The shard's path relative to the dataset directory, {@code /}-separated. */
  public String shardPath(int shard) { return shardPaths[shard]; }

  /** First global index of {@code shard}; {@code shardStart(shardCount())} is {@link #size()}. */
  public long shardStart(int shard) { return starts[shard]; }

  /** Cumulative shard sizes {@code [0, ..., size()]} (a copy). */
  public long[] shardStarts() { return starts.clone(); }

  public Path directory() { return root; }

  @Override
  public String source() { return root.toString(); }

  /** Field summary from the manifest, when there is one. */
  public Optional<List<Manifest.SchemaField>> manifestSchema() { return Optional.ofNullable(schema); }

  /**
   * The dataset's fields as the schema model: from the manifest's summary (a field stored with several type tags
   * gets the dtype and shape that hold them all), else the first shard's.
   */
  @Override
  public TableSchema schema() throws IOException {
    if (schema == null) return shardPaths.length == 0 ? TableSchema.EMPTY : shard(0).schema();
    return schemaOf(schema);
  }

  /** The schema model of a manifest's schema summary. */
  public static TableSchema schemaOf(List<Manifest.SchemaField> summary) {
    java.util.Map<String, TableSchema.Field> out = new java.util.LinkedHashMap<>();
    for (Manifest.SchemaField f : summary) {
      boolean perAtom = f.scope().equals("atom") || f.scope().equals("positions");
      List<Integer> tags = f.typeTags().isEmpty() ? List.of(-1) : f.typeTags();
      for (int tag : tags) {
        TableSchema.Field field = TableSchema.field(f.key(), perAtom, tag);
        out.merge(f.key(), field, (a, b) -> TableSchema.ofFields(a, b));
      }
      if (f.scope().equals("positions")) {
        out.putIfAbsent("atomic_numbers", TableSchema.field("atomic_numbers", true, -1));
      }
    }
    return new TableSchema(new java.util.ArrayList<>(out.values()));
  }

  /** The shard holding global index {@code index}. */
  public int shardOf(long index) {
    if (index < 0 || index >= size()) {
      throw new IndexOutOfBoundsException("index " + index + " outside [0, " + size() + ")");
    }
    // Largest s with starts[s] <= index; empty shards share their start with the next one.
    int lo = 0;
    int hi = shardPaths.length - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (starts[mid] <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The reader of {@code shard}, opened on first use and kept open. */
  public AtpReader shard(int shard) throws IOException {
    AtpReader r = readers.get(shard);
    if (r != null) return r;
    return openShard(shard, starts[shard + 1] - starts[shard]);
  }

  private synchronized AtpReader openShard(int s, long expectedCount) throws IOException {
    ensureOpen();
    AtpReader r = readers.get(s);
    if (r != null) return r;
    Path file = ShardPaths.confineReal(realRoot, ShardPaths.resolve(root, shardPaths[s], source), shardPaths[s], source);
    r = AtpReader.open(file);
    if (expectedCount >= 0 && r.size() != expectedCount) {
      long found = r.size();
      r.close();
      throw new CorruptFileException(file, -1, "shard '" + shardPaths[s] + "' holds " + found
          + " molecules but the manifest lists " + expectedCount);
    }
    readers.set(s, r);
    return r;
  }

  public Molecule get(long index) throws IOException {
    int s = shardOf(index);
    return shard(s).get(index - starts[s]);
  }

  public Molecule get(long index, FieldSet fields) throws IOException {
    int s = shardOf(index);
    return shard(s).get(index - starts[s], fields);
  }

  public int atomCount(long index) throws IOException {
    int s = shardOf(index);
    return shard(s).atomCount(index - starts[s]);
  }

  /**
   * Decodes the molecules at {@code indices} (global, any order, repeats allowed) as one flat batch in
   * that order; only {@code fields} are decoded.
   */
  public FlatBatch readBatch(long[] indices, FieldSet fields, boolean float64) throws IOException {
    ensureOpen();
    AtpReader[] shardOfRow = new AtpReader[indices.length];
    long[] local = new long[indices.length];
    for (int k = 0; k < indices.length; k++) {
      int s = shardOf(indices[k]);
      shardOfRow[k] = shard(s);
      local[k] = indices[k] - starts[s];
    }
    return AtpReader.readBatch(shardOfRow, local, indices, fields, float64);
  }

  /** Number of shards opened so far. */
  public int openShards() {
    int n = 0;
    for (int s = 0; s < readers.length(); s++) if (readers.get(s) != null) n++;
    return n;
  }

  private void ensureOpen() {
    if (closed) throw new IllegalStateException("dataset is closed: " + root);
  }

  /** Closes every opened shard; idempotent. */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    for (int s = 0; s < readers.length(); s++) {
      AtpReader r = readers.getAndSet(s, null);
      if (r != null) r.close();
    }
  }
}
