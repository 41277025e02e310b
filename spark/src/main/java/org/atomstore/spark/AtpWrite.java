package org.atomstore.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.write.BatchWrite;
import org.apache.spark.sql.connector.write.DataWriter;
import org.apache.spark.sql.connector.write.DataWriterFactory;
import org.apache.spark.sql.connector.write.LogicalWriteInfo;
import org.apache.spark.sql.connector.write.PhysicalWriteInfo;
import org.apache.spark.sql.connector.write.SupportsTruncate;
import org.apache.spark.sql.connector.write.Write;
import org.apache.spark.sql.connector.write.WriteBuilder;
import org.apache.spark.sql.connector.write.WriterCommitMessage;
import org.apache.spark.sql.types.StructType;
import org.atomstore.codec.Compression;
import org.atomstore.dataset.Manifest;
import org.atomstore.model.BuiltinField;
import org.atomstore.model.Molecule;
import org.atomstore.model.Value;
import org.atomstore.store.AtpWriter;

/**
 * Writes a DataFrame as an Atomstore dataset: each task writes one shard under a staging directory beside the
 * target, and only when every task has committed does the driver move the shards into a fresh directory, write
 * the manifest (counts, sizes, SHA-256, schema) and rename that directory into place. An aborted job removes the
 * staging directory: nothing that looks like a dataset is left. Append adds shards to an existing dataset and
 * rewrites its manifest last; overwrite replaces the dataset.
 */
final class AtpWrite implements Write, BatchWrite {
  private static final String STAGING = ".atp-staging-";
  private static final String PUBLISH = ".atp-publish-";
  private static final String OLD = ".atp-old-";

  private final String path;
  private final StructType schema;
  private final boolean overwrite;
  private final String compression;
  private final String job;

  private AtpWrite(String path, LogicalWriteInfo info, boolean overwrite) {
    this.path = path;
    this.schema = info.schema();
    this.overwrite = overwrite;
    this.compression = info.options().getOrDefault("compression", "none");
    Compression.parse(compression); // fail on the driver, before any task runs
    this.job = info.queryId() + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** The write of one query: append unless truncate() was called (overwrite). */
  static final class Builder implements WriteBuilder, SupportsTruncate {
    private final String path;
    private final LogicalWriteInfo info;
    private boolean overwrite;

    Builder(String path, LogicalWriteInfo info) {
      this.path = path;
      this.info = info;
    }

    @Override
    public WriteBuilder truncate() {
      overwrite = true;
      return this;
    }

    @Override
    public Write build() { return new AtpWrite(path, info, overwrite); }
  }

  @Override
  public BatchWrite toBatch() { return this; }

  private Path target() { return Path.of(path).toAbsolutePath().normalize(); }

  private Path sibling(String kind) { return target().resolveSibling(target().getFileName() + kind + job); }

  @Override
  public DataWriterFactory createBatchWriterFactory(PhysicalWriteInfo info) {
    Path staging = sibling(STAGING);
    try {
      Files.createDirectories(staging);
    } catch (IOException e) {
      throw new UncheckedIOException(staging + ": cannot create the staging directory: " + e.getMessage(), e);
    }
    return new Factory(staging.toString(), schema, compression);
  }

  @Override
  public void commit(WriterCommitMessage[] messages) {
    Path staging = sibling(STAGING);
    Path publish = sibling(PUBLISH);
    Path target = target();
    try {
      List<ShardCommit> shards = new ArrayList<>();
      for (WriterCommitMessage m : messages) if (m != null && ((ShardCommit) m).molecules() > 0) shards.add((ShardCommit) m);
      shards.sort(Comparator.comparingInt(ShardCommit::partition));
      boolean exists = Files.exists(target) && !isEmptyDirectory(target);
      boolean append = exists && !overwrite;
      Manifest old = null;
      if (append) {
        if (!Files.isRegularFile(target.resolve(Manifest.FILE_NAME))) {
          throw new IOException(target + ": append needs a dataset with a manifest.json; this is not one");
        }
        old = Manifest.read(target.resolve(Manifest.FILE_NAME));
      }
      Path dir = append ? target : Files.createDirectories(publish);
      List<Manifest.Shard> entries = new ArrayList<>(old == null ? List.of() : old.shards());
      TreeSet<String> taken = new TreeSet<>();
      for (Manifest.Shard s : entries) taken.add(s.path());
      Map<String, SchemaStats> fields = new TreeMap<>();
      if (old != null && old.schema() != null) {
        for (Manifest.SchemaField f : old.schema()) fields.put(f.scope() + '\0' + f.key(), new SchemaStats(new TreeSet<>(f.typeTags()), f.molecules()));
      }
      int next = entries.size();
      for (ShardCommit s : shards) {
        String name;
        do {
          name = String.format("part-%05d.atp", next++);
        } while (taken.contains(name));
        Files.move(staging.resolve(s.file()), dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        entries.add(new Manifest.Shard(name, s.molecules(), s.bytes(), s.sha256()));
        s.fields().forEach((k, v) -> fields.merge(k, v, SchemaStats::plus));
      }
      // the manifest last: until it is there, readers see the previous dataset (or none)
      Manifest.of(entries, SchemaStats.schema(fields)).write(dir);
      if (!append) {
        if (exists) {
          Path aside = sibling(OLD);
          Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
          Files.move(publish, target, StandardCopyOption.ATOMIC_MOVE);
          deleteTree(aside);
        } else {
          if (Files.isDirectory(target)) Files.delete(target); // empty
          Files.move(publish, target, StandardCopyOption.ATOMIC_MOVE);
        }
      }
      deleteTree(staging);
    } catch (IOException e) {
      try {
        deleteTree(publish);
        deleteTree(staging);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new UncheckedIOException(target + ": cannot commit the dataset: " + e.getMessage(), e);
    }
  }

  @Override
  public void abort(WriterCommitMessage[] messages) {
    try {
      deleteTree(sibling(PUBLISH));
      deleteTree(sibling(STAGING));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean isEmptyDirectory(Path p) throws IOException {
    if (!Files.isDirectory(p)) return false;
    try (Stream<Path> s = Files.list(p)) {
      return s.findAny().isEmpty();
    }
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) return;
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
    }
  }

  /** One committed shard, in the staging directory under {@code file}. */
  record ShardCommit(int partition, String file, long molecules, long bytes, String sha256,
      Map<String, SchemaStats> fields) implements WriterCommitMessage {}

  record Factory(String staging, StructType schema, String compression) implements DataWriterFactory {
    @Override
    public DataWriter<InternalRow> createWriter(int partitionId, long taskId) {
      try {
        return new ShardWriter(Path.of(staging), partitionId, taskId, SparkSchema.fromStruct(schema),
            Compression.parse(compression));
      } catch (IOException e) {
        throw new UncheckedIOException(staging + ": " + e.getMessage(), e);
      }
    }
  }

  /** Writes one task's rows as one shard. */
  static final class ShardWriter implements DataWriter<InternalRow> {
    private final Path partial;
    private final String file;
    private final int partition;
    private final List<SparkSchema.Column> columns;
    private final AtpWriter writer;
    private final SchemaStats.Tally fields = new SchemaStats.Tally();
    private long rows;
    private boolean done;

    ShardWriter(Path staging, int partition, long task, List<SparkSchema.Column> columns, Compression compression)
        throws IOException {
      this.partition = partition;
      this.file = "part-" + partition + "-" + task + ".atp";
      this.partial = staging.resolve(file + ".partial");
      this.columns = columns;
      this.writer = AtpWriter.create(partial, compression);
    }

    @Override
    public void write(InternalRow row) throws IOException {
      Molecule m = molecule(row, columns, partial + " row " + rows);
      writer.add(m);
      fields.note(m);
      rows++;
    }

    @Override
    public WriterCommitMessage commit() throws IOException {
      writer.close();
      done = true;
      Path committed = partial.resolveSibling(file);
      Files.move(partial, committed, StandardCopyOption.ATOMIC_MOVE);
      return new ShardCommit(partition, file, rows, Files.size(committed), sha256(committed), fields.stats());
    }

    @Override
    public void abort() throws IOException {
      if (!done) {
        done = true;
        writer.close();
      }
      Files.deleteIfExists(partial);
    }

    @Override
    public void close() throws IOException {
      if (!done) abort();
    }
  }

  static String sha256(Path file) throws IOException {
    MessageDigest d;
    try {
      d = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 20];
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) d.update(buf, 0, n);
    }
    return HexFormat.of().formatHex(d.digest());
  }

  /** A row back as a molecule; {@code where} names it in errors. */
  static Molecule molecule(InternalRow row, List<SparkSchema.Column> columns, String where) throws IOException {
    Value positions = null;
    byte[] numbers = null;
    for (int k = 0; k < columns.size(); k++) {
      SparkSchema.Column c = columns.get(k);
      if (row.isNullAt(k)) continue;
      if (c.scope() == SparkSchema.Scope.POSITIONS) {
        positions = SparkValues.fromSpark(row.get(k, c.type()), c.type(), c.tag(), where + " positions");
      } else if (c.scope() == SparkSchema.Scope.NUMBERS) {
        int[] z = row.getArray(k).toIntArray();
        numbers = new byte[z.length];
        for (int a = 0; a < z.length; a++) {
          if (z[a] < 0 || z[a] > 255) throw new IOException(where + ": atomic number " + z[a] + " outside 0..255");
          numbers[a] = (byte) z[a];
        }
      }
    }
    if (positions == null || numbers == null) {
      throw new IOException(where + ": a record needs positions and atomic_numbers (found " + Arrays.toString(
          columns.stream().map(SparkSchema.Column::name).toArray()) + ")");
    }
    Molecule m;
    try {
      m = Molecule.create(positions, numbers);
      for (int k = 0; k < columns.size(); k++) {
        SparkSchema.Column c = columns.get(k);
        if (row.isNullAt(k)) continue;
        switch (c.scope()) {
          case BUILTIN -> {
            Value v = SparkValues.fromSpark(row.get(k, c.type()), c.type(), c.tag(), where + " " + c.name());
            switch (BuiltinField.section(c.name())) {
              case CHARGES -> m.charges(v);
              case CELL -> m.cell(v);
              case ENERGY -> m.energy(v);
              case FORCES -> m.forces(v);
              case NAME -> m.name(((Value.Text) v).value());
              case PBC -> m.pbc((Value.Bool3) v);
              case STRESS -> m.stress(v);
              case VELOCITIES -> m.velocities(v);
              default -> throw new IllegalStateException(c.name());
            }
          }
          case ATOM -> m.atomProperty(c.name(), SparkValues.fromSpark(row.get(k, c.type()), c.type(), c.tag(), where + " " + c.name()));
          case MOLECULE -> m.property(c.name(), SparkValues.fromSpark(row.get(k, c.type()), c.type(), c.tag(), where + " " + c.name()));
          default -> { }
        }
      }
    } catch (IllegalArgumentException | ClassCastException e) {
      throw new IOException(where + ": " + e.getMessage(), e);
    }
    return m;
  }
}
