package org.atomstore.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.atomstore.codec.Compression;
import org.atomstore.store.internal.AtpWriters;
import org.atomstore.format.RecordEncoder;
import org.atomstore.format.v2.RecordFormatV2;
import org.atomstore.model.BuiltinField;
import org.atomstore.model.Molecule;
import org.atomstore.model.StackedBatch;
import org.atomstore.model.TypeTag;
import org.atomstore.store.internal.EncodedRecord;
import org.atomstore.store.internal.RecordPacker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every way of writing (one molecule at a time, lists, stacked batches, packed records, parallel compression)
 * goes through one encoder and one record-format choice: the same molecules give the same bytes and the same
 * record format whichever way they are written.
 */
class WriterConsistencyTest {
  @TempDir Path tmp;

  /** A batch with every builtin and every stackable custom type; {@code flip} stores that field with its other float width. */
  static StackedBatch batch(int b, int n, BuiltinField flip, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    byte[] z = new byte[b * n];
    for (int i = 0; i < z.length; i++) z[i] = (byte) (1 + r.nextInt(100));
    boolean[] pbc = new boolean[3 * b];
    for (int i = 0; i < pbc.length; i++) pbc[i] = r.nextBoolean();
    String[] names = new String[b];
    for (int i = 0; i < b; i++) names[i] = i % 3 == 1 ? null : "m" + i;
    StackedBatch s = StackedBatch.of(b, n, floats(r, 3 * b * n, flip == BuiltinField.POSITIONS), z)
        .energy(floats(r, b, flip != BuiltinField.ENERGY))
        .forces(floats(r, 3 * b * n, flip == BuiltinField.FORCES))
        .velocities(floats(r, 3 * b * n, flip == BuiltinField.VELOCITIES))
        .charges(floats(r, b * n, flip != BuiltinField.CHARGES))
        .cell(floats(r, 9 * b, flip != BuiltinField.CELL))
        .stress(floats(r, 9 * b, flip != BuiltinField.STRESS))
        .pbc(pbc).names(names);
    s.property("f64", TypeTag.FLOAT64, floats(r, b, true));
    s.property("f32", TypeTag.FLOAT32, floats(r, b, false));
    s.property("i64", TypeTag.INT64, r.longs(b).toArray());
    s.property("f64_array", TypeTag.F64_ARRAY, floats(r, 4 * b, true), 4);
    s.property("i32_array", TypeTag.I32_ARRAY, r.ints(2 * b).toArray(), 2);
    s.property("vec3", TypeTag.VEC3_F32, floats(r, 6 * b, false), 2, 3);
    s.property("virial", TypeTag.MAT3_F64, floats(r, 9 * b, true), 3, 3);
    s.property("m3_f32", TypeTag.MAT3_F32, floats(r, 9 * b, false), 3, 3);
    s.property("tensor", TypeTag.TENSOR_I64, r.longs(2 * b).toArray(), 1, 2);
    s.atomProperty("a_f32", TypeTag.F32_ARRAY, floats(r, b * n, false));
    s.atomProperty("a_i64", TypeTag.I64_ARRAY, r.longs(b * n).toArray());
    s.atomProperty("a_vec3", TypeTag.VEC3_F64, floats(r, 3 * b * n, true), 3);
    s.atomProperty("a_tensor", TypeTag.TENSOR_F32, floats(r, 2 * b * n, false), 2);
    return s;
  }

  private static Object floats(SplittableRandom r, int n, boolean f64) {
    double[] d = r.doubles(n, -5, 5).toArray();
    if (f64) return d;
    float[] f = new float[n];
    for (int i = 0; i < n; i++) f[i] = (float) d[i];
    return f;
  }

  enum Producer { ADD, ADD_ALL, ADD_BATCH, ADD_ENCODED }

  private Path write(String name, Compression c, StackedBatch b, Producer p) throws IOException {
    Path out = tmp.resolve(name);
    List<Molecule> mols = new ArrayList<>();
    for (int i = 0; i < b.batchSize(); i++) mols.add(b.molecule(i));
    try (AtpWriter w = AtpWriter.create(out, c)) {
      switch (p) {
        case ADD -> { for (Molecule m : mols) w.add(m); }
        case ADD_ALL -> w.addAll(mols);
        case ADD_BATCH -> w.addBatch(b);
        case ADD_ENCODED -> {
          List<EncodedRecord> recs = new ArrayList<>();
          try (RecordPacker packer = new RecordPacker(c)) {
            for (int i = 0; i < b.batchSize(); i++) recs.add(i % 2 == 0 ? packer.pack(mols.get(i)) : packer.pack(b, i));
          }
          AtpWriters.addEncoded(w, recs);
        }
      }
    }
    return out;
  }

  static List<BuiltinField> flips() {
    List<BuiltinField> out = new ArrayList<>();
    out.add(null);
    for (BuiltinField f : BuiltinField.values()) if (f.tag(true) != f.tag(false)) out.add(f);
    return out;
  }

  @Test
  void everyProducerWritesTheSameBytesAndChoosesTheSameRecordFormat() throws IOException {
    for (BuiltinField flip : flips()) {
      StackedBatch b = batch(5, 3, flip, 7);
      byte[] expected = null;
      for (Producer p : Producer.values()) {
        Path f = write(flip + "-" + p + ".atp", Compression.NONE, b, p);
        try (AtpReader r = AtpReader.open(f)) {
          assertThat(r.recordFormat()).as("%s %s", flip, p).isEqualTo(flip == null ? 2 : 3);
          Molecule back = r.get(4), in = b.molecule(4);
          assertThat(back.positions()).isEqualTo(in.positions());
          assertThat(back.builtins()).as("%s %s", flip, p).isEqualTo(in.builtins());
          assertThat(back.atomProperties()).isEqualTo(in.atomProperties());
        }
        byte[] bytes = Files.readAllBytes(f);
        if (expected == null) expected = bytes;
        else assertThat(bytes).as("%s %s", flip, p).isEqualTo(expected);
      }
    }
  }

  @Test
  void longCompressedBatchesEncodedInParallelGiveTheSequentialBytes() throws IOException {
    for (BuiltinField flip : new BuiltinField[] {null, BuiltinField.POSITIONS, BuiltinField.ENERGY}) {
      StackedBatch b = batch(300, 4, flip, 9); // 256 records or more are packed on all cores
      byte[] one = Files.readAllBytes(write("one.atp", Compression.zstd(3), b, Producer.ADD));
      assertThat(Files.readAllBytes(write("all.atp", Compression.zstd(3), b, Producer.ADD_ALL))).isEqualTo(one);
      assertThat(Files.readAllBytes(write("batch.atp", Compression.zstd(3), b, Producer.ADD_BATCH))).isEqualTo(one);
    }
  }

  @Test
  void theLowestFormatAskedWithoutEncodingAgreesWithTheEncoder() {
    RecordEncoder enc = new RecordEncoder();
    for (BuiltinField flip : flips()) {
      StackedBatch b = batch(3, 2, flip, 3);
      for (int i = 0; i < b.batchSize(); i++) {
        Molecule m = b.molecule(i);
        enc.encode(m);
        int lowest = enc.lowestFormat();
        assertThat(RecordEncoder.lowestFormat(m)).as("%s", flip).isEqualTo(lowest);
        assertThat(RecordFormatV2.INSTANCE.problem(enc.positionsType(), enc.entries()) == null).isEqualTo(lowest == 2);
        byte[] fromMolecule = enc.toByteArray();
        enc.encode(b, i);
        assertThat(enc.lowestFormat()).isEqualTo(lowest);
        assertThat(enc.toByteArray()).as("row %d of %s", i, flip).isEqualTo(fromMolecule);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Producer.class)
  void aFormat2FileRefusesFormat3RecordsWhateverTheProducer(Producer p) throws IOException {
    Path f = tmp.resolve("v2.atp");
    try (AtpWriter w = AtpWriter.create(f, Compression.NONE)) {
      w.addBatch(batch(2, 3, null, 1));
      w.flush();
      StackedBatch v3 = batch(2, 3, BuiltinField.ENERGY, 2);
      assertThatThrownBy(() -> {
        switch (p) {
          case ADD -> w.add(v3.molecule(0));
          case ADD_ALL -> w.addAll(List.of(v3.molecule(0), v3.molecule(1)));
          case ADD_BATCH -> w.addBatch(v3);
          case ADD_ENCODED -> {
            try (RecordPacker packer = new RecordPacker(Compression.NONE)) {
              AtpWriters.addEncoded(w, List.of(packer.pack(v3, 0)));
            }
          }
        }
      }).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("record format 2 does not support float32 energy");
      assertThat(w.size()).isEqualTo(2);
    }
    try (AtpReader r = AtpReader.open(f)) {
      assertThat(r.size()).isEqualTo(2);
      assertThat(r.recordFormat()).isEqualTo(2);
    }
  }
}
