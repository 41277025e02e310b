package org.atomstore.dataset;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.atomstore.codec.Compression;
import org.atomstore.model.Molecule;
import org.atomstore.model.TypeTag;
import org.atomstore.model.Value;
import org.atomstore.store.AtpWriter;

/**
 * Writes a sharded dataset: molecules go to {@code shard-00000000.atp}, {@code shard-00000001.atp}, ... in
 * order, a new shard starting when the current one reaches the molecule limit or would pass the byte limit.
 *
 * <p>The dataset appears at once or not at all: shards and then {@code manifest.json} are written into a
 * staging directory next to the target ({@code .NAME.partial}, see {@link #stagingDirectory()}), which
 * {@link #finish()} renames to the target in one step. A failed or abandoned write removes the staging
 * directory and leaves the target as it was (absent, or an empty directory); a process killed mid-write leaves
 * only the hidden staging directory, which the next writer to the same target removes. Inside the staging
 * directory a shard is written as {@code NAME.atp.partial} and renamed to {@code NAME.atp} once committed.
 *
 * <p>The byte limit is checked against {@link AtpWriter#estimatedFileSize()}: a shard is closed when the
 * next record, if as large as the last one, would pass the limit, so shards stay under it unless a record is
 * larger than its predecessor (a shard holds at least one molecule). Sizes leave out the schema blob.
 *
 * <p>A writer belongs to one thread.
 */
public final class ShardedWriter implements AutoCloseable {
  static final String PARTIAL_SUFFIX = ".partial";
  static final int MAX_SHARDS = 100_000_000;

  static final String STAGING_SUFFIX = ".partial";

  private final Path target;
  /** Where shards and the manifest are written until {@link #finish()} renames it to {@link #target}. */
  private final Path dir;
  private final Compression compression;
  private final long maxShardBytes;
  private final long maxShardMolecules;
  private final List<Manifest.Shard> shards = new ArrayList<>();
  private final Map<String, FieldStats> fields = new TreeMap<>();
  private AtpWriter current;
  private long lastEstimate;
  private long total;
  private boolean closed;
  private boolean failed;

  private static final class FieldStats {
    final TreeSet<Integer> tags = new TreeSet<>();
    long molecules;
  }

  private ShardedWriter(Builder b, Path staging) {
    this.target = b.dir;
    this.dir = staging;
    this.compression = b.compression;
    this.maxShardBytes = b.maxShardBytes;
    this.maxShardMolecules = b.maxShardMolecules;
  }

  /** A writer into {@code dir}, which must be absent or empty. */
  public static Builder builder(Path dir) {
    return new Builder(dir);
  }

  /** Shard file name of shard {@code s}: fixed width, so names sort in shard order. */
  static String shardName(int s) {
    return String.format("shard-%08d.atp", s);
  }

  public void add(Molecule m) throws IOException {
    ensureUsable();
    try {
      if (current == null) startShard();
      current.add(m);
      total++;
      record(m);
      long estimate = current.estimatedFileSize();
      long last = estimate - lastEstimate;
      lastEstimate = estimate;
      if (current.size() >= maxShardMolecules || estimate + last > maxShardBytes) finishShard();
    } catch (IOException | RuntimeException e) {
      failed = true;
      throw e;
    }
  }

  public void addAll(Iterable<Molecule> molecules) throws IOException {
    for (Molecule m : molecules) add(m);
  }

  /** Molecules added so far. */
  public long size() { return total; }

  /** Shards finished so far (the one being written not counted). */
  public int finishedShards() { return shards.size(); }

  /** The dataset directory that {@link #finish()} publishes. */
  public Path directory() { return target; }

  /**
   * The hidden sibling of {@link #directory()} that holds the dataset while it is written. A caller that must
   * clean up when its process is stopped (a shutdown hook) removes this directory.
   */
  public Path stagingDirectory() { return dir; }

  /** The staging directory used for {@code target}: {@code .NAME.partial} in the same parent directory. */
  public static Path stagingDirectory(Path target) {
    Path abs = target.toAbsolutePath().normalize();
    return abs.resolveSibling("." + abs.getFileName() + STAGING_SUFFIX);
  }

  private void startShard() throws IOException {
    if (shards.size() >= MAX_SHARDS) throw new IllegalStateException("more than " + MAX_SHARDS + " shards");
    current = AtpWriter.create(dir.resolve(shardName(shards.size()) + PARTIAL_SUFFIX), compression);
    lastEstimate = current.estimatedFileSize();
  }

  private void finishShard() throws IOException {
    AtpWriter w = current;
    current = null;
    long count = w.size();
    w.close();
    String name = shardName(shards.size());
    Path target = dir.resolve(name);
    Files.move(w.path(), target, StandardCopyOption.ATOMIC_MOVE);
    shards.add(new Manifest.Shard(name, count, Files.size(target), Sha256.of(target)));
  }

  private void record(Molecule m) {
    note("positions", "positions", m.positions());
    for (var e : m.builtins().entrySet()) note("builtin", e.getKey(), e.getValue());
    // custom properties as stored: some types are stored with another tag (TypeTag.customTag)
    for (var e : m.atomProperties().entrySet()) note("atom", e.getKey(), TypeTag.customTag(e.getValue().typeTag()));
    for (var e : m.properties().entrySet()) note("molecule", e.getKey(), TypeTag.customTag(e.getValue().typeTag()));
  }

  private void note(String scope, String key, Value v) {
    note(scope, key, v.typeTag());
  }

  private void note(String scope, String key, int tag) {
    FieldStats f = fields.computeIfAbsent(scope + '\0' + key, k -> new FieldStats());
    f.tags.add(tag);
    f.molecules++;
  }

  private List<Manifest.SchemaField> schema() {
    List<Manifest.SchemaField> out = new ArrayList<>();
    for (var e : fields.entrySet()) {
      String[] sk = e.getKey().split("\0", 2);
      out.add(new Manifest.SchemaField(sk[0], sk[1], List.copyOf(e.getValue().tags), e.getValue().molecules));
    }
    return out;
  }

  private void ensureUsable() {
    if (closed) throw new IllegalStateException("sharded writer is closed: " + target);
    if (failed) throw new IllegalStateException("sharded writer failed earlier: " + target);
  }

  /**
   * Commits the last shard, writes the manifest and renames the staging directory to the target; after a
   * failed {@link #add} it only removes the staging directory. Idempotent.
   *
   * @return the manifest written, or null when none was
   */
  public Manifest finish() throws IOException {
    if (closed) return null;
    if (failed) {
      abandon();
      return null;
    }
    closed = true;
    try {
      if (current != null) finishShard();
      Manifest m = Manifest.of(shards, schema());
      m.write(dir);
      publish();
      return m;
    } catch (IOException | RuntimeException e) {
      removeStaging(e);
      throw e;
    }
  }

  /**
   * Renames the staging directory over the target. rename(2) replaces an empty directory in one step; where
   * the file system will not, the empty target is removed first (it held nothing, so nothing is lost).
   */
  private void publish() throws IOException {
    try {
      Files.move(dir, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      if (!Files.isDirectory(target)) throw e;
      Files.delete(target); // fails unless empty, which open() checked
      Files.move(dir, target, StandardCopyOption.ATOMIC_MOVE);
    }
  }

  /**
   * Same as {@link #finish()}: publishes what was added. A caller whose own work failed half-way (an input
   * that could not be read) calls {@link #abandon()} first, or it would publish a partial dataset.
   */
  @Override
  public void close() throws IOException {
    finish();
  }

  /** Stops without publishing anything: the open shard is dropped and the staging directory removed. */
  public void abandon() throws IOException {
    if (closed) return;
    closed = true;
    try {
      if (current != null) current.abandon();
    } finally {
      deleteTree(dir);
    }
  }

  private void removeStaging(Throwable cause) {
    try {
      deleteTree(dir);
    } catch (IOException | RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Options of a sharded writer. */
  public static final class Builder {
    private final Path dir;
    private Compression compression = Compression.NONE;
    private long maxShardBytes = 1L << 30;
    private long maxShardMolecules = Long.MAX_VALUE;

    private Builder(Path dir) {
      this.dir = dir;
    }

    /** Default none. */
    public Builder compression(Compression compression) {
      this.compression = compression;
      return this;
    }

    /** Default 1 GiB. */
    public Builder maxShardBytes(long bytes) {
      if (bytes < 1) throw new IllegalArgumentException("maxShardBytes must be >= 1: " + bytes);
      this.maxShardBytes = bytes;
      return this;
    }

    /** Default unlimited. */
    public Builder maxShardMolecules(long molecules) {
      if (molecules < 1) throw new IllegalArgumentException("maxShardMolecules must be >= 1: " + molecules);
      this.maxShardMolecules = molecules;
      return this;
    }

    /**
     * Checks the target (absent, or an empty directory) and creates a fresh staging directory next to it,
     * removing one a killed writer left behind.
     */
    public ShardedWriter open() throws IOException {
      if (Files.exists(dir) && !Files.isDirectory(dir)) {
        throw new FileAlreadyExistsException(dir.toString(), null,
            "exists and is not a directory (a dataset is written into a new or empty directory)");
      }
      if (Files.isDirectory(dir)) {
        try (Stream<Path> entries = Files.list(dir)) {
          if (entries.findAny().isPresent()) {
            throw new FileAlreadyExistsException(dir.toString(), null, "output directory is not empty");
          }
        }
      }
      Path staging = stagingDirectory(dir);
      Files.createDirectories(staging.getParent());
      deleteTree(staging);
      Files.createDirectory(staging);
      return new ShardedWriter(this, staging);
    }
  }
}
