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
 * <p>Crash safety: a shard is written as {@code NAME.atp.partial} and renamed to {@code NAME.atp} once
 * committed and closed; {@code manifest.json} is written last, on {@link #close()}, under a temporary name
 * and then renamed. A dataset directory without a manifest therefore never claims to be complete, and
 * never holds a half-written {@code .atp}.
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

  private ShardedWriter(Builder b) {
    this.dir = b.dir;
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

  public Path directory() { return dir; }

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
    if (closed) throw new IllegalStateException("sharded writer is closed: " + dir);
    if (failed) throw new IllegalStateException("sharded writer failed earlier: " + dir);
  }

  /**
   * Commits the last shard and then writes the manifest; after a failed {@link #add} it only closes the
   * open shard and writes no manifest. Idempotent.
   *
   * @return the manifest written, or null when none was
   */
  public Manifest finish() throws IOException {
    if (closed) return null;
    closed = true;
    if (failed) {
      if (current != null) current.abandon();
      return null;
    }
    if (current != null) finishShard();
    Manifest m = Manifest.of(shards, schema());
    m.write(dir);
    return m;
  }

  @Override
  public void close() throws IOException {
    finish();
  }

  /** Stops without committing the open shard or writing a manifest, as a crash would. */
  public void abandon() throws IOException {
    if (closed) return;
    closed = true;
    if (current != null) current.abandon();
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

    /** Creates the directory if needed; refuses one that already holds files. */
    public ShardedWriter open() throws IOException {
      Files.createDirectories(dir);
      try (Stream<Path> entries = Files.list(dir)) {
        if (entries.findAny().isPresent()) {
          throw new FileAlreadyExistsException(dir.toString(), null, "output directory is not empty");
        }
      }
      return new ShardedWriter(this);
    }
  }
}
