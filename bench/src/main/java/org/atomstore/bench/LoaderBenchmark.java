package org.atomstore.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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
      // Round 0 warms the JIT and the page cache. This machine's speed drifts from second to second, so each
      // round measures all three one after the other and the summary gives medians over the rounds.
      double[][] rates = new double[3][ROUNDS];
      for (int round = 0; round <= ROUNDS; round++) {
        long t0 = System.nanoTime();
        long sum = 0;
        for (long k = 0; k < total; k++) sum += source.read(sampler.batch(k, batchSize)).totalAtoms();
        double raw = report(round, "raw shuffled readBatch", total * batchSize, t0, sum);
        double[] loader = new double[2];
        for (int threads : new int[] {1, 2}) {
          t0 = System.nanoTime();
          sum = 0;
          try (Loader<FlatBatch> l = Loader.builder(source).seed(1).epoch(0).batchSize(batchSize).dropLast(true)
              .threads(threads).open()) {
            for (long k = 0; k < total; k++) sum += l.next().data().totalAtoms();
          }
          loader[threads - 1] = report(round, "loader threads=" + threads, total * batchSize, t0, sum);
        }
        if (round > 0) {
          rates[0][round - 1] = raw;
          rates[1][round - 1] = loader[0];
          rates[2][round - 1] = loader[1];
        }
      }
      double[] oneVsRaw = new double[ROUNDS];
      double[] twoVsOne = new double[ROUNDS];
      for (int r = 0; r < ROUNDS; r++) {
        oneVsRaw[r] = rates[1][r] / rates[0][r];
        twoVsOne[r] = rates[2][r] / rates[1][r];
      }
      System.out.printf("median of %d rounds: raw %,.0f/s, loader threads=1 %,.0f/s, threads=2 %,.0f/s;"
          + " threads=1 / raw %.2f, threads=2 / threads=1 %.2f (per-round ratios, median)%n", ROUNDS,
          median(rates[0]), median(rates[1]), median(rates[2]), median(oneVsRaw), median(twoVsOne));
    }
  }

  private static final int ROUNDS = 5;

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static double report(int round, String what, long molecules, long t0, long atoms) {
    double s = (System.nanoTime() - t0) / 1e9;
    System.out.printf("%s %-24s %,12d molecules %8.2f s %,12.0f molecules/s (atoms %,d)%n",
        round == 0 ? "warmup" : "round " + round, what, molecules, s, molecules / s, atoms);
    return molecules / s;
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
