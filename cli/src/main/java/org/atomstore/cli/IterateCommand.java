package org.atomstore.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.atomstore.dataset.ShardedDataset;
import org.atomstore.loader.Batch;
import org.atomstore.loader.DatasetSource;
import org.atomstore.loader.Loader;
import org.atomstore.loader.sampler.Remainder;
import org.atomstore.loader.sampler.Sampler;
import org.atomstore.loader.sampler.Shuffle;
import org.atomstore.store.FieldSet;
import org.atomstore.store.FlatBatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "iterate", description = {
    "Show the batches one rank reads in one epoch.",
    "The order depends only on the seed, the epoch, the shuffle, the rank and the world size: not on threads,",
    "runs or machines.",
    "With --indices: one line per batch, the global molecule indices separated by spaces (nothing is",
    "decoded). Without: decode the batches with the loader and print the throughput."})
final class IterateCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DATASET", description = "A dataset directory or an .atp file.")
  Path dataset;

  @Option(names = "--seed", defaultValue = "0", description = "Shuffle seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--epoch", defaultValue = "0", description = "Epoch number (default: ${DEFAULT-VALUE}).")
  long epoch;

  @Option(names = "--rank", defaultValue = "0", description = "This rank (default: ${DEFAULT-VALUE}).")
  int rank;

  @Option(names = "--world-size", defaultValue = "1", description = "Number of ranks (default: ${DEFAULT-VALUE}).")
  int worldSize;

  @Option(names = "--batch-size", required = true, description = "Molecules per batch.")
  int batchSize;

  @Option(names = "--drop-last", description = "Leave out a short last batch.")
  boolean dropLast;

  @Option(names = "--pad", description = "Pad the rank split by wrapping around instead of dropping the remainder.")
  boolean pad;

  @Option(names = "--shuffle", defaultValue = "full", description = "none, full or blocks:BLOCK:WINDOW (default: ${DEFAULT-VALUE}).")
  String shuffle;

  @Option(names = "--indices", description = "Print the indices of every batch instead of reading data.")
  boolean indices;

  @Option(names = "--threads", defaultValue = "1", description = "Decoding threads (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--float64", description = "Decode floats as float64 (default float32).")
  boolean float64;

  @Option(names = "--fields", split = ",", description = "Fields to decode (default: positions,atomic_numbers,energy,forces,cell,stress,pbc).")
  List<String> fields;

  @Option(names = "--max-batches", description = "Stop after this many batches.")
  Long maxBatches;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (batchSize < 1) throw new IllegalArgumentException("--batch-size must be >= 1");
    if (worldSize < 1 || rank < 0 || rank >= worldSize) throw new IllegalArgumentException("--rank must be in [0, --world-size)");
    Shuffle order = Shuffle.parse(shuffle);
    Remainder remainder = pad ? Remainder.PAD : Remainder.DROP;
    PrintWriter out = spec.commandLine().getOut();
    try (ShardedDataset ds = ShardedDataset.open(dataset)) {
      if (indices) {
        Sampler sampler = Sampler.of(order.order(ds.shardStarts(), seed, epoch), rank, worldSize, remainder);
        long batches = limit(sampler.batchCount(batchSize, dropLast));
        StringBuilder line = new StringBuilder();
        for (long k = 0; k < batches; k++) {
          line.setLength(0);
          for (long i : sampler.batch(k, batchSize)) {
            if (!line.isEmpty()) line.append(' ');
            line.append(i);
          }
          out.println(line);
        }
        out.flush();
        return ExitCodes.OK;
      }
      FieldSet fs = fields == null ? DatasetSource.training(ds).fields() : FieldSet.of(fields);
      var source = new DatasetSource(ds, fs, float64);
      try (Loader<FlatBatch> loader = Loader.builder(source).shuffle(order).seed(seed).epoch(epoch)
          .rank(rank, worldSize).remainder(remainder).batchSize(batchSize).dropLast(dropLast).threads(threads).open()) {
        long batches = limit(loader.batchCount());
        long molecules = 0;
        long atoms = 0;
        long t0 = System.nanoTime();
        try (Progress bar = Progress.start("iterate", batches, "batch")) {
          for (long k = 0; k < batches; k++) {
            Batch<FlatBatch> b = loader.next();
            molecules += b.size();
            atoms += b.data().totalAtoms();
            bar.step(1);
          }
        }
        double s = (System.nanoTime() - t0) / 1e9;
        out.printf("%,d batches, %,d molecules, %,d atoms in %.3f s: %,.0f molecules/s, %,.0f atoms/s (threads %d)%n",
            batches, molecules, atoms, s, molecules / s, atoms / s, threads);
        out.flush();
      }
    }
    return ExitCodes.OK;
  }

  private long limit(long batches) {
    return maxBatches == null ? batches : Math.min(batches, maxBatches);
  }
}
