package org.atomstore.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.atomstore.codec.Compression;
import org.atomstore.format.AtpLayout;
import org.atomstore.format.HeaderSlot;
import org.atomstore.model.Molecule;
import org.atomstore.model.StackedBatch;
import org.atomstore.model.TypeTag;
import org.atomstore.model.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReadWriteTest {
  @TempDir Path tmp;

  private static final int B = 7, N = 5;

  private static StackedBatch stacked(boolean f64) {
    SplittableRandom r = new SplittableRandom(3);
    float[] pos = new float[B * N * 3];
    double[] pos64 = new double[B * N * 3];
    for (int i = 0; i < pos.length; i++) pos64[i] = pos[i] = (float) r.nextDouble(-5, 5);
    byte[] z = new byte[B * N];
    for (int i = 0; i < z.length; i++) z[i] = (byte) (1 + r.nextInt(100));
    double[] e = new double[B];
    for (int i = 0; i < B; i++) e[i] = r.nextDouble(-100, 0);
    float[] f = new float[B * N * 3];
    for (int i = 0; i < f.length; i++) f[i] = (float) r.nextGaussian();
    double[] cell = new double[B * 9];
    for (int i = 0; i < cell.length; i++) cell[i] = r.nextDouble(0, 10);
    boolean[] pbc = new boolean[B * 3];
    for (int i = 0; i < pbc.length; i++) pbc[i] = r.nextBoolean();
    float[] charges = new float[B * N];
    for (int i = 0; i < charges.length; i++) charges[i] = (float) r.nextDouble();
    long[] ids = new long[B];
    for (int i = 0; i < B; i++) ids[i] = r.nextLong();
    double[] eig = new double[B * 4];
    int[] tags = new int[B * N];
    float[] feat = new float[B * N * 2 * 2];
    for (int i = 0; i < feat.length; i++) feat[i] = i;
    String[] names = new String[B];
    for (int i = 0; i < B; i++) names[i] = "mol-" + i;
    StackedBatch b = StackedBatch.of(B, N, f64 ? pos64 : pos, z).energy(e).forces(f).cell(cell).pbc(pbc).names(names)
        .property("id", TypeTag.INT64, ids).property("eig", TypeTag.F64_ARRAY, eig, 4)
        .atomProperty("tag", TypeTag.I32_ARRAY, tags).atomProperty("feat", TypeTag.TENSOR_F32, feat, 2, 2);
    // float64 charges fit record format 2; float64 positions need format 3
    b.charges(f64 ? charges : widen(charges));
    return b;
  }

  private static double[] widen(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) d[i] = f[i] + 0.5;
    return d;
  }

  /** The same molecules as {@link #stacked}, built one by one. */
  private static List<Molecule> molecules(StackedBatch b) {
    List<Molecule> out = new ArrayList<>();
    for (int i = 0; i < B; i++) {
      Molecule m = b.positions() instanceof double[] d
          ? Molecule.of(java.util.Arrays.copyOfRange(d, i * N * 3, (i + 1) * N * 3), java.util.Arrays.copyOfRange(b.atomicNumbers(), i * N, (i + 1) * N))
          : Molecule.of(java.util.Arrays.copyOfRange((float[]) b.positions(), i * N * 3, (i + 1) * N * 3), java.util.Arrays.copyOfRange(b.atomicNumbers(), i * N, (i + 1) * N));
      m.energy(((double[]) b.energy())[i]).forces(java.util.Arrays.copyOfRange((float[]) b.forces(), i * N * 3, (i + 1) * N * 3))
          .cell(java.util.Arrays.copyOfRange((double[]) b.cell(), i * 9, i * 9 + 9))
          .pbc(b.pbc()[3 * i], b.pbc()[3 * i + 1], b.pbc()[3 * i + 2]).name(b.names()[i]);
      m.charges(b.charges() instanceof double[] c ? new Value.Float64Array(java.util.Arrays.copyOfRange(c, i * N, (i + 1) * N))
          : new Value.Float32Array(java.util.Arrays.copyOfRange((float[]) b.charges(), i * N, (i + 1) * N)));
      m.property("id", new Value.Int64(((long[]) b.properties().get("id").data())[i]));
      m.property("eig", new Value.Float64Array(java.util.Arrays.copyOfRange((double[]) b.properties().get("eig").data(), 4 * i, 4 * i + 4)));
      m.atomProperty("tag", new Value.Int32Array(java.util.Arrays.copyOfRange((int[]) b.atomProperties().get("tag").data(), i * N, (i + 1) * N)));
      m.atomProperty("feat", new Value.TensorFloat32(new int[] {N, 2, 2},
          java.util.Arrays.copyOfRange((float[]) b.atomProperties().get("feat").data(), i * N * 4, (i + 1) * N * 4)));
      out.add(m);
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void stackedBatchesWriteTheSameBytesAsMolecules(boolean f64) throws IOException {
    StackedBatch b = stacked(f64);
    Path a = tmp.resolve("stacked.atp"), m = tmp.resolve("molecules.atp");
    try (AtpWriter w = AtpWriter.create(a, Compression.NONE)) {
      w.addBatch(b);
    }
    try (AtpWriter w = AtpWriter.create(m, Compression.NONE)) {
      w.addAll(molecules(b));
    }
    assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(m));
    try (AtpReader r = AtpReader.open(a)) {
      assertThat(r.recordFormat()).isEqualTo(f64 ? 3 : 2);
      assertThat(r.get(3)).isEqualTo(molecules(b).get(3));
    }
  }

  @Test
  void flatBatchesAndProjectionsMatchWholeMolecules() throws IOException {
    StackedBatch b = stacked(false);
    Path p = tmp.resolve("flat.atp");
    try (AtpWriter w = AtpWriter.create(p, Compression.zstd(1))) {
      w.addBatch(b);
    }
    List<Molecule> mols = molecules(b);
    try (AtpReader r = AtpReader.open(p)) {
      long[] idx = {5, 0, 3};
      FlatBatch f = r.readBatch(idx, FieldSet.of("positions", "atomic_numbers", "energy", "forces", "cell", "pbc", "eig", "tag"), true);
      assertThat(f.atomOffsets()).containsExactly(0, N, 2 * N, 3 * N);
      assertThat(f.batchVector()).startsWith(0, 0, 0, 0, 0, 1).endsWith(2);
      for (int k = 0; k < idx.length; k++) {
        Molecule m = mols.get((int) idx[k]);
        assertThat(java.util.Arrays.copyOfRange(f.positionsF64(), k * N * 3, (k + 1) * N * 3)).containsExactly(m.positionsAsDouble());
        assertThat(f.energy()[k]).isEqualTo(m.energyAsDouble());
        assertThat(f.atomicNumbers()[k * N]).isEqualTo(m.atomicNumber(0));
        assertThat(((double[]) f.cell())[9 * k + 4]).isEqualTo(((Value.Mat3Float64) m.cell()).values()[4]);
        assertThat(f.pbc()[3 * k + 1]).isEqualTo(m.pbc().b());
        assertThat(java.util.Arrays.copyOfRange((double[]) f.custom("eig").data(), 4 * k, 4 * k + 4))
            .containsExactly(((Value.Float64Array) m.properties().get("eig")).values());
      }
      assertThat(f.custom("tag").perAtom()).isTrue();
      FlatBatch named = r.readBatch(idx, FieldSet.of("name", "charges"), false);
      assertThat(named.custom("name").perAtom()).isFalse();
      assertThat((String[]) named.custom("name").data()).containsExactly("mol-5", "mol-0", "mol-3");
      assertThat(named.custom("charges").perAtom()).isTrue();
      assertThat(named.custom("charges").offsets()).containsExactly(0, N, 2 * N, 3 * N);
      assertThat(f.custom("feat")).isNull();
      assertThat(f.stress()).isNull();
      FlatBatch f32 = r.readBatch(idx, FieldSet.of("positions", "forces"), false);
      assertThat(f32.positionsF32()).hasSize(3 * N * 3);
      assertThat(f32.atomicNumbers()).isNull();

      Molecule e = r.get(2, FieldSet.of("energy"));
      assertThat(e.energyAsDouble()).isEqualTo(mols.get(2).energyAsDouble());
      assertThat(e.positions()).isNull();
      assertThat(e.atomicNumbers()).isNull();
      assertThat(e.forces()).isNull();
      assertThat(e.properties()).isEmpty();
      assertThat(e.atomCount()).isEqualTo(N);
      Molecule custom = r.get(2, FieldSet.of("id"));
      assertThat(custom.properties()).containsOnlyKeys("id");
    }
  }

  @Test
  void recordsAreReadWhereTheIndexSaysEvenWhenTheirSizeIsGuessedWrong() throws IOException {
    // Records of 4, 2, 6 and 4 atoms: the first and last index entries look like four records of one size laid
    // end to end, so the reader guesses a stride, which is wrong for the two in the middle.
    int[] atoms = {4, 2, 6, 4};
    List<Molecule> written = new ArrayList<>();
    SplittableRandom r = new SplittableRandom(11);
    for (int n : atoms) {
      float[] pos = new float[3 * n];
      byte[] z = new byte[n];
      for (int k = 0; k < pos.length; k++) pos[k] = (float) r.nextDouble(-5, 5);
      for (int k = 0; k < n; k++) z[k] = (byte) (1 + r.nextInt(90));
      written.add(Molecule.of(pos, z));
    }
    Path f = tmp.resolve("guess.atp");
    try (AtpWriter w = AtpWriter.create(f, Compression.NONE)) {
      w.addAll(written);
    }
    Path uneven = tmp.resolve("uneven.atp");
    try (AtpWriter w = AtpWriter.create(uneven, Compression.NONE)) {
      w.addAll(written.subList(0, 3));
    }
    try (AtpReader reader = AtpReader.open(f); AtpReader other = AtpReader.open(uneven)) {
      assertThat(reader.strideGuess()).isEqualTo(reader.indexEntry(0).compressedSize());
      assertThat(other.strideGuess()).isZero();
      for (long i : new long[] {2, 0, 3, 1, 1, 2}) {
        Molecule m = reader.get(i);
        assertThat(m.positionsAsFloat()).containsExactly(written.get((int) i).positionsAsFloat());
        assertThat(m.atomicNumbers()).containsExactly(written.get((int) i).atomicNumbers());
      }
    }
  }

  @Test
  void readersAreSharedByManyThreads() throws Exception {
    Path p = tmp.resolve("threads.atp");
    List<Molecule> expected = new ArrayList<>();
    try (AtpWriter w = AtpWriter.create(p, Compression.LZ4)) {
      for (int i = 0; i < 2000; i++) {
        Molecule m = CrashWriter.molecule(i);
        expected.add(m);
        w.add(m);
      }
    }
    try (AtpReader r = AtpReader.open(p); ExecutorService pool = Executors.newFixedThreadPool(4)) {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        long seed = t;
        results.add(pool.submit(() -> {
          SplittableRandom rnd = new SplittableRandom(seed);
          for (int k = 0; k < 3000; k++) {
            int i = rnd.nextInt(2000);
            if (!r.get(i).equals(expected.get(i))) return i;
          }
          return -1;
        }));
      }
      for (Future<Integer> f : results) assertThat(f.get()).isEqualTo(-1);
      long[] all = new long[2000];
      for (int i = 0; i < all.length; i++) all[i] = all.length - 1 - i;
      List<Molecule> parallel = r.get(all);
      for (int i = 0; i < all.length; i++) assertThat(parallel.get(i)).isEqualTo(expected.get((int) all[i]));
    }
  }

  @Test
  void aReaderSeesOnlyWhatWasCommittedWhenItOpened() throws IOException {
    Path p = tmp.resolve("live.atp");
    try (AtpWriter w = AtpWriter.create(p, Compression.NONE)) {
      for (int i = 0; i < 10; i++) w.add(CrashWriter.molecule(i));
      w.flush();
      try (AtpReader before = AtpReader.open(p)) {
        for (int i = 10; i < 30; i++) w.add(CrashWriter.molecule(i));
        try (AtpReader during = AtpReader.open(p)) {
          assertThat(during.size()).isEqualTo(10);
        }
        w.flush();
        assertThat(before.size()).isEqualTo(10);
        assertThat(before.get(9)).isEqualTo(CrashWriter.molecule(9));
        try (AtpReader after = AtpReader.open(p)) {
          assertThat(after.size()).isEqualTo(30);
          assertThat(after.get(29)).isEqualTo(CrashWriter.molecule(29));
        }
      }
    }
  }

  @Test
  void closeIsIdempotentAndUseAfterCloseFails() throws IOException {
    Path p = tmp.resolve("close.atp");
    AtpWriter w = AtpWriter.create(p, Compression.NONE);
    w.add(CrashWriter.molecule(1));
    w.close();
    w.close();
    assertThatThrownBy(() -> w.add(CrashWriter.molecule(2))).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    AtpReader r = AtpReader.open(p);
    assertThat(r.size()).isEqualTo(1); // close() committed the molecule
    r.close();
    r.close();
    assertThatThrownBy(() -> r.get(0)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  void rejectsMoleculesTheFileCannotHold() throws IOException {
    Path p = tmp.resolve("mismatch.atp");
    try (AtpWriter w = AtpWriter.create(p, Compression.NONE)) {
      w.add(Molecule.of(new float[] {0, 0, 0}, Molecule.atomicNumbers(1)).property("spectrum", new Value.Float64Array(new double[] {1, 2})));
      assertThatThrownBy(() -> w.add(Molecule.of(new float[] {0, 0, 0}, Molecule.atomicNumbers(1))
          .property("spectrum", new Value.Float64Array(new double[] {3})))).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("schema mismatch for section 'spectrum'");
      assertThatThrownBy(() -> w.add(Molecule.of(new double[] {0, 0, 0}, Molecule.atomicNumbers(1))))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("record format 2 does not support float64 positions");
      w.add(Molecule.of(new float[] {1, 1, 1}, Molecule.atomicNumbers(6)));
    }
    try (AtpReader r = AtpReader.open(p)) {
      assertThat(r.size()).isEqualTo(2); // rejected molecules left no trace
      assertThat(r.verify(5)).isEmpty();
    }
  }

  @Test
  void readsMoleculesStoredBeyondTwoGibibytes() throws IOException {
    Path small = tmp.resolve("small.atp");
    try (AtpWriter w = AtpWriter.create(small, Compression.NONE)) {
      for (int i = 0; i < 3; i++) w.add(CrashWriter.molecule(i));
    }
    // the same records placed after a 3 GiB hole (a sparse file: no real disk use)
    Path big = tmp.resolve("big.atp");
    long shift = 3L << 30;
    try (AtpReader r = AtpReader.open(small); FileChannel ch = FileChannel.open(big, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      HeaderSlot s = r.header().slot();
      byte[] all = Files.readAllBytes(small);
      long recordsEnd = s.schemaOffset();
      ch.write(ByteBuffer.wrap(all, 8192, (int) (recordsEnd - 8192)), 8192 + shift);
      ch.write(ByteBuffer.wrap(all, (int) s.schemaOffset(), (int) s.schemaLen()), s.schemaOffset() + shift);
      ByteBuffer index = ByteBuffer.wrap(all, (int) s.indexOffset(), (int) s.indexLen()).slice().order(java.nio.ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < 3; i++) {
        int at = AtpLayout.INDEX_PREFIX_SIZE + i * AtpLayout.INDEX_ENTRY_SIZE;
        index.putLong(at, index.getLong(at) + shift);
      }
      ch.write(index, s.indexOffset() + shift);
      HeaderSlot moved = new HeaderSlot(1, 8192, s.indexOffset() + shift, s.indexLen(), 3, s.compressionType(), s.compressionLevel(),
          s.recordFormat(), s.schemaOffset() + shift, s.schemaLen());
      ch.write(ByteBuffer.wrap(HeaderSlot.empty(Compression.NONE, 2).encode()), 0);
      ch.write(ByteBuffer.wrap(moved.encode()), 4096);
    }
    assertThat(Files.size(big)).isGreaterThan(shift);
    try (AtpReader r = AtpReader.open(big)) {
      assertThat(r.indexEntry(2).offset()).isGreaterThan(Integer.MAX_VALUE);
      for (int i = 0; i < 3; i++) assertThat(r.get(i)).isEqualTo(CrashWriter.molecule(i));
      assertThat(r.verify(5)).isEmpty();
    }
  }
}
