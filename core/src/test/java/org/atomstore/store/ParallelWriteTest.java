package org.atomstore.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.atomstore.codec.Compression;
import org.atomstore.model.Molecule;
import org.atomstore.model.StackedBatch;
import org.atomstore.model.Value;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Compressed batches are encoded on all cores; the file must not change, nor the partial-add semantics. */
class ParallelWriteTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"zstd:3", "lz4", "zstd:-5"})
  void parallelAddAllWritesTheSameBytesAsAddingOneByOne(String compression) throws IOException {
    List<Molecule> mols = new ArrayList<>();
    for (int i = 0; i < 1500; i++) mols.add(CrashWriter.molecule(i).property("id", new Value.Int64(i)));
    Path one = tmp.resolve("one.atp"), all = tmp.resolve("all.atp");
    try (AtpWriter w = AtpWriter.create(one, Compression.parse(compression))) {
      for (Molecule m : mols) w.add(m);
    }
    try (AtpWriter w = AtpWriter.create(all, Compression.parse(compression))) {
      w.addAll(mols);
    }
    assertThat(Files.readAllBytes(all)).isEqualTo(Files.readAllBytes(one));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void parallelAddBatchWritesTheSameBytesAsAddingRows(boolean f64) throws IOException {
    int b = 700, n = 6;
    float[] pos = new float[b * n * 3];
    double[] pos64 = new double[b * n * 3];
    for (int i = 0; i < pos.length; i++) pos64[i] = pos[i] = (float) Math.sin(i);
    byte[] z = new byte[b * n];
    for (int i = 0; i < z.length; i++) z[i] = (byte) (1 + i % 50);
    double[] e = new double[b];
    for (int i = 0; i < b; i++) e[i] = -i * 0.5;
    StackedBatch batch = StackedBatch.of(b, n, f64 ? pos64 : pos, z).energy(e).forces(pos.clone());
    Path rows = tmp.resolve("rows.atp"), stacked = tmp.resolve("stacked.atp");
    try (AtpWriter w = AtpWriter.create(rows, Compression.zstd(1))) {
      for (int i = 0; i < b; i++) {
        byte[] zi = java.util.Arrays.copyOfRange(z, i * n, (i + 1) * n);
        Molecule m = f64 ? Molecule.of(java.util.Arrays.copyOfRange(pos64, i * n * 3, (i + 1) * n * 3), zi)
            : Molecule.of(java.util.Arrays.copyOfRange(pos, i * n * 3, (i + 1) * n * 3), zi);
        w.add(m.energy(e[i]).forces(java.util.Arrays.copyOfRange(pos, i * n * 3, (i + 1) * n * 3)));
      }
    }
    try (AtpWriter w = AtpWriter.create(stacked, Compression.zstd(1))) {
      w.addBatch(batch);
    }
    assertThat(Files.readAllBytes(stacked)).isEqualTo(Files.readAllBytes(rows));
  }

  @ParameterizedTest
  @ValueSource(strings = {"none", "zstd:3"})
  void aBadMoleculeFailsTheCallAfterTheOnesBeforeItWereAdded(String compression) throws IOException {
    List<Molecule> mols = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      int len = i == 321 ? 3 : 2; // molecule 321 breaks the fixed length the schema locked for "spectrum"
      mols.add(CrashWriter.molecule(i).property("spectrum", new Value.Float64Array(new double[len])));
    }
    Path p = tmp.resolve("bad.atp");
    try (AtpWriter w = AtpWriter.create(p, Compression.parse(compression))) {
      assertThatThrownBy(() -> w.addAll(mols)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("spectrum");
      assertThat(w.size()).isEqualTo(321);
      w.add(CrashWriter.molecule(999).property("spectrum", new Value.Float64Array(new double[2])));
    }
    try (AtpReader r = AtpReader.open(p)) {
      assertThat(r.size()).isEqualTo(322);
      assertThat(r.get(320)).isEqualTo(mols.get(320));
      assertThat(r.verify(5)).isEmpty();
    }
  }
}
