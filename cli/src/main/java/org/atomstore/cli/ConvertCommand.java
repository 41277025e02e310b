package org.atomstore.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.atomstore.codec.Compression;
import org.atomstore.data.Copy;
import org.atomstore.data.redis.RedisAddress;
import org.atomstore.data.redis.RedisTable;
import org.atomstore.io.CompressedFiles;
import org.atomstore.io.ase.AseAtoms;
import org.atomstore.io.asedb.AseDbReader;
import org.atomstore.io.asedb.AseRow;
import org.atomstore.io.aselmdb.AseLmdbReader;
import org.atomstore.io.extxyz.ExtxyzFormatException;
import org.atomstore.io.extxyz.FrameMapper;
import org.atomstore.io.extxyz.MappedExtxyzReader;
import org.atomstore.io.mapping.AseMapping;
import org.atomstore.io.mapping.SchemaPin;
import org.atomstore.io.mapping.SchemaPlan;
import org.atomstore.io.mapping.SchemaSurvey;
import org.atomstore.io.mapping.SchemaWatch;
import org.atomstore.model.Molecule;
import org.atomstore.store.AtpReader;
import org.atomstore.store.CorruptFileException;
import org.atomstore.store.AtpWriter;
import org.atomstore.store.internal.AtpWriters;
import org.atomstore.store.internal.EncodedRecord;
import org.atomstore.store.internal.RecordPacker;
import org.atomstore.table.Table;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "convert", mixinStandardHelpOptions = true, description = {
    "Convert extended XYZ, XYZ, ASE .db, fairchem .aselmdb and .atp files, dataset directories and any other store 'atomstore info' "
        + "opens (by path or address) to Atompack .atp ('atomstore export' writes extended XYZ).",
    "Text inputs may be compressed (.gz, .bz2, .xz). With an output file ending in .atp all inputs go into it, in "
        + "the order given; with an existing directory, or a path ending in '/', each input becomes DIR/NAME.atp. "
        + "With an output ending in .lmdb a new asebytes LMDB store (group default) is written, under a temporary "
        + "name renamed when complete; with a redis:// address the rows are appended to that group (asebytes' Redis "
        + "layout). Any other output is refused. Records of .atp inputs that use the output's compression are copied "
        + "as stored, without decoding, when their schemas agree.",
    "Outputs are written under a temporary name (.NAME.partial) and renamed when complete; a failed or interrupted "
        + "run (Ctrl-C, SIGTERM) removes it. What cannot be mapped exactly (see io/README.md) is reported on stderr.",
    "Prints the output path, molecule count, size and time; --json prints them as one JSON document."})
final class ConvertCommand implements Callable<Integer> {

  @Parameters(arity = "2..*", paramLabel = "IN... OUT", hideParamSyntax = true,
      description = "Inputs (.xyz, .extxyz, optionally .gz/.bz2/.xz; .db; .aselmdb; .atp; dataset directories; store paths or "
          + "addresses), then the output: a file ending in .atp, a directory, a new asebytes store ending in .lmdb, or a "
          + "redis://HOST:PORT[/DB][/GROUP] address (rows appended).")
  List<String> paths;

  @Option(names = "--compression", paramLabel = "SPEC", defaultValue = "none", converter = CompressionOption.class,
      description = CompressionOption.HELP + ". Default: ${DEFAULT-VALUE}, as Atompack's own default; uncompressed "
          + "files are the fastest to read shuffled.")
  Compression compression;

  @Option(names = "--jobs", paramLabel = "N", description = "Parser threads for text inputs (default: all cores, here ${DEFAULT-VALUE}).")
  int jobs = Runtime.getRuntime().availableProcessors();

  @Option(names = "--float32", description = "Store positions as float32.") boolean float32;
  @Option(names = "--float64", description = "Store positions as float64 (default, lossless).") boolean float64;

  @Option(names = "--on-error", paramLabel = "POLICY", defaultValue = "stop",
      description = "stop (default) or skip bad frames, reporting each as file:line: reason.")
  String onError;

  @Option(names = "--json", description = "Print what was written as one JSON document on stdout.")
  boolean json;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "atp",
      description = "atp (default), or blocks: .atp inputs to a block-compressed sample dataset in directory OUT.")
  String format;

  @Option(names = "--block-size", paramLabel = "N", defaultValue = "64", description = "Samples per block (--format blocks).")
  int blockSize;

  @Option(names = "--dictionary", description = "Train a zstd dictionary for the blocks (--format blocks).")
  boolean dictionary;

  @Option(names = "--max-count", paramLabel = "N", defaultValue = "10000",
      description = "Samples per shard when the output is an atdata shard pattern (OUT-%%06d.tar).")
  long maxCount;

  @Spec CommandSpec spec;

  private final Map<String, Integer> warningCounts = new LinkedHashMap<>();
  private long skipped;
  /** Skipped frames printed by an optimistic pass that was given up (io/README.md). */
  private final java.util.Set<String> reportedSkips = new java.util.HashSet<>();

  @Override
  public Integer call() throws Exception {
    if (float32 && float64) throw usage("--float32 and --float64 exclude each other");
    if (!onError.equals("stop") && !onError.equals("skip")) throw usage("--on-error must be stop or skip, not '" + onError + "'");
    if (jobs < 1) throw usage("--jobs must be at least 1, not " + jobs);
    List<String> inputArgs = paths.subList(0, paths.size() - 1);
    List<Path> inputs = inputArgs.stream().map(ConvertCommand::pathOf).toList();
    String outText = paths.getLast();
    // atdata samples (samples module): .atp to shards or blocks, shards back to .atp.
    PrintWriter sampleOut = spec.commandLine().getOut();
    if (format.equals("blocks")) return done(SampleConvert.toBlocks(inputs, Path.of(outText), blockSize, dictionary, sampleOut));
    if (!format.equals("atp")) throw usage("--format must be atp or blocks, not '" + format + "'");
    if (SampleConvert.isShard(outText)) return done(SampleConvert.toShards(inputs, outText, maxCount, sampleOut));
    if (inputs.stream().allMatch(p -> SampleConvert.isShard(p.toString()))) {
      return done(SampleConvert.fromShards(inputs, Path.of(outText), compression, sampleOut));
    }
    Path out = Path.of(outText);
    boolean toDir = Files.isDirectory(out) || outText.endsWith("/") || outText.endsWith(java.io.File.separator);
    if (RedisAddress.accepts(outText)) return toRows(inputArgs, outText, null);
    // an asebytes store is a directory: named by its extension, it is never a directory of .atp outputs
    var destination = Copy.fileDestination(out, compression).orElse(null);
    if (destination instanceof Copy.Destination.AsebytesStore store) return toRows(inputArgs, outText, store);
    if (toDir) destination = null;
    if (!toDir && !(destination instanceof Copy.Destination.AtpFile)) {
      throw usage("the output '" + outText + "' is neither a file ending in .atp nor an existing directory "
          + "(nor an asebytes .lmdb store or a redis:// address; end it with '/' to create a directory with one .atp "
          + "per input)");
    }
    argsByPath.clear();
    for (int k = 0; k < inputs.size(); k++) argsByPath.put(inputs.get(k), inputArgs.get(k));
    PrintWriter err = spec.commandLine().getErr();
    long t0 = System.nanoTime();
    Map<Path, Long> written = new LinkedHashMap<>();
    if (toDir) {
      AtomicAtp.createDirectories(out);
      for (Path in : inputs) {
        String base = CompressedFiles.baseName(in).replaceFirst("\\.(xyz|extxyz|db|aselmdb|atp)$", "");
        Path target = out.resolve(base + ".atp");
        written.put(target, convert(List.of(in), target, compression, err));
      }
    } else {
      written.put(out, convert(inputs, out, compression, err));
    }
    double seconds = Summary.seconds(t0);
    warningCounts.forEach((w, n) -> err.println("warning: " + w + (n > 1 ? " (" + n + " frames)" : "")));
    err.flush();
    report(inputs, out, written, seconds);
    return ExitCodes.OK;
  }

  private static int done(long structures) {
    return ExitCodes.OK;
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  private void report(List<Path> inputs, Path out, Map<Path, Long> written, double seconds) throws IOException {
    long total = 0;
    long bytes = 0;
    Summary s = new Summary("convert").paths("inputs", inputs).put("output", out.toString());
    var outputs = s.node().putArray("outputs");
    for (var e : written.entrySet()) {
      long size = Files.size(e.getKey());
      outputs.addObject().put("path", e.getKey().toString()).put("molecules", e.getValue()).put("bytes", size);
      total += e.getValue();
      bytes += size;
    }
    PrintWriter o = spec.commandLine().getOut();
    if (json) {
      s.put("compression", compression.toString()).put("bytes", bytes).put("skipped", skipped).timing(total, seconds)
          .strings("warnings", List.copyOf(warningCounts.keySet())).print(o);
      return;
    }
    if (written.size() > 1) {
      for (var e : written.entrySet()) {
        o.printf("  %s: %,d structures, %s%n", e.getKey(), e.getValue(), Summary.human(Files.size(e.getKey())));
      }
    }
    o.printf("converted %,d structures%s to %s (%s, %s) in %s, %s structures/s%n", total,
        skipped > 0 ? String.format(", skipped %,d,", skipped) : "", out, Summary.human(bytes), compression,
        Summary.time(seconds), Summary.rate(total, seconds));
    o.flush();
  }

  private long convert(List<Path> inputs, Path out, Compression c, PrintWriter err) throws IOException {
    // One type per key over all frames of the output (io/README.md, "One schema across a file"). Optimistically in
    // one pass, with the types as they come; at the first frame whose key changes type, what was written is
    // discarded, a first pass over the inputs settles the types and the conversion starts again. An input that can
    // be read only once (a pipe) gets the first pass over the other inputs before anything is written, and each key
    // keeps the type it is first written with (SchemaPin): a frame that disagrees is a bad frame.
    boolean onlyAtp = inputs.stream().allMatch(this::storedInput);
    Pass done;
    if (onlyAtp) {
      done = AtomicAtp.write(out, c, w -> copiedAsStored(inputs, w), w -> {
        Pass atp = new Pass(SchemaPlan.NONE, null);
        atp.pin = new SchemaPin(); // records are copied as they are: a key that changes type is a bad record
        return copyAll(inputs, w, err, atp);
      });
    } else if (!inputs.stream().allMatch(Files::isRegularFile)) {
      done = AtomicAtp.write(out, c, w -> {
        Pass once = settledPass(inputs);
        once.pin = new SchemaPin();
        return copyAll(inputs, w, err, once);
      });
    } else {
      done = AtomicAtp.write(out, c, w -> {
        Pass optimistic = copyAll(inputs, w, err, new Pass(SchemaPlan.NONE, new SchemaWatch()));
        return optimistic.disagreed ? Optional.empty() : Optional.of(optimistic);
      }, w -> copyAll(inputs, w, err, settledPass(inputs)));
    }
    done.warnings.forEach((w, n) -> warningCounts.merge(w, n, Integer::sum));
    skipped += done.skipped;
    reportedSkips.clear();
    return done.count;
  }

  private Pass settledPass(List<Path> inputs) {
    Pass pass = new Pass(SchemaSurvey.survey(inputs, precision(), Math.max(1, jobs)), null);
    for (String warning : pass.plan.warnings()) pass.warn(warning);
    return pass;
  }

  private Pass copyAll(List<Path> inputs, AtpWriter w, PrintWriter err, Pass pass) throws IOException {
    for (Path in : inputs) {
      copy(in, w, err, pass);
      if (pass.disagreed) break;
    }
    return pass;
  }

  private AseMapping.Precision precision() {
    return float32 ? AseMapping.Precision.FLOAT32 : AseMapping.Precision.FLOAT64;
  }

  private void copy(Path in, AtpWriter w, PrintWriter err, Pass pass) throws IOException {
    String name = in.getFileName().toString().toLowerCase(Locale.ROOT);
    var precision = precision();
    String task = "convert " + in.getFileName();
    if (tableInput(in)) {
      String arg = argsByPath.getOrDefault(in, in.toString());
      try (Table t = TableArgs.open(arg); Progress bar = Progress.start("convert " + CopyProgress.name(arg), t.size(), "structures")) {
        for (long i = 0; i < t.size(); i++) {
          Molecule m = t.get(i);
          if (m == null) { // a placeholder row holds no structure
            if (!onError.equals("skip")) throw new CorruptFileException(in, -1, "row " + i + " is a placeholder (no structure to convert)");
            reportSkip(pass, "skipped row " + i + " of " + arg + ": a placeholder (no structure)", err);
          } else {
            if (!pass.agrees(m)) return;
            if (settled(pass, m, in, "row " + i, " row " + i, err)) {
              w.add(m);
              pass.count++;
            }
          }
          bar.step(1);
        }
      }
    } else if (name.endsWith(".atp")) {
      try (AtpReader r = AtpReader.open(in); Progress bar = Progress.start(task, r.size(), "structures")) {
        for (long i = 0; i < r.size(); i++) {
          Molecule m = r.get(i);
          if (!pass.agrees(m)) return;
          if (settled(pass, m, in, "record " + i, " record " + i, err)) {
            w.add(m);
            pass.count++; // a skipped record is counted as skipped, not converted
          }
          bar.step(1);
        }
      }
    } else if (name.endsWith(".db")) {
      try (AseDbReader r = AseDbReader.open(in); Progress bar = Progress.start(task, r.count(), "rows")) {
        r.forEach(row -> copyRow(row, in, w, err, pass, bar));
      }
    } else if (name.endsWith(".aselmdb")) {
      try (AseLmdbReader r = AseLmdbReader.open(in); Progress bar = Progress.start(task, r.count(), "rows")) {
        r.forEach(row -> copyRow(row.row(), in, w, err, pass, bar), jobs); // rows decoded ahead on the workers
      }
    } else {
      // parse, map, encode and compress on the workers; this thread only writes
      // against the file's size: the reader counts compressed bytes for a compressed file
      long total = Files.size(in);
      try (var r = MappedExtxyzReader.open(in, jobs, () -> new Packer(in, precision, w.compression(), pass.plan, pass.watch, pass.pin));
          Progress bar = Progress.bytes(task, total)) {
        if (onError.equals("skip")) {
          r.skipBadFrames(e -> reportSkip(pass, "skipped frame at " + e.file() + ":" + e.line() + ": " + e.problem(), err));
        }
        var batch = new ArrayList<EncodedRecord>(256);
        for (Packed p = r.read(); p != null; p = r.read()) {
          if (p.record() == null) { // its key changed type: this pass is given up
            pass.disagreed = true;
            return;
          }
          for (String warning : p.warnings()) pass.warn(warning);
          batch.add(p.record());
          if (batch.size() == 256) {
            AtpWriters.addEncoded(w, batch);
            batch.clear();
            bar.stepTo(r.sourceBytesRead());
          }
          pass.count++;
        }
        AtpWriters.addEncoded(w, batch);
        bar.stepTo(r.sourceBytesRead());
      }
    }
  }

  /** One ASE database row (.db or .aselmdb) mapped and written. */
  private void copyRow(AseRow row, Path in, AtpWriter w, PrintWriter err, Pass pass, Progress bar) throws IOException {
    if (pass.disagreed) return; // this pass is given up: the rest of the rows are only read past
    try {
      var mapped = AseMapping.toMolecule(row, precision());
      if (!pass.agrees(mapped.molecule())) return;
      for (String warning : mapped.warnings()) pass.warn(warning);
      if (settled(pass, mapped.molecule(), in, "row " + row.id(), " row " + row.id(), err)) {
        w.add(mapped.molecule());
        pass.count++; // a skipped row is counted as skipped, not converted
      }
    } catch (IllegalArgumentException e) {
      throw new CorruptFileException(in, -1, "row " + row.id() + " cannot be stored in .atp: " + e.getMessage());
    }
    bar.step(1);
  }

  /**
   * Converts a record or row to the settled types (and, with an input read once, to the types already written);
   * false when it disagrees and is skipped (--on-error skip). {@code at} names it after the file's path.
   */
  private boolean settled(Pass pass, Molecule m, Path in, String where, String at, PrintWriter err) throws IOException {
    var conflict = pass.plan.apply(m);
    if (conflict.isEmpty() && pass.pin != null) {
      var check = pass.pin.pin(m, in + at);
      for (String warning : check.warnings()) pass.warn(warning);
      conflict = Optional.ofNullable(check.problem());
    }
    if (conflict.isEmpty()) return true;
    if (!onError.equals("skip")) throw new CorruptFileException(in, -1, where + " cannot be stored in .atp: " + conflict.get());
    reportSkip(pass, "skipped " + where + " of " + in + ": " + conflict.get(), err);
    return false;
  }

  /**
   * Prints a skipped frame once: what an optimistic pass printed before it was given up is not printed again when
   * the conversion starts over.
   */
  private void reportSkip(Pass pass, String message, PrintWriter err) {
    pass.skipped++;
    boolean fresh = pass.watch != null ? reportedSkips.add(message) : !reportedSkips.remove(message);
    if (fresh) err.println(message);
  }

  /** The original argument of each input path (an address does not survive {@link Path#of}). */
  private final Map<Path, String> argsByPath = new LinkedHashMap<>();

  /** A path for an argument; an address keeps its text as a one-name path. */
  private static Path pathOf(String arg) {
    return TableArgs.isAddress(arg) ? Path.of(arg.replace('/', '_')) : Path.of(arg);
  }

  /** An .atp file or a dataset directory: records that can be copied as stored. */
  private boolean storedInput(Path in) {
    String arg = argsByPath.getOrDefault(in, in.toString());
    return TableArgs.isAtpOrDataset(arg) && (Files.isDirectory(in) || in.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".atp"));
  }

  /**
   * An input read as a table (a dataset directory, a store by path or address) rather than by the text and ASE
   * database readers of this command: extended XYZ, XYZ and .db files (and pipes) keep their own path.
   */
  private boolean tableInput(Path in) {
    String arg = argsByPath.getOrDefault(in, in.toString());
    if (TableArgs.isAddress(arg) || Files.isDirectory(in)) return true;
    String base = CompressedFiles.baseName(in).toLowerCase(Locale.ROOT);
    if (base.endsWith(".xyz") || base.endsWith(".extxyz") || base.endsWith(".db") || !Files.isRegularFile(in)) return false;
    return !TableArgs.isAtpOrDataset(arg);
  }

  /**
   * Copies every input's records as stored (the library's {@link Copy#appendAsStored}); empty, having written
   * what is then discarded, when one cannot be (another compression, a schema that disagrees): the inputs are
   * then converted record by record.
   */
  private Optional<Pass> copiedAsStored(List<Path> inputs, AtpWriter w) throws IOException {
    Pass pass = new Pass(SchemaPlan.NONE, null);
    for (Path in : inputs) {
      try (Table t = TableArgs.open(argsByPath.getOrDefault(in, in.toString()));
          CopyProgress progress = new CopyProgress("convert", spec.commandLine().getErr())) {
        long before = w.size();
        if (!Copy.appendAsStored(w, t, progress)) return Optional.empty();
        pass.count += w.size() - before;
      }
    }
    return Optional.of(pass);
  }

  /**
   * {@code convert IN... OUT.lmdb} (a new asebytes store, group default) or {@code convert IN... redis://...}
   * (appended to the group): the inputs' rows through the library's copy, in the object tier (an extended XYZ
   * file's rows straight from ASE's structures).
   */
  private int toRows(List<String> inputArgs, String outText, Copy.Destination.AsebytesStore store) throws IOException {
    Copy.OnError policy = onError.equals("skip") ? Copy.OnError.SKIP : Copy.OnError.STOP;
    long t0 = System.nanoTime();
    Copy.Result r;
    Path temp = store == null ? null : Temporaries.register(Copy.temporaryName(store.store()));
    try (TableArgs.Opened in = TableArgs.Opened.of(inputArgs);
        CopyProgress progress = new CopyProgress("convert", spec.commandLine().getErr())) {
      if (store != null) {
        r = Copy.run(in.tables(), store, policy, progress);
      } else {
        try (RedisTable t = RedisTable.open(outText)) {
          r = Copy.run(in.tables(), new Copy.Destination.Rows(t), policy, progress);
        }
      }
    } finally {
      if (temp != null) Temporaries.release(temp);
    }
    double seconds = Summary.seconds(t0);
    PrintWriter o = spec.commandLine().getOut();
    if (json) {
      new Summary("convert").strings("inputs", TableArgs.display(inputArgs)).put("output", TableArgs.display(outText))
          .put("skipped", r.skipped()).timing(r.copied(), seconds).print(o);
      return ExitCodes.OK;
    }
    o.printf("converted %,d structures%s to %s in %s, %s structures/s%n", r.copied(),
        r.skipped() > 0 ? String.format(", skipped %,d,", r.skipped()) : "", TableArgs.display(outText),
        Summary.time(seconds), Summary.rate(r.copied(), seconds));
    o.flush();
    return ExitCodes.OK;
  }

  /**
   * One pass over the inputs of one output: the plan it converts with, the watch that notices a key changing type
   * (the optimistic pass only; null once the types are settled), the pin that holds each key to its written type
   * (only when an input can be read once), and what it counted and would report. Only the pass that completes is
   * reported. Used by the writing thread.
   */
  private static final class Pass {
    final SchemaPlan plan;
    final SchemaWatch watch;
    SchemaPin pin;
    final Map<String, Integer> warnings = new LinkedHashMap<>();
    long count;
    long skipped;
    boolean disagreed;

    Pass(SchemaPlan plan, SchemaWatch watch) {
      this.plan = plan;
      this.watch = watch;
    }

    void warn(String warning) {
      warnings.merge(warning, 1, Integer::sum);
    }

    /** Whether the molecule keeps the types seen so far; when not, this pass is given up. */
    boolean agrees(Molecule m) {
      if (watch == null || watch.agrees(m)) return true;
      disagreed = true;
      return false;
    }
  }

  /** A frame mapped and encoded on a parse worker, with what the mapping could not keep; no record when one of its keys changed type. */
  private record Packed(EncodedRecord record, List<String> warnings) {}

  /** Maps frames to molecules and packs them into records; one per parse worker. */
  private static final class Packer implements FrameMapper<Packed> {
    private final Path file;
    private final AseMapping.Precision precision;
    private final RecordPacker packer;
    private final SchemaPlan plan;
    private final SchemaWatch watch;
    private final SchemaPin pin;

    Packer(Path file, AseMapping.Precision precision, Compression compression, SchemaPlan plan, SchemaWatch watch,
        SchemaPin pin) {
      this.file = file;
      this.precision = precision;
      this.packer = new RecordPacker(compression);
      this.plan = plan;
      this.watch = watch;
      this.pin = pin;
    }

    /** A frame that .atp cannot hold is a bad frame of its file: skipped with --on-error skip, else exit 3. */
    @Override
    public Packed map(AseAtoms frame) throws ExtxyzFormatException {
      try {
        var r = AseMapping.toMolecule(frame, precision);
        var conflict = plan.apply(r.molecule());
        if (conflict.isPresent()) throw new ExtxyzFormatException(file, frame.line(), 1, "AtomstoreError", conflict.get());
        if (watch != null && !watch.agrees(r.molecule())) return new Packed(null, List.of());
        List<String> warnings = r.warnings();
        if (pin != null) {
          var check = pin.pin(r.molecule(), file + ":" + frame.line());
          if (!check.ok()) throw new ExtxyzFormatException(file, frame.line(), 1, "AtomstoreError", check.problem());
          if (!check.warnings().isEmpty()) {
            warnings = new ArrayList<>(warnings);
            warnings.addAll(check.warnings());
          }
        }
        return new Packed(packer.pack(r.molecule()), warnings);
      } catch (IllegalArgumentException e) {
        throw new ExtxyzFormatException(file, frame.line(), 1, "AtomstoreError", "frame cannot be stored in .atp: " + e.getMessage());
      }
    }

    @Override
    public void close() { packer.close(); }
  }

}
