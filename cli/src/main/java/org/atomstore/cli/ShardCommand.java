package org.atomstore.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.atomstore.codec.Compression;
import org.atomstore.dataset.Manifest;
import org.atomstore.dataset.ShardedDataset;
import org.atomstore.dataset.ShardedWriter;
import org.atomstore.model.Molecule;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "shard", mixinStandardHelpOptions = true, description = {
    "Copy molecules into a sharded dataset directory: shard-00000000.atp, ... and manifest.json.",
    "Inputs are .atp files or dataset directories, read in the order given. A new shard starts at either limit. "
        + "The dataset is written into a hidden staging directory next to OUTDIR (.OUTDIR.partial) and renamed "
        + "to OUTDIR when complete, so it appears at once or not at all: a failed or interrupted run (Ctrl-C, "
        + "SIGTERM) leaves no dataset behind.",
    "Prints the output path, molecule and shard counts, size and time; --json prints them as one JSON document."})
final class ShardCommand implements Callable<Integer> {
  @Parameters(arity = "2..*", paramLabel = "IN... OUTDIR", hideParamSyntax = true,
      description = "Input .atp files or dataset directories, then the output directory (absent or empty).")
  List<Path> paths;

  @Option(names = "--max-shard-bytes", paramLabel = "SIZE", defaultValue = "1G", converter = Sizes.class,
      description = "Start a new shard before a shard passes this size, e.g. 512M (default: ${DEFAULT-VALUE}).")
  long maxShardBytes;

  @Option(names = "--max-shard-molecules", paramLabel = "N", description = "Start a new shard after this many molecules (default: no limit).")
  Long maxShardMolecules;

  @Option(names = "--compression", paramLabel = "SPEC", defaultValue = "none", converter = CompressionOption.class,
      description = CompressionOption.HELP + " (default: ${DEFAULT-VALUE}, as Atompack's own default).")
  Compression compression;

  @Option(names = "--json", description = "Print what was written as one JSON document on stdout.")
  boolean json;

  @Spec CommandSpec spec;

  static final int CHUNK = 1024;

  @Override
  public Integer call() throws Exception {
    if (maxShardMolecules != null && maxShardMolecules < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--max-shard-molecules must be at least 1, not " + maxShardMolecules);
    }
    Path out = paths.getLast();
    List<Path> inputs = paths.subList(0, paths.size() - 1);
    for (Path in : inputs) {
      if (!Files.exists(in)) throw new NoSuchFileException(in.toString(), null, "no such input file or directory");
    }
    var builder = ShardedWriter.builder(out).compression(compression).maxShardBytes(maxShardBytes);
    if (maxShardMolecules != null) builder.maxShardMolecules(maxShardMolecules);
    long t0 = System.nanoTime();
    Manifest m;
    ShardedWriter w = builder.open();
    Temporaries.register(w.stagingDirectory());
    try {
      copyAll(inputs, w::add, "shard");
      m = w.finish();
    } catch (IOException | RuntimeException | Error e) {
      // a reading failure leaves the writer sound: closing it would publish what was copied so far
      try {
        w.abandon();
      } catch (IOException | RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    } finally {
      Temporaries.release(w.stagingDirectory());
    }
    double seconds = Summary.seconds(t0);
    long bytes = 0;
    for (Manifest.Shard s : m.shards()) bytes += s.bytes();
    PrintWriter pw = spec.commandLine().getOut();
    if (json) {
      new Summary("shard").paths("inputs", inputs).put("output", out.toString()).put("shards", m.shards().size())
          .put("bytes", bytes).put("compression", compression.toString()).timing(m.totalMolecules(), seconds).print(pw);
      return ExitCodes.OK;
    }
    pw.printf("wrote %,d molecules in %,d shards to %s (%s, %s) in %s, %s molecules/s%n", m.totalMolecules(),
        m.shards().size(), out, Summary.human(bytes), compression, Summary.time(seconds),
        Summary.rate(m.totalMolecules(), seconds));
    pw.flush();
    return ExitCodes.OK;
  }

  /** Something that takes molecules one by one. */
  interface Sink {
    void add(Molecule m) throws java.io.IOException;
  }

  /** Reads every input in order, shard by shard in chunks, into {@code sink}, with a progress bar. */
  static void copyAll(List<Path> inputs, Sink sink, String task) throws java.io.IOException {
    for (Path in : inputs) {
      try (ShardedDataset ds = ShardedDataset.open(in); Progress bar = Progress.start(task + " " + in.getFileName(), ds.size(), "mol")) {
        for (int s = 0; s < ds.shardCount(); s++) {
          long n = ds.shardStart(s + 1) - ds.shardStart(s);
          for (long from = 0; from < n; from += CHUNK) {
            long[] idx = new long[(int) Math.min(CHUNK, n - from)];
            for (int k = 0; k < idx.length; k++) idx[k] = from + k;
            for (Molecule m : ds.shard(s).get(idx)) sink.add(m);
            bar.step(idx.length);
          }
        }
      }
    }
  }
}
