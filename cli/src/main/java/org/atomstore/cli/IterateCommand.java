package org.atomstore.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.atomstore.dataset.Dataset;
import org.atomstore.loader.Batch;
import org.atomstore.loader.BatchSource;
import org.atomstore.loader.DatasetSource;
import org.atomstore.loader.Loader;
import org.atomstore.loader.TableSource;
import org.atomstore.loader.sampler.Remainder;
import org.atomstore.loader.sampler.Sampler;
import org.atomstore.loader.sampler.Shuffle;
import org.atomstore.store.FieldSet;
import org.atomstore.store.FlatBatch;
import org.atomstore.table.Table;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "iterate", mixinStandardHelpOptions = true, description = {
    "Show the batches one rank reads in one epoch.",
    "The order depends only on the seed, the epoch, the shuffle, the rank and the world size: not on threads, "
        + "runs or machines.",
    "With --indices: one line per batch, the global molecule indices separated by spaces (nothing is decoded). "
        + "Without: decode the batches with the loader and print the counts, the time and the throughput "
        + "(--json: as one JSON document)."})
final class IterateCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "STORE", description = "A dataset directory or an .atp file, local or "
      + "remote (https://, s3://, hf://), or any store 'atomstore info' opens (path or address).")
  String dataset;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "Shuffle seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--epoch", paramLabel = "N", defaultValue = "0", description = "Epoch number (default: ${DEFAULT-VALUE}).")
  long epoch;

  @Option(names = "--rank", paramLabel = "N", defaultValue = "0", description = "This rank (default: ${DEFAULT-VALUE}).")
  int rank;

  @Option(names = "--world-size", paramLabel = "N", defaultValue = "1", description = "Number of ranks (default: ${DEFAULT-VALUE}).")
  int worldSize;

  @Option(names = "--batch-size", paramLabel = "N", required = true, description = "Molecules per batch.")
  int batchSize;

  @Option(names = "--drop-last", description = "Leave out a short last batch.")
  boolean dropLast;

  @Option(names = "--pad", description = "Pad the rank split by wrapping around instead of dropping the remainder.")
  boolean pad;

  @Option(names = "--shuffle", paramLabel = "ORDER", defaultValue = "full", description = "none, full or blocks:BLOCK:WINDOW (default: ${DEFAULT-VALUE}).")
  String shuffle;

  @Option(names = "--indices", description = "Print the indices of every batch instead of reading data.")
  boolean indices;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "1", description = "Decoding threads, at least 1 (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--float64", description = "Decode floats as float64 (default float32).")
  boolean float64;

  @Option(names = "--fields", paramLabel = "FIELD", split = ",",
      description = "Fields to decode: positions, atomic_numbers, the builtins (cell, charges, energy, forces, name, "
          + "pbc, stress, velocities) and the dataset's own properties (see 'atomstore info'). Default: "
          + "positions, atomic_numbers, energy, forces, cell, stress and pbc.")
  List<String> fields;

  @Option(names = "--max-batches", paramLabel = "N", description = "Stop after this many batches.")
  Long maxBatches;

  @Option(names = "--json", description = "Without --indices: print the counts, time and rates as one JSON document.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (batchSize < 1) throw usage("--batch-size must be at least 1, not " + batchSize);
    if (worldSize < 1) throw usage("--world-size must be at least 1, not " + worldSize);
    if (rank < 0 || rank >= worldSize) throw usage("--rank must be in 0.." + (worldSize - 1) + " for --world-size " + worldSize + ", not " + rank);
    if (threads < 1) throw usage("--threads must be at least 1, not " + threads);
    if (maxBatches != null && maxBatches < 0) throw usage("--max-batches must not be negative, not " + maxBatches);
    if (json && indices) throw usage("--json and --indices exclude each other (--indices prints one line per batch)");
    Shuffle order = Shuffle.parse(shuffle);
    Remainder remainder = pad ? Remainder.PAD : Remainder.DROP;
    PrintWriter out = spec.commandLine().getOut();
    // an .atp file is read as a dataset of one shard, as this command always did (its --fields are checked)
    try (Table table = Inputs.remote(dataset) || TableArgs.isAtpOrDataset(dataset) ? Inputs.dataset(dataset) : TableArgs.open(dataset)) {
      long[] shardStarts = table.shardStarts();
      if (indices) {
        Sampler sampler = Sampler.of(order.order(shardStarts, seed, epoch), rank, worldSize, remainder);
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
      BatchSource<FlatBatch> source;
      if (table instanceof Dataset ds) {
        FieldSet fs = fields == null ? DatasetSource.training(ds).fields() : FieldSet.of(checkFields(ds));
        source = new DatasetSource(ds, fs, float64);
      } else {
        FieldSet fs = fields == null ? TableSource.training(table).fields() : FieldSet.of(fields);
        source = TableSource.of(table, fs, float64);
      }
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
        if (json) {
          new Summary("iterate").put("path", TableArgs.display(dataset)).put("batches", batches).put("atoms", atoms)
              .put("threads", threads).put("batch_size", batchSize).timing(molecules, s)
              .put("molecules_per_s", Summary.round(s > 0 ? molecules / s : 0))
              .put("atoms_per_second", Summary.round(s > 0 ? atoms / s : 0)).print(out);
          return ExitCodes.OK;
        }
        out.printf("%,d batches, %,d molecules, %,d atoms in %.3f s: %,.0f molecules/s, %,.0f atoms/s (threads %d)%n",
            batches, molecules, atoms, s, molecules / s, atoms / s, threads);
        out.flush();
      }
    }
    return ExitCodes.OK;
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  /**
   * The requested fields, each one the loader can decode: a name that is neither positions, atomic_numbers, a
   * builtin nor a property of this dataset would otherwise decode to nothing without a word.
   */
  private List<String> checkFields(Dataset ds) throws java.io.IOException {
    java.util.Set<String> known = new java.util.LinkedHashSet<>(List.of(FieldSet.POSITIONS, FieldSet.ATOMIC_NUMBERS,
        "cell", "charges", "energy", "forces", "name", "pbc", "stress", "velocities"));
    if (ds.manifestSchema().isPresent()) {
      for (var f : ds.manifestSchema().get()) known.add(f.key());
    } else if (ds.shardCount() > 0) {
      ds.shard(0).fileSchema().ifPresent(s -> s.fields().forEach(e -> known.add(e.key())));
    }
    for (String f : fields) {
      if (!known.contains(f) && !FieldSet.of(f).builtin(f)) {
        throw usage("--fields: '" + f + "' is not a field of " + dataset + " (fields: " + String.join(", ", known) + ")");
      }
    }
    return fields;
  }

  private long limit(long batches) {
    return maxBatches == null ? batches : Math.min(batches, maxBatches);
  }
}
