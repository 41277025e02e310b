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
import org.atomstore.data.Copy;
import org.atomstore.dataset.ShardedWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "shard", mixinStandardHelpOptions = true, description = {
    "Copy molecules into a sharded dataset directory: shard-00000000.atp, ... and manifest.json.",
    "Inputs are .atp files, dataset directories or any store 'atomstore info' opens, read in the order given. A new shard starts at either limit. "
        + "The dataset is written into a hidden staging directory next to OUTDIR (.OUTDIR.partial) and renamed "
        + "to OUTDIR when complete, so it appears at once or not at all: a failed or interrupted run (Ctrl-C, "
        + "SIGTERM) leaves no dataset behind.",
    "Prints the output path, molecule and shard counts, size and time; --json prints them as one JSON document."})
final class ShardCommand implements Callable<Integer> {
  @Parameters(arity = "2..*", paramLabel = "IN... OUTDIR", hideParamSyntax = true,
      description = "Input .atp files, dataset directories or store paths/addresses, then the output directory "
          + "(absent or empty).")
  List<String> paths;

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

  @Override
  public Integer call() throws Exception {
    if (maxShardMolecules != null && maxShardMolecules < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--max-shard-molecules must be at least 1, not " + maxShardMolecules);
    }
    Path out = Path.of(paths.getLast());
    List<String> inputs = paths.subList(0, paths.size() - 1);
    for (String in : inputs) {
      if (!TableArgs.isAddress(in) && !Files.exists(Path.of(in))) throw new NoSuchFileException(in, null, "no such input file or directory");
    }
    long t0 = System.nanoTime();
    Manifest m;
    Path staging = Temporaries.register(ShardedWriter.stagingDirectory(out));
    try (TableArgs.Opened in = TableArgs.Opened.of(inputs);
        CopyProgress progress = new CopyProgress("shard", spec.commandLine().getErr())) {
      Copy.run(in.tables(), new Copy.Destination.Dataset(out, compression, maxShardBytes,
          maxShardMolecules == null ? Long.MAX_VALUE : maxShardMolecules), Copy.OnError.STOP, progress);
    } finally {
      Temporaries.release(staging);
    }
    m = Manifest.read(out.resolve(Manifest.FILE_NAME));
    double seconds = Summary.seconds(t0);
    long bytes = 0;
    for (Manifest.Shard s : m.shards()) bytes += s.bytes();
    PrintWriter pw = spec.commandLine().getOut();
    if (json) {
      new Summary("shard").strings("inputs", TableArgs.display(inputs)).put("output", out.toString()).put("shards", m.shards().size())
          .put("bytes", bytes).put("compression", compression.toString()).timing(m.totalMolecules(), seconds).print(pw);
      return ExitCodes.OK;
    }
    pw.printf("wrote %,d molecules in %,d shards to %s (%s, %s) in %s, %s molecules/s%n", m.totalMolecules(),
        m.shards().size(), out, Summary.human(bytes), compression, Summary.time(seconds),
        Summary.rate(m.totalMolecules(), seconds));
    pw.flush();
    return ExitCodes.OK;
  }
}
