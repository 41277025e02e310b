package org.atomstore.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.atomstore.codec.Compression;
import org.atomstore.dataset.Manifest;
import org.atomstore.dataset.ShardedDataset;
import org.atomstore.dataset.ShardedWriter;
import org.atomstore.model.Molecule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "shard", description = {
    "Copy molecules into a sharded dataset directory: shard-00000000.atp, ... and manifest.json.",
    "Inputs are .atp files or dataset directories, read in the order given. A new shard starts at",
    "either limit; the manifest is written last, so an interrupted run never looks complete."})
final class ShardCommand implements Callable<Integer> {
  @Parameters(arity = "2..*", paramLabel = "IN... OUTDIR", description = "Input files or directories, then the output directory (absent or empty).")
  List<Path> paths;

  @Option(names = "--max-shard-bytes", defaultValue = "1G", converter = Sizes.class,
      description = "Start a new shard before a shard passes this size (default: ${DEFAULT-VALUE}).")
  long maxShardBytes;

  @Option(names = "--max-shard-molecules", description = "Start a new shard after this many molecules (default: no limit).")
  Long maxShardMolecules;

  @Option(names = "--compression", defaultValue = "none", description = "none, lz4, zstd or zstd:LEVEL (default: ${DEFAULT-VALUE}).")
  String compression;

  @Spec CommandSpec spec;

  static final int CHUNK = 1024;

  @Override
  public Integer call() throws Exception {
    Compression c = Compression.parse(compression);
    Path out = paths.getLast();
    List<Path> inputs = paths.subList(0, paths.size() - 1);
    var builder = ShardedWriter.builder(out).compression(c).maxShardBytes(maxShardBytes);
    if (maxShardMolecules != null) builder.maxShardMolecules(maxShardMolecules);
    Manifest m;
    try (ShardedWriter w = builder.open()) {
      copyAll(inputs, w::add, "shard");
      m = w.finish();
    }
    PrintWriter pw = spec.commandLine().getOut();
    pw.printf("wrote %,d molecules in %,d shards to %s%n", m.totalMolecules(), m.shards().size(), out);
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
