package org.atomstore.djl;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.atomstore.codec.Compression;
import org.atomstore.model.Molecule;
import org.atomstore.store.AtpWriter;

/**
 * Clusters of two elements whose energy is a Lennard-Jones sum plus a reference energy per element: data with a
 * known, learnable answer. {@code main(OUT.atp, COUNT)} writes a dataset for the training benchmark.
 */
final class LjClusters {
  private LjClusters() {}

  static final int[] ELEMENTS = {18, 36};
  private static final double[] REFERENCE = {-3.0, -5.0};
  private static final double[] SIGMA = {2.2, 2.6};

  static Molecule cluster(SplittableRandom rnd) {
    int n = 4 + rnd.nextInt(21);
    double box = Math.cbrt(n * 20.0);
    double[] pos = new double[3 * n];
    byte[] z = new byte[n];
    int[] kind = new int[n];
    for (int i = 0; i < n; i++) {
      kind[i] = rnd.nextInt(2);
      z[i] = (byte) ELEMENTS[kind[i]];
      // no two atoms closer than 0.95 sigma: where the box has no room left it grows (no overlapping outliers)
      for (int tries = 0; ; tries++) {
        for (int a = 0; a < 3; a++) pos[3 * i + a] = rnd.nextDouble() * box;
        if (farEnough(pos, kind, i)) break;
        if (tries % 50 == 49) box *= 1.1;
      }
    }
    double e = 0;
    for (int i = 0; i < n; i++) {
      e += REFERENCE[kind[i]];
      for (int j = 0; j < i; j++) {
        double s = (SIGMA[kind[i]] + SIGMA[kind[j]]) / 2;
        double r = distance(pos, i, j);
        double x = Math.pow(s / r, 6);
        e += 4 * 0.05 * (x * x - x);
      }
    }
    return Molecule.of(pos, z).energy(e);
  }

  private static boolean farEnough(double[] pos, int[] kind, int i) {
    for (int j = 0; j < i; j++) {
      double s = (SIGMA[kind[i]] + SIGMA[kind[j]]) / 2;
      if (distance(pos, i, j) < 0.95 * s) return false;
    }
    return true;
  }

  private static double distance(double[] p, int i, int j) {
    double dx = p[3 * i] - p[3 * j];
    double dy = p[3 * i + 1] - p[3 * j + 1];
    double dz = p[3 * i + 2] - p[3 * j + 2];
    return Math.sqrt(dx * dx + dy * dy + dz * dz);
  }

  static void write(Path out, int count, long seed) throws IOException {
    SplittableRandom rnd = new SplittableRandom(seed);
    try (AtpWriter w = AtpWriter.create(out, Compression.NONE)) {
      for (int k = 0; k < count; k++) w.add(cluster(rnd));
    }
  }

  public static void main(String[] args) throws IOException {
    write(Path.of(args[0]), Integer.parseInt(args[1]), 7);
  }
}
