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
import java.util.concurrent.Callable;
import org.atomstore.codec.Compression;
import org.atomstore.io.CompressedFiles;
import org.atomstore.io.ase.AseAtoms;
import org.atomstore.io.asedb.AseDbReader;
import org.atomstore.io.extxyz.ExtxyzFormatException;
import org.atomstore.io.extxyz.FrameMapper;
import org.atomstore.io.extxyz.MappedExtxyzReader;
import org.atomstore.io.mapping.AseMapping;
import org.atomstore.io.mapping.SchemaPlan;
import org.atomstore.io.mapping.SchemaSurvey;
import org.atomstore.model.Molecule;
import org.atomstore.store.AtpReader;
import org.atomstore.store.CorruptFileException;
import org.atomstore.store.AtpWriter;
import org.atomstore.store.internal.EncodedRecord;
import org.atomstore.store.internal.RecordPacker;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "convert", mixinStandardHelpOptions = true, description = {
    "Convert extended XYZ, XYZ, ASE .db and .atp files to Atompack .atp.",
    "Text inputs may be compressed (.gz, .bz2, .xz). With an output file ending in .atp all inputs go into it, in "
        + "the order given; with an existing directory, or a path ending in '/', each input becomes DIR/NAME.atp. "
        + "Any other output is refused.",
    "Outputs are written under a temporary name (.NAME.partial) and renamed when complete; a failed or interrupted "
        + "run (Ctrl-C, SIGTERM) removes it. What cannot be mapped exactly (see io/README.md) is reported on stderr.",
    "Prints the output path, molecule count, size and time; --json prints them as one JSON document."})
final class ConvertCommand implements Callable<Integer> {

  @Parameters(arity = "2..*", paramLabel = "IN... OUT", hideParamSyntax = true,
      description = "Input files (.xyz, .extxyz, optionally .gz/.bz2/.xz; .db; .atp), then the output: a file "
          + "ending in .atp, or a directory.")
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

  @Spec CommandSpec spec;

  private final Map<String, Integer> warningCounts = new LinkedHashMap<>();
  private long skipped;

  @Override
  public Integer call() throws Exception {
    if (float32 && float64) throw usage("--float32 and --float64 exclude each other");
    if (!onError.equals("stop") && !onError.equals("skip")) throw usage("--on-error must be stop or skip, not '" + onError + "'");
    if (jobs < 1) throw usage("--jobs must be at least 1, not " + jobs);
    List<Path> inputs = paths.subList(0, paths.size() - 1).stream().map(Path::of).toList();
    String outText = paths.getLast();
    Path out = Path.of(outText);
    boolean toDir = Files.isDirectory(out) || outText.endsWith("/") || outText.endsWith(java.io.File.separator);
    if (!toDir && !out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".atp")) {
      throw usage("the output '" + outText + "' is neither a file ending in .atp nor an existing directory "
          + "(end it with '/' to create a directory with one .atp per input)");
    }
    PrintWriter err = spec.commandLine().getErr();
    long t0 = System.nanoTime();
    Map<Path, Long> written = new LinkedHashMap<>();
    if (toDir) {
      AtomicAtp.createDirectories(out);
      for (Path in : inputs) {
        String base = CompressedFiles.baseName(in).replaceFirst("\\.(xyz|extxyz|db|atp)$", "");
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
    // One type per key over all frames of the output (io/README.md, "One schema across a file"): a first pass over
    // the comment lines (database rows, records) settles them, the writing pass converts each frame.
    boolean onlyAtp = inputs.stream().allMatch(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".atp"));
    SchemaPlan plan = onlyAtp ? SchemaPlan.NONE : SchemaSurvey.survey(inputs, precision(), Math.max(1, jobs));
    for (String warning : plan.warnings()) warningCounts.merge(warning, 1, Integer::sum);
    return AtomicAtp.write(out, c, w -> {
      long n = 0;
      for (Path in : inputs) n += copy(in, w, err, plan);
      return n;
    });
  }

  private AseMapping.Precision precision() {
    return float32 ? AseMapping.Precision.FLOAT32 : AseMapping.Precision.FLOAT64;
  }

  private long copy(Path in, AtpWriter w, PrintWriter err, SchemaPlan plan) throws IOException {
    String name = in.getFileName().toString().toLowerCase(Locale.ROOT);
    var precision = precision();
    long[] n = {0};
    String task = "convert " + in.getFileName();
    if (name.endsWith(".atp")) {
      try (AtpReader r = AtpReader.open(in); Progress bar = Progress.start(task, r.size(), "structures")) {
        for (long i = 0; i < r.size(); i++) {
          Molecule m = r.get(i);
          if (settled(plan, m, in, "record " + i, err)) w.add(m);
          step(bar, n);
        }
      }
    } else if (name.endsWith(".db")) {
      try (AseDbReader r = AseDbReader.open(in); Progress bar = Progress.start(task, r.count(), "rows")) {
        r.forEach(row -> {
          try {
            var mapped = AseMapping.toMolecule(row, precision);
            for (String warning : mapped.warnings()) warningCounts.merge(warning, 1, Integer::sum);
            if (settled(plan, mapped.molecule(), in, "row " + row.id(), err)) w.add(mapped.molecule());
          } catch (IllegalArgumentException e) {
            throw new CorruptFileException(in, -1, "row " + row.id() + " cannot be stored in .atp: " + e.getMessage());
          }
          step(bar, n);
        });
      }
    } else {
      // parse, map, encode and compress on the workers; this thread only writes
      // against the file's size: the reader counts compressed bytes for a compressed file
      long total = Files.size(in);
      try (var r = MappedExtxyzReader.open(in, jobs, () -> new Packer(in, precision, w.compression(), plan));
          Progress bar = Progress.bytes(task, total)) {
        if (onError.equals("skip")) {
          r.skipBadFrames(e -> {
            skipped++;
            err.println("skipped frame at " + e.file() + ":" + e.line() + ": " + e.problem());
          });
        }
        var batch = new ArrayList<EncodedRecord>(256);
        for (Packed p = r.read(); p != null; p = r.read()) {
          for (String warning : p.warnings()) warningCounts.merge(warning, 1, Integer::sum);
          batch.add(p.record());
          if (batch.size() == 256) {
            w.addEncoded(batch);
            batch.clear();
            bar.stepTo(r.sourceBytesRead());
          }
          n[0]++;
        }
        w.addEncoded(batch);
        bar.stepTo(r.sourceBytesRead());
      }
    }
    return n[0];
  }

  /** Converts a record or row to the settled types; false when it disagrees and is skipped (--on-error skip). */
  private boolean settled(SchemaPlan plan, Molecule m, Path in, String where, PrintWriter err) throws IOException {
    var conflict = plan.apply(m);
    if (conflict.isEmpty()) return true;
    if (!onError.equals("skip")) throw new CorruptFileException(in, -1, where + " cannot be stored in .atp: " + conflict.get());
    skipped++;
    err.println("skipped " + where + " of " + in + ": " + conflict.get());
    return false;
  }

  /** A frame mapped and encoded on a parse worker, with what the mapping could not keep. */
  private record Packed(EncodedRecord record, List<String> warnings) {}

  /** Maps frames to molecules and packs them into records; one per parse worker. */
  private static final class Packer implements FrameMapper<Packed> {
    private final Path file;
    private final AseMapping.Precision precision;
    private final RecordPacker packer;
    private final SchemaPlan plan;

    Packer(Path file, AseMapping.Precision precision, Compression compression, SchemaPlan plan) {
      this.file = file;
      this.precision = precision;
      this.packer = new RecordPacker(compression);
      this.plan = plan;
    }

    /** A frame that .atp cannot hold is a bad frame of its file: skipped with --on-error skip, else exit 3. */
    @Override
    public Packed map(AseAtoms frame) throws ExtxyzFormatException {
      try {
        var r = AseMapping.toMolecule(frame, precision);
        var conflict = plan.apply(r.molecule());
        if (conflict.isPresent()) throw new ExtxyzFormatException(file, frame.line(), 1, "AtomstoreError", conflict.get());
        return new Packed(packer.pack(r.molecule()), r.warnings());
      } catch (IllegalArgumentException e) {
        throw new ExtxyzFormatException(file, frame.line(), 1, "AtomstoreError", "frame cannot be stored in .atp: " + e.getMessage());
      }
    }

    @Override
    public void close() { packer.close(); }
  }

  private static void step(Progress bar, long[] n) {
    n[0]++;
    bar.step(1);
  }

}
