package org.atomstore.store;

import java.nio.file.Path;
import org.atomstore.codec.Compression;
import org.atomstore.model.Molecule;

/**
 * Child process for {@link CrashRecoveryTest}: appends deterministic molecules to a file, flushing every
 * {@code flushEvery}, and prints "committed N" after each flush has returned. The parent kills it.
 */
public final class CrashWriter {
  public static void main(String[] args) throws Exception {
    Path path = Path.of(args[0]);
    int flushEvery = Integer.parseInt(args[1]);
    Compression c = Compression.parse(args[2]);
    boolean append = args.length > 3 && args[3].equals("append");
    try (AtpWriter w = append ? AtpWriter.openForAppend(path) : AtpWriter.create(path, c)) {
      System.out.println("committed " + w.size());
      System.out.flush();
      for (long i = w.size(); ; i++) {
        w.add(molecule(i));
        if ((i + 1) % flushEvery == 0) {
          w.flush();
          System.out.println("committed " + (i + 1));
          System.out.flush();
        }
      }
    }
  }

  /** Molecule {@code i}: 1 to 40 atoms, content derived from i. */
  static Molecule molecule(long i) {
    int n = 1 + (int) (i % 40);
    float[] pos = new float[3 * n];
    for (int k = 0; k < pos.length; k++) pos[k] = (float) (i * 0.5 + k);
    byte[] z = new byte[n];
    for (int k = 0; k < n; k++) z[k] = (byte) (1 + (i + k) % 90);
    return Molecule.of(pos, z).energy(-1.5 * i).forces(pos.clone());
  }
}
