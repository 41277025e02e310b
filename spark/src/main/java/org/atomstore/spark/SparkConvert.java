package org.atomstore.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.atomstore.codec.Compression;
import org.atomstore.dataset.Manifest;
import org.atomstore.io.ase.AseAtoms;
import org.atomstore.io.asedb.AseDbReader;
import org.atomstore.io.aselmdb.AseLmdbReader;
import org.atomstore.io.extxyz.ExtxyzFormatException;
import org.atomstore.io.extxyz.FrameMapper;
import org.atomstore.io.extxyz.MappedExtxyzReader;
import org.atomstore.io.mapping.AseMapping;
import org.atomstore.io.mapping.SchemaPlan;
import org.atomstore.io.mapping.SchemaSettler;
import org.atomstore.model.Molecule;
import org.atomstore.store.AtpReader;
import org.atomstore.store.AtpWriter;
import org.atomstore.table.Table;
import org.atomstore.table.Tables;

/**
 * Distributed conversion: the inputs (extended XYZ, compressed or not; ASE {@code .db}; fairchem {@code .aselmdb};
 * {@code .atp}; dataset directories and asebytes LMDB stores through the table interface) are cut into tasks, one per file and, for a large uncompressed text file, one per range of whole frames; each task writes its
 * own shards, and the driver publishes the dataset (manifest last, the directory renamed into place) only when every
 * task has finished. The records are those {@code atomstore convert} writes for the same files, in the same order.
 *
 * <p>Frames map to molecules by Atompack's ASE mapping, and a key whose type changes between frames is settled over
 * all inputs, as convert does: optimistically, the tasks write the frames as they come and note every key's types
 * ({@link SchemaSettler}); the driver joins the notes in input order, and only when some key changed type does a
 * second pass write everything again with the settled types. A range of a text file starts at the first frame at or
 * after its offset ({@link FrameSync}); that guess is checked against where the range before it ended, and where
 * they differ the rest of the file is read again from there as one task. A bad frame fails the conversion with its
 * file and line, the first in input order, as convert reports it; nothing is published.
 */
public final class SparkConvert {
  private SparkConvert() {}

  /** Largest range of a text file one task converts, unless set. */
  static final long MAX_SPLIT = 128L << 20;
  /** Smallest range chosen by default. */
  static final long MIN_SPLIT = 8L << 20;

  /**
   * What a conversion did: {@code tasks} ran over all passes ({@code passes}: 1, or 2 when a key changed type), and
   * how long each step took on the driver, in seconds.
   */
  public record Result(long molecules, int shards, long bytes, int tasks, int passes, Map<String, Double> seconds) {}

  /** With ranges sized for the cluster. */
  public static Result run(SparkSession spark, List<Path> inputs, Path out, Compression compression, boolean float32,
      long shardMolecules) throws IOException {
    return run(spark, inputs, out, compression, float32, shardMolecules, 0);
  }

  /**
   * Converts {@code inputs} into the dataset directory {@code out}, which must not exist or be empty; a task with
   * more than {@code shardMolecules} structures writes several shards (0: one shard per task). An uncompressed text
   * file larger than {@code splitBytes} is converted in ranges of about that size (0: sized for the cluster,
   * between {@value #MIN_SPLIT} and {@value #MAX_SPLIT} bytes, about three ranges per core over all inputs).
   */
  public static Result run(SparkSession spark, List<Path> inputs, Path out, Compression compression, boolean float32,
      long shardMolecules, long splitBytes) throws IOException {
    if (splitBytes < 0) throw new IllegalArgumentException("split size must be >= 0: " + splitBytes);
    Path target = out.toAbsolutePath().normalize();
    if (Files.exists(target) && !(Files.isDirectory(target) && isEmpty(target))) {
      throw new IOException(target + ": exists and is not an empty directory");
    }
    AseMapping.Precision precision = float32 ? AseMapping.Precision.FLOAT32 : AseMapping.Precision.FLOAT64;
    String job = UUID.randomUUID().toString().substring(0, 8);
    Path staging = target.resolveSibling(target.getFileName() + ".atp-staging-" + job);
    Files.createDirectories(staging);
    Map<String, Double> seconds = new LinkedHashMap<>();
    try {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      long t0 = System.nanoTime();
      List<Range> ranges = ranges(inputs, splitBytes, jsc.defaultParallelism());
      Settings settings = new Settings(staging.toString(), compression.toString(), precision, shardMolecules);
      Runner runner = new Runner(jsc, settings);
      Walk first = runner.walk(ranges, SchemaPlan.NONE);
      seconds.put("first_pass", secondsSince(t0));
      Walk done = first;
      if (!first.plan().isEmpty()) {
        // a key changed type: what was written is discarded and everything written again with the settled types
        long t1 = System.nanoTime();
        AtpWrite.deleteTree(staging);
        Files.createDirectories(staging);
        done = runner.walk(first.exact(), first.plan());
        seconds.put("settled_pass", secondsSince(t1));
      }
      long t2 = System.nanoTime();
      Result r = publish(done.shards(), staging, target, runner.tasks, first == done ? 1 : 2, seconds);
      seconds.put("publish", secondsSince(t2));
      return r;
    } finally {
      AtpWrite.deleteTree(staging);
    }
  }

  private static double secondsSince(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (var s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }

  /** The tasks of the first pass: a range per input, or several for a large uncompressed text file. */
  static List<Range> ranges(List<Path> inputs, long splitBytes, int parallelism) throws IOException {
    long split = splitBytes;
    if (split == 0) {
      long text = 0;
      for (Path in : inputs) if (splittable(in)) text += Files.size(in);
      split = Math.clamp(text / Math.max(1, 3L * parallelism), MIN_SPLIT, MAX_SPLIT);
    }
    List<Range> out = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      Path in = inputs.get(i);
      String file = in.toAbsolutePath().toString();
      long size = splittable(in) ? Files.size(in) : 0;
      if (size <= split) {
        out.add(new Range(i, 0, file, 0, Range.END, true, 0));
        continue;
      }
      int parts = (int) Math.min(Integer.MAX_VALUE, (size + split - 1) / split);
      for (int k = 0; k < parts; k++) {
        long from = size * k / parts;
        out.add(new Range(i, k, file, from, k == parts - 1 ? Range.END : size * (k + 1) / parts, k == 0, k == 0 ? 0 : -1));
      }
    }
    return out;
  }

  /** An uncompressed extended XYZ file (not .atp, .db, .gz, .bz2, .xz). */
  static boolean splittable(Path in) {
    String n = in.getFileName().toString().toLowerCase(Locale.ROOT);
    return Files.isRegularFile(in) && !(n.endsWith(".atp") || n.endsWith(".db") || n.endsWith(".aselmdb") || n.endsWith(".gz")
        || n.endsWith(".bz2") || n.endsWith(".xz"));
  }

  private static Result publish(List<Shard> shards, Path staging, Path target, int tasks, int passes,
      Map<String, Double> seconds) throws IOException {
    Path publish = target.resolveSibling(target.getFileName() + ".atp-publish-" + staging.getFileName());
    Files.createDirectories(publish);
    try {
      List<Manifest.Shard> entries = new ArrayList<>();
      Map<String, SchemaStats> fields = new TreeMap<>();
      long molecules = 0;
      long bytes = 0;
      for (Shard s : shards) {
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
      return new Result(molecules, entries.size(), bytes, tasks, passes, seconds);
    } catch (IOException | RuntimeException e) {
      AtpWrite.deleteTree(publish);
      throw e;
    }
  }

  /**
   * Part {@code part} of input {@code input}: the frames whose atom-count line starts in {@code [from, to)} of the
   * file. {@code exact}: a frame starts at {@code from} (else the first frame after it is looked for, {@link
   * FrameSync}); {@code lineBase}: lines before {@code from}, or -1 when not known yet. A whole file is {@code [0,
   * END)}, exact.
   */
  record Range(int input, int part, String file, long from, long to, boolean exact, long lineBase) implements Serializable {
    static final long END = Long.MAX_VALUE;

    boolean whole() { return from == 0 && to == END; }
  }

  /** One shard written by a task; {@code file} is its name in the staging directory. */
  record Shard(String file, long molecules, long bytes, String sha256, Map<String, SchemaStats> fields) implements Serializable {}

  /** What the tasks share. */
  record Settings(String staging, String compression, AseMapping.Precision precision, long shardMolecules) implements Serializable {}

  /**
   * A bad frame or record, reported by the driver only when it is the first of the conversion: at {@code line}
   * (counted from the range's start) of a text file, else with its whole {@code message}.
   */
  record Failure(long line, int column, String aseError, String problem, String message) implements Serializable {
    static Failure of(ExtxyzFormatException e) {
      return new Failure(e.line(), e.column(), e.aseError(), e.problem(), null);
    }

    IOException exception(Path file, long lineBase) {
      if (message != null) return new IOException(message);
      return new ExtxyzFormatException(file, lineBase + line, column, aseError, problem);
    }
  }

  /**
   * What one task did: where its frames started and ended in the file ({@code end} is where the next range's first
   * frame starts when {@code atLimit}, else the data ended there), the lines in between, the shards it wrote, the
   * types of its frames (first pass only), the bad frame that stopped it.
   */
  record Outcome(Range range, long start, long end, long lines, boolean atLimit, List<Shard> shards, SchemaSettler settler,
      Failure failure) implements Serializable {}

  /** The result of one pass, checked and in input order: its shards, the settled types, the exact ranges read. */
  record Walk(List<Shard> shards, SchemaPlan plan, List<Range> exact) {}

  /** Runs passes on the cluster and checks their ranges on the driver. */
  private static final class Runner {
    private final JavaSparkContext jsc;
    private final Settings settings;
    int tasks;
    private int jobs;

    Runner(JavaSparkContext jsc, Settings settings) {
      this.jsc = jsc;
      this.settings = settings;
    }

    private List<Outcome> run(List<Range> ranges, SchemaPlan plan) {
      String pass = "j" + jobs++;
      List<Task> list = new ArrayList<>();
      for (Range r : ranges) list.add(new Task(r, pass, settings, plan));
      tasks += list.size();
      return jsc.parallelize(list, Math.max(1, list.size())).map(Task::run).collect();
    }

    /**
     * One pass over {@code ranges} (the first with {@link SchemaPlan#NONE}: types noted, or the second with the
     * settled plan), its ranges checked in input order: a range whose first frame is not where the one before it
     * ended is read again from there, with the rest of its file, by one more task.
     */
    Walk walk(List<Range> ranges, SchemaPlan plan) throws IOException {
      boolean first = plan.isEmpty();
      List<Outcome> outcomes = new ArrayList<>(run(ranges, plan));
      List<Shard> shards = new ArrayList<>();
      List<Range> exact = new ArrayList<>();
      SchemaSettler types = new SchemaSettler();
      int at = 0;
      while (at < outcomes.size()) {
        int input = outcomes.get(at).range().input();
        int end = at;
        while (end < outcomes.size() && outcomes.get(end).range().input() == input) end++;
        long expected = 0;
        long lines = 0;
        for (int k = at; k < end; k++) {
          Outcome o = outcomes.get(k);
          if (o.start() != expected) {
            Range r = o.range();
            Range rest = new Range(r.input(), r.part(), r.file(), expected, Range.END, true, lines);
            o = run(List.of(rest), plan).getFirst();
            for (int j = k + 1; j < end; j++) outcomes.set(j, null); // read again by the new task
          }
          Path file = Path.of(o.range().file());
          long base = lines;
          if (first) types.append(o.settler(), o.range().lineBase() < 0 ? where -> shifted(where, base) : UnaryOperator.identity());
          if (o.failure() != null) {
            // the first bad frame of the conversion, unless a key changed type before it: then the settled pass
            // reads this range again and reports it there
            if (!first || types.settle().isEmpty()) throw o.failure().exception(file, base);
            exact.add(new Range(o.range().input(), o.range().part(), o.range().file(), o.start(), Range.END, true, base));
            break;
          }
          shards.addAll(o.shards());
          exact.add(new Range(o.range().input(), o.range().part(), o.range().file(), o.start(),
              o.atLimit() ? o.end() : Range.END, true, base));
          if (!o.atLimit()) break; // the data of this file ends in this range
          expected = o.end();
          lines += o.lines();
        }
        at = end;
        while (at < outcomes.size() && outcomes.get(at) == null) at++;
      }
      return new Walk(shards, first ? types.settle() : plan, exact);
    }
  }

  // "name:LINE" with LINE counted from a range's start, counted from the file's
  private static String shifted(String where, long lineBase) {
    int colon = where.lastIndexOf(':');
    return where.substring(0, colon + 1) + (Long.parseLong(where.substring(colon + 1)) + lineBase);
  }

  /**
   * Converts one range into {@code staging/part-PASS-INPUT-PART-SEQ.atp}, a new shard every {@code shardMolecules}.
   * In the first pass ({@link SchemaPlan#NONE}) it notes every frame's types, and stops writing at the first frame
   * whose key changes type (the driver will settle the types and convert again), only noting the types of the rest.
   */
  record Task(Range range, String pass, Settings settings, SchemaPlan plan) implements Serializable {

    Outcome run() throws IOException {
      Path in = Path.of(range.file());
      String name = in.getFileName().toString();
      Parts parts = new Parts(this);
      SchemaSettler types = plan.isEmpty() ? new SchemaSettler() : null; // the first pass
      try {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".atp")) return table(AtpReader.open(in), "record", in, name, parts, types);
        if (lower.endsWith(".db") || lower.endsWith(".aselmdb")) return rows(in, name, lower.endsWith(".db"), parts, types);
        if (Files.isDirectory(in)) return table(Tables.open(in.toString()), "row", in, name, parts, types);
        return text(in, name, parts, types);
      } catch (IOException | RuntimeException e) {
        parts.drop();
        throw e;
      }
    }

    /**
     * An {@code .atp} file, or any other store the table interface opens by path (a dataset directory, an asebytes
     * LMDB store): its rows in order, as {@code atomstore convert} reads them, each named as {@code unit} i; a
     * placeholder row (no structure) fails the job as it fails convert. Closes {@code table}.
     */
    private Outcome table(Table table, String unit, Path in, String name, Parts parts, SchemaSettler types) throws IOException {
      try (Table t = table) {
        for (long i = 0; i < t.size(); i++) {
          Molecule m = t.get(i);
          Failure f = m == null
              ? new Failure(-1, 0, null, null, in + " " + unit + " " + i + ": a placeholder (no structure to convert)")
              : parts.add(m, types, name + " " + unit + " " + i, in + " " + unit + " " + i, -1);
          if (f != null) return outcome(0, 0, 0, false, parts, types, f);
        }
      }
      return outcome(0, 0, 0, false, parts, types, null);
    }

    /** An ASE SQLite database or a fairchem {@code .aselmdb}: its rows in id order, mapped as convert maps them. */
    private Outcome rows(Path in, String name, boolean sqlite, Parts parts, SchemaSettler types) throws IOException {
      Failure[] failed = new Failure[1];
      AseDbReader.RowConsumer add = row -> {
        if (failed[0] != null) return;
        Molecule m;
        try {
          m = AseMapping.toMolecule(row, settings.precision()).molecule();
        } catch (IllegalArgumentException e) {
          failed[0] = new Failure(-1, 0, null, null, in + " row " + row.id() + ": cannot be stored in .atp: " + e.getMessage());
          return;
        }
        failed[0] = parts.add(m, types, name + " row " + row.id(), in + " row " + row.id(), -1);
      };
      if (sqlite) {
        try (AseDbReader r = AseDbReader.open(in)) {
          r.forEach(add);
        }
      } else {
        try (AseLmdbReader r = AseLmdbReader.open(in)) {
          r.forEach(row -> add.accept(row.row()));
        }
      }
      return outcome(0, 0, 0, false, parts, types, failed[0]);
    }

    private Outcome outcome(long start, long end, long lines, boolean atLimit, Parts parts, SchemaSettler types, Failure f)
        throws IOException {
      if (f != null) {
        parts.drop();
        return new Outcome(range, start, end, lines, atLimit, List.of(), types, f);
      }
      return new Outcome(range, start, end, lines, atLimit, parts.finish(), types, null);
    }

    private Outcome text(Path in, String name, Parts parts, SchemaSettler types) throws IOException {
      Mapper mapper = new Mapper(in, settings.precision());
      FileChannel ch = range.whole() ? null : FileChannel.open(in);
      try {
        long start = 0;
        MappedExtxyzReader<Located> r;
        if (ch == null) {
          r = MappedExtxyzReader.open(in, 1, () -> mapper);
        } else {
          start = range.exact() ? range.from() : new FrameSync(ch).next(range.from());
          r = MappedExtxyzReader.open(Channels.newInputStream(ch.position(start)), in, 1, () -> mapper);
          if (range.to() != Range.END) r.endBefore(range.to() - start);
        }
        long base = Math.max(0, range.lineBase());
        try (r) {
          for (Located f = r.read(); f != null; f = r.read()) {
            if (f.molecule() == null) continue; // a frame that cannot be mapped, while only types are noted
            long line = f.line();
            Failure bad = parts.add(f.molecule(), types, name + ":" + (base + line), null, line);
            if (bad != null) return outcome(start, start, 0, false, parts, types, bad);
            if (types != null && !parts.writing && !mapper.typesOnly) {
              // a key changed type: the rest only for its types, from the comment lines, as SchemaSurvey does
              mapper.typesOnly = true;
              r.headersOnly().skipBadFrames(e -> { });
            }
          }
          var end = r.end();
          return outcome(start, start + end.offset(), end.lines(), end.atLimit(), parts, types, null);
        } catch (ExtxyzFormatException e) {
          return outcome(start, start, 0, false, parts, types, Failure.of(e));
        }
      } finally {
        if (ch != null) ch.close();
      }
    }
  }

  /** Frames to molecules; a frame that cannot be stored is a bad frame, unless only types are being noted. */
  private static final class Mapper implements FrameMapper<Located> {
    private final Path file;
    private final AseMapping.Precision precision;
    volatile boolean typesOnly;

    Mapper(Path file, AseMapping.Precision precision) {
      this.file = file;
      this.precision = precision;
    }

    @Override
    public Located map(AseAtoms frame) throws ExtxyzFormatException {
      try {
        return new Located(AseMapping.toMolecule(frame, precision).molecule(), frame.line());
      } catch (IllegalArgumentException e) {
        if (typesOnly) return new Located(null, frame.line());
        throw new ExtxyzFormatException(file, frame.line(), 1, "AtomstoreError", "frame cannot be stored in .atp: " + e.getMessage());
      }
    }
  }

  private record Located(Molecule molecule, long line) {}

  /** The shards one task writes, rolled over by count. */
  private static final class Parts {
    private final Task task;
    private final List<Shard> done = new ArrayList<>();
    private AtpWriter w;
    private Path partial;
    private SchemaStats.Tally fields;
    private long count;
    boolean writing = true;

    Parts(Task task) { this.task = task; }

    /**
     * Notes the molecule's types ({@code types} not null) and writes it, converted to the plan's types; a bad
     * frame at {@code line} of a text file ({@code line >= 0}), else at {@code where}, gives a failure.
     */
    Failure add(Molecule m, SchemaSettler types, String noted, String where, long line) throws IOException {
      if (types != null && !types.observe(m, noted) && writing) {
        drop(); // a key changed type: this pass will be done again with the types settled
        writing = false;
      }
      if (!writing) return null;
      var conflict = task.plan().apply(m);
      if (conflict.isPresent()) return failure(line, where, conflict.get());
      if (w == null) {
        partial = Path.of(task.settings().staging())
            .resolve("part-" + task.pass() + "-" + task.range().input() + "-" + task.range().part() + "-" + done.size() + ".atp.partial");
        w = AtpWriter.create(partial, Compression.parse(task.settings().compression()));
        fields = new SchemaStats.Tally();
        count = 0;
      }
      try {
        w.add(m);
      } catch (IllegalArgumentException e) {
        return failure(line, where, "frame cannot be stored in .atp: " + e.getMessage());
      }
      count++;
      fields.note(m);
      if (task.settings().shardMolecules() > 0 && count >= task.settings().shardMolecules()) close();
      return null;
    }

    private static Failure failure(long line, String where, String problem) {
      return line >= 0 ? new Failure(line, 1, "AtomstoreError", problem, null) : new Failure(-1, 0, null, null, where + ": " + problem);
    }

    private void close() throws IOException {
      w.close();
      w = null;
      String file = partial.getFileName().toString().replace(".partial", "");
      Path committed = partial.resolveSibling(file);
      Files.move(partial, committed, StandardCopyOption.ATOMIC_MOVE);
      done.add(new Shard(file, count, Files.size(committed), AtpWrite.sha256(committed), fields.stats()));
    }

    List<Shard> finish() throws IOException {
      if (w != null) close();
      return done;
    }

    /** Removes what was written. */
    void drop() throws IOException {
      if (w != null) {
        w.close();
        Files.deleteIfExists(partial);
        w = null;
      }
      for (Shard s : done) Files.deleteIfExists(Path.of(task.settings().staging()).resolve(s.file()));
      done.clear();
    }
  }
}
