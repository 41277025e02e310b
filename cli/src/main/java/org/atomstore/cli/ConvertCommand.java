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
import org.atomstore.store.EncodedRecord;
import org.atomstore.store.RecordPacker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "convert", description = {
    "Convert extended XYZ / XYZ (.gz/.bz2/.xz), ASE .db and .atp files to Atompack .atp.",
    "With one output file all inputs go into it; with an output directory each input becomes DIR/NAME.atp.",
    "Outputs are written under a temporary name and renamed when complete.",
    "What cannot be mapped exactly (see io/README.md) is reported on stderr."})
final class ConvertCommand implements Callable<Integer> {

  @Parameters(arity = "2..*", paramLabel = "IN... OUT", description = "Input files, then the output .atp file or directory.")
  List<Path> paths;

  @Option(names = "--compression", defaultValue = "none",
      description = "none, lz4, zstd or zstd:LEVEL (default: ${DEFAULT-VALUE}, as Atompack's own default; uncompressed files are the fastest to read shuffled).")
  String compression;

  @Option(names = "--jobs", description = "Parser threads (default: all cores).")
  int jobs = Runtime.getRuntime().availableProcessors();

  @Option(names = "--float32", description = "Store positions as float32.") boolean float32;
  @Option(names = "--float64", description = "Store positions as float64 (default, lossless).") boolean float64;

  @Option(names = "--on-error", defaultValue = "stop", description = "stop (default) or skip bad frames, reporting each as file:line: reason.")
  String onError;

  @Spec CommandSpec spec;

  private final Map<String, Integer> warningCounts = new LinkedHashMap<>();
  private long skipped;

  @Override
  public Integer call() throws Exception {
    if (float32 && float64) throw new IllegalArgumentException("--float32 and --float64 exclude each other");
    if (!onError.equals("stop") && !onError.equals("skip")) throw new IllegalArgumentException("--on-error must be stop or skip");
    Compression c = Compression.parse(compression);
    List<Path> inputs = paths.subList(0, paths.size() - 1);
    Path out = paths.getLast();
    PrintWriter err = spec.commandLine().getErr();
    boolean toDir = Files.isDirectory(out) || !out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".atp");
    long total = 0;
    try (Progress bar = Progress.start("convert", -1, "frames")) {
      if (toDir) {
        Files.createDirectories(out);
        for (Path in : inputs) {
          String base = CompressedFiles.baseName(in).replaceFirst("\\.(xyz|extxyz|db|atp)$", "");
          total += convert(List.of(in), out.resolve(base + ".atp"), c, bar, err);
        }
      } else {
        total = convert(inputs, out, c, bar, err);
      }
    } catch (ExtxyzFormatException e) {
      err.println("atomstore convert: " + e.getMessage());
      return ExitCodes.CORRUPT_INPUT;
    }
    warningCounts.forEach((w, n) -> err.println("warning: " + w + (n > 1 ? " (" + n + " frames)" : "")));
    spec.commandLine().getOut().println("converted " + total + " structures" + (skipped > 0 ? ", skipped " + skipped : ""));
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }

  private long convert(List<Path> inputs, Path out, Compression c, Progress bar, PrintWriter err) throws IOException {
    // One type per key over all frames of the output (io/README.md, "One schema across a file"): a first pass over
    // the comment lines (database rows, records) settles them, the writing pass converts each frame.
    boolean onlyAtp = inputs.stream().allMatch(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".atp"));
    SchemaPlan plan = onlyAtp ? SchemaPlan.NONE : SchemaSurvey.survey(inputs, precision(), Math.max(1, jobs));
    for (String warning : plan.warnings()) warningCounts.merge(warning, 1, Integer::sum);
    return AtomicAtp.write(out, c, w -> {
      long n = 0;
      for (Path in : inputs) n += copy(in, w, bar, err, plan);
      return n;
    });
  }

  private AseMapping.Precision precision() {
    return float32 ? AseMapping.Precision.FLOAT32 : AseMapping.Precision.FLOAT64;
  }

  private long copy(Path in, AtpWriter w, Progress bar, PrintWriter err, SchemaPlan plan) throws IOException {
    String name = in.getFileName().toString().toLowerCase(Locale.ROOT);
    var precision = precision();
    long[] n = {0};
    if (name.endsWith(".atp")) {
      try (AtpReader r = AtpReader.open(in)) {
        for (long i = 0; i < r.size(); i++) {
          Molecule m = r.get(i);
          if (settled(plan, m, in, "record " + i, err)) w.add(m);
          step(bar, n);
        }
      }
    } else if (name.endsWith(".db")) {
      try (AseDbReader r = AseDbReader.open(in)) {
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
      try (var r = MappedExtxyzReader.open(in, Math.max(1, jobs), () -> new Packer(in, precision, w.compression(), plan))) {
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
          }
          step(bar, n);
        }
        w.addEncoded(batch);
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
