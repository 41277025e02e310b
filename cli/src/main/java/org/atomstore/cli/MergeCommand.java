package org.atomstore.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.atomstore.codec.Compression;
import org.atomstore.dataset.ShardedDataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "merge", description = {
    "Concatenate .atp files and dataset directories into one .atp file, in the order given.",
    "The output is written under a temporary name and renamed when complete."})
final class MergeCommand implements Callable<Integer> {
  @Parameters(arity = "2..*", paramLabel = "IN... OUT.atp", description = "Input files or directories, then the output file.")
  List<Path> paths;

  @Option(names = "--compression", description = "none, lz4, zstd or zstd:LEVEL (default: that of the first input's first shard).")
  String compression;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Path out = paths.getLast();
    List<Path> inputs = paths.subList(0, paths.size() - 1);
    Compression c = compression != null ? Compression.parse(compression) : firstCompression(inputs);
    long n = AtomicAtp.write(out, c, w -> {
      ShardCommand.copyAll(inputs, w::add, "merge");
      return w.size();
    });
    PrintWriter pw = spec.commandLine().getOut();
    pw.printf("wrote %,d molecules to %s (%s)%n", n, out, c);
    pw.flush();
    return ExitCodes.OK;
  }

  private static Compression firstCompression(List<Path> inputs) throws java.io.IOException {
    for (Path in : inputs) {
      try (ShardedDataset ds = ShardedDataset.open(in)) {
        if (ds.shardCount() > 0) return ds.shard(0).compression();
      }
    }
    return Compression.NONE;
  }
}
