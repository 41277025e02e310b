package org.atomstore.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.atomstore.codec.Compression;
import org.atomstore.dataset.ShardedDataset;
import org.atomstore.dataset.ShardedWriter;
import org.atomstore.loader.DatasetSource;
import org.atomstore.loader.Loader;
import org.atomstore.loader.sampler.Sampler;
import org.atomstore.loader.sampler.Shuffle;
import org.atomstore.model.Molecule;
import org.atomstore.store.FlatBatch;

/**
 * Loader throughput: molecules/s for shuffled batches over a sharded dataset, with 1 and 2 loader threads,
 * against raw shuffled reads of the same batches in the calling thread (no loader).
 *
 * <pre>java -cp ... org.atomstore.bench.LoaderBenchmark DIR MOLECULES ATOMS SHARD_MOLECULES COMPRESSION [BATCHES]</pre>
 * The dataset is generated in DIR first when DIR does not exist. Not a test; run by hand.
 */
public final class LoaderBenchmark {
  private LoaderBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    long n = Long.parseLong(args[1]);
    int atoms = Integer.parseInt(args[2]);
    long perShard = Long.parseLong(args[3]);
    Compression c = Compression.parse(args[4]);
    long batches = args.length > 5 ? Long.parseLong(args[5]) : Long.MAX_VALUE;
    if (!Files.exists(dir)) generate(dir, n, atoms, perShard, c);
    try (var ds = ShardedDataset.open(dir)) {
      var source = DatasetSource.training(ds);
      int batchSize = 64;
      Sampler sampler = Sampler.of(Shuffle.full().order(ds.shardStarts(), 1, 0));
      long total = Math.min(batches, sampler.batchCount(batchSize, true));
      for (int round = 0; round < 2; round++) { // the first round warms the JIT and the page cache
        long t0 = System.nanoTime();
        long sum = 0;
        for (long k = 0; k < total; k++) sum += source.read(sampler.batch(k, batchSize)).totalAtoms();
        report(round, "raw shuffled readBatch", total * batchSize, t0, sum);
        for (int threads : new int[] {1, 2}) {
          t0 = System.nanoTime();
          sum = 0;
          try (Loader<FlatBatch> loader = Loader.builder(source).seed(1).epoch(0).batchSize(batchSize).dropLast(true)
              .threads(threads).open()) {
            for (long k = 0; k < total; k++) sum += loader.next().data().totalAtoms();
          }
          report(round, "loader threads=" + threads, total * batchSize, t0, sum);
        }
      }
    }
  }

  private static void report(int round, String what, long molecules, long t0, long atoms) {
    double s = (System.nanoTime() - t0) / 1e9;
    System.out.printf("%s %-24s %,12d molecules %8.2f s %,12.0f molecules/s (atoms %,d)%n",
        round == 0 ? "warmup" : "result", what, molecules, s, molecules / s, atoms);
  }

  private static void generate(Path dir, long n, int atoms, long perShard, Compression c) throws Exception {
    var rnd = new SplittableRandom(7);
    long t0 = System.nanoTime();
    try (var w = ShardedWriter.builder(dir).compression(c).maxShardMolecules(perShard).open()) {
      float[] pos = new float[3 * atoms];
      float[] forces = new float[3 * atoms];
      byte[] z = new byte[atoms];
      for (long i = 0; i < n; i++) {
        for (int j = 0; j < pos.length; j++) {
          pos[j] = (float) (rnd.nextDouble() * 10);
          forces[j] = (float) rnd.nextGaussian();
        }
        for (int j = 0; j < atoms; j++) z[j] = (byte) (1 + rnd.nextInt(80));
        w.add(Molecule.of(pos.clone(), z.clone()).energy(rnd.nextGaussian()).forces(forces.clone())
            .cell(new double[] {10, 0, 0, 0, 10, 0, 0, 0, 10}).pbc(true, true, true));
      }
    }
    System.out.printf("generated %,d molecules in %s in %.1f s%n", n, dir, (System.nanoTime() - t0) / 1e9);
  }
}
