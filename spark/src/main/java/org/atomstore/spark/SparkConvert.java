package org.atomstore.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.atomstore.codec.Compression;
import org.atomstore.dataset.Manifest;
import org.atomstore.io.asedb.AseDbReader;
import org.atomstore.io.extxyz.MappedExtxyzReader;
import org.atomstore.io.mapping.AseMapping;
import org.atomstore.io.mapping.SchemaPlan;
import org.atomstore.io.mapping.SchemaSurvey;
import org.atomstore.model.Molecule;
import org.atomstore.store.AtpReader;
import org.atomstore.store.AtpWriter;

/**
 * Distributed conversion: every input file (extended XYZ, compressed or not; ASE {@code .db}; {@code .atp}) becomes
 * one shard, written by one Spark task, and the driver publishes the dataset (manifest last, the directory renamed
 * into place) only when every task has finished. The records are those {@code atomstore convert} writes for the
 * same files, in the same order: frames map to molecules by Atompack's ASE mapping, and a key whose type changes
 * between frames is settled over all inputs first ({@link SchemaSurvey}), as convert does. A bad frame fails the
 * job with its file and line; nothing is published.
 */
public final class SparkConvert {
  private SparkConvert() {}

  /** What a conversion did. */
  public record Result(long molecules, int shards, long bytes) {}

  /**
   * Converts {@code inputs} into the dataset directory {@code out}, which must not exist or be empty; an input
   * with more than {@code shardMolecules} structures becomes several shards (0: one shard per input).
   */
  public static Result run(SparkSession spark, List<Path> inputs, Path out, Compression compression, boolean float32,
      long shardMolecules)
      throws IOException {
    Path target = out.toAbsolutePath().normalize();
    if (Files.exists(target) && !(Files.isDirectory(target) && isEmpty(target))) {
      throw new IOException(target + ": exists and is not an empty directory");
    }
    AseMapping.Precision precision = float32 ? AseMapping.Precision.FLOAT32 : AseMapping.Precision.FLOAT64;
    // the schema over all inputs, settled once on the driver from the frame headers (no atom lines are parsed)
    SchemaPlan plan = SchemaSurvey.survey(inputs, precision, Runtime.getRuntime().availableProcessors());
    String job = UUID.randomUUID().toString().substring(0, 8);
    Path staging = target.resolveSibling(target.getFileName() + ".atp-staging-" + job);
    Files.createDirectories(staging);
    try {
      List<Task> tasks = new ArrayList<>();
      for (int i = 0; i < inputs.size(); i++) {
        tasks.add(new Task(i, inputs.get(i).toAbsolutePath().toString(), staging.toString(), compression.toString(), precision, plan,
            shardMolecules));
      }
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      List<Shard> shards = jsc.parallelize(tasks, Math.max(1, tasks.size())).flatMap(t -> t.convert().iterator()).collect();
      return publish(shards, staging, target);
    } finally {
      AtpWrite.deleteTree(staging);
    }
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (var s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }

  private static Result publish(List<Shard> shards, Path staging, Path target) throws IOException {
    List<Shard> sorted = new ArrayList<>(shards);
    sorted.sort((a, b) -> a.index() != b.index() ? Integer.compare(a.index(), b.index()) : Integer.compare(a.part(), b.part()));
    Path publish = target.resolveSibling(target.getFileName() + ".atp-publish-" + staging.getFileName());
    Files.createDirectories(publish);
    try {
      List<Manifest.Shard> entries = new ArrayList<>();
      Map<String, SchemaStats> fields = new TreeMap<>();
      long molecules = 0;
      long bytes = 0;
      for (Shard s : sorted) {
        if (s.molecules() == 0) continue;
        String name = String.format(Locale.ROOT, "part-%05d.atp", entries.size());
        Files.move(staging.resolve(s.file()), publish.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        entries.add(new Manifest.Shard(name, s.molecules(), s.bytes(), s.sha256()));
        s.fields().forEach((k, v) -> fields.merge(k, v, SchemaStats::plus));
        molecules += s.molecules();
        bytes += s.bytes();
      }
      Manifest.of(entries, SchemaStats.schema(fields)).write(publish);
      if (Files.isDirectory(target)) Files.delete(target); // empty, checked before
      Files.move(publish, target, StandardCopyOption.ATOMIC_MOVE);
      return new Result(molecules, entries.size(), bytes);
    } catch (IOException | RuntimeException e) {
      AtpWrite.deleteTree(publish);
      throw e;
    }
  }

  /** One shard written by a task. */
  record Shard(int index, int part, String file, long molecules, long bytes, String sha256, Map<String, SchemaStats> fields)
      implements Serializable {}

  /** Converts input {@code index} into {@code staging/part-INDEX-PART.atp}, a new part every {@code shardMolecules}. */
  record Task(int index, String input, String staging, String compression, AseMapping.Precision precision, SchemaPlan plan,
      long shardMolecules) implements Serializable {

    List<Shard> convert() throws IOException {
      Path in = Path.of(input);
      Parts parts = new Parts(this);
      try {
        String lower = in.getFileName().toString().toLowerCase(Locale.ROOT);
        if (lower.endsWith(".atp")) {
          try (AtpReader r = AtpReader.open(in)) {
            for (long i = 0; i < r.size(); i++) parts.add(r.get(i), in + " record " + i);
          }
        } else if (lower.endsWith(".db")) {
          try (AseDbReader r = AseDbReader.open(in)) {
            r.forEach(row -> parts.add(AseMapping.toMolecule(row, precision).molecule(), in + " row " + row.id()));
          }
        } else {
          try (var r = MappedExtxyzReader.<Located>open(in, 1, () -> frame -> new Located(
              AseMapping.toMolecule(frame, precision).molecule(), frame.line()))) {
            for (Located f = r.read(); f != null; f = r.read()) parts.add(f.molecule(), in + ":" + f.line());
          }
        }
        return parts.finish();
      } catch (IOException | RuntimeException e) {
        parts.abandon();
        throw e;
      }
    }
  }

  /** The shards one task writes, rolled over by count. */
  private static final class Parts {
    private final Task task;
    private final List<Shard> done = new ArrayList<>();
    private AtpWriter w;
    private Path partial;
    private Map<String, SchemaStats> fields;
    private long count;

    Parts(Task task) { this.task = task; }

    void add(Molecule m, String where) throws IOException {
      var conflict = task.plan().apply(m);
      if (conflict.isPresent()) throw new IOException(where + ": " + conflict.get());
      if (w == null) {
        partial = Path.of(task.staging()).resolve("part-" + task.index() + "-" + done.size() + ".atp.partial");
        w = AtpWriter.create(partial, Compression.parse(task.compression()));
        fields = new TreeMap<>();
        count = 0;
      }
      try {
        w.add(m);
      } catch (IllegalArgumentException e) {
        throw new IOException(where + ": frame cannot be stored in .atp: " + e.getMessage(), e);
      }
      count++;
      SchemaStats.note(fields, m);
      if (task.shardMolecules() > 0 && count >= task.shardMolecules()) close();
    }

    private void close() throws IOException {
      w.close();
      w = null;
      String file = partial.getFileName().toString().replace(".partial", "");
      Path committed = partial.resolveSibling(file);
      Files.move(partial, committed, StandardCopyOption.ATOMIC_MOVE);
      done.add(new Shard(task.index(), done.size(), file, count, Files.size(committed), AtpWrite.sha256(committed), fields));
    }

    List<Shard> finish() throws IOException {
      if (w != null) close();
      return done;
    }

    void abandon() throws IOException {
      if (w != null) {
        w.close();
        Files.deleteIfExists(partial);
      }
    }
  }

  private record Located(Molecule molecule, long line) {}
}
