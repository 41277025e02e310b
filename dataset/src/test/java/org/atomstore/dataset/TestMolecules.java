package org.atomstore.dataset;

import java.io.IOException;
import java.nio.file.Path;
import org.atomstore.codec.Compression;
import org.atomstore.model.Molecule;
import org.atomstore.store.AtpWriter;

/** Molecules that say which one they are: molecule {@code i} has {@code i % 5 + 1} atoms and energy {@code i}. */
final class TestMolecules {
  private TestMolecules() {}

  static Molecule molecule(long i) {
    int n = (int) (i % 5) + 1;
    float[] pos = new float[3 * n];
    float[] forces = new float[3 * n];
    byte[] z = new byte[n];
    for (int a = 0; a < n; a++) {
      z[a] = (byte) (1 + (i + a) % 90);
      for (int d = 0; d < 3; d++) {
        pos[3 * a + d] = i + a * 0.25f + d * 0.01f;
        forces[3 * a + d] = -pos[3 * a + d];
      }
    }
    return Molecule.of(pos, z).energy((double) i).forces(forces).cell(new double[] {i, 0, 0, 0, 1, 0, 0, 0, 1})
        .pbc(true, i % 2 == 0, false);
  }

  /** Writes molecules {@code [from, to)} to one file. */
  static void writeFile(Path file, long from, long to, Compression c) throws IOException {
    try (AtpWriter w = AtpWriter.create(file, c)) {
      for (long i = from; i < to; i++) w.add(molecule(i));
    }
  }

  /** A dataset of {@code n} molecules written through the sharded writer. */
  static Manifest writeDataset(Path dir, long n, long perShard, Compression c) throws IOException {
    try (var w = ShardedWriter.builder(dir).compression(c).maxShardMolecules(perShard).open()) {
      for (long i = 0; i < n; i++) w.add(molecule(i));
      return w.finish();
    }
  }
}
