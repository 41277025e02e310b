package org.atomstore.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.atomstore.codec.Compression;
import org.atomstore.model.Molecule;
import org.atomstore.model.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link FlatBatch#of} gives the arrays {@link AtpReader#readBatch} gives for the same molecules. */
class FlatBatchOfMoleculesTest {

  private static final List<FieldSet> FIELD_SETS = List.of(
      FieldSet.ALL,
      FieldSet.of("positions", "atomic_numbers", "energy", "forces", "cell", "stress", "pbc"),
      FieldSet.of("energy", "charges", "name"),
      FieldSet.of("positions", "velocities"));

  @Test
  void equalsTheReadersBatchOnEveryGoldenFile() throws Exception {
    int checked = 0;
    for (Path p : Golden.atpFiles()) {
      if (Golden.dump(p).has("open_error")) continue; // files the reference refuses to open
      try (AtpReader r = AtpReader.open(p)) {
        if (r.size() == 0) continue;
        long[] idx = new long[(int) Math.min(r.size(), 40)];
        for (int k = 0; k < idx.length; k++) idx[k] = (idx.length - 1 - k) * (r.size() / idx.length); // reversed, spread
        List<FieldSet> sets = new ArrayList<>(FIELD_SETS);
        r.fileSchema().ifPresent(s -> s.fields().stream().filter(f -> f.kind() != FileSchema.KIND_BUILTIN)
            .findFirst().ifPresent(f -> sets.add(FieldSet.of("positions", f.key()))));
        for (FieldSet fs : sets) {
          for (boolean f64 : new boolean[] {false, true}) {
            FlatBatch expected;
            List<Molecule> rows;
            try {
              expected = r.readBatch(idx, fs, f64);
              rows = r.get(idx, fs);
            } catch (CorruptFileException e) {
              continue; // records the reader refuses are not this test's subject
            }
            FlatBatch actual = FlatBatch.of(rows, idx, fs, f64);
            assertSameBatch(actual, expected, p + " " + fs + " f64=" + f64);
            checked++;
          }
        }
      }
    }
    assertThat(checked).isGreaterThan(100);
  }

  @Test
  void equalsTheReaderForMoleculesWithEveryKindOfField(@TempDir Path dir) throws Exception {
    List<Molecule> ms = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      int n = 1 + i % 3;
      float[] pos = new float[3 * n];
      for (int j = 0; j < pos.length; j++) pos[j] = i + j * 0.25f;
      Molecule m = Molecule.of(pos, new byte[n]).energy(-i).forces(pos.clone()).pbc(true, i % 2 == 0, false)
          .name("m" + i).charges(new Value.Float64Array(new double[n]))
          .atomProperty("tags", new Value.Int64Array(new long[n]))
          .property("virial", new Value.Mat3Float64(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}))
          .property("label", new Value.Text("x" + i));
      if (i % 2 == 0) m.cell(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}).stress(new Value.Mat3Float32(new float[9]));
      ms.add(m);
    }
    Path f = dir.resolve("m.atp");
    try (AtpWriter w = AtpWriter.create(f, Compression.NONE)) {
      for (Molecule m : ms) w.add(m);
      w.flush();
    }
    long[] idx = {6, 0, 3, 3, 1};
    List<Molecule> picked = Arrays.stream(idx).mapToObj(i -> ms.get((int) i)).toList();
    try (AtpReader r = AtpReader.open(f)) {
      for (FieldSet fs : FIELD_SETS) {
        for (boolean f64 : new boolean[] {false, true}) {
          assertSameBatch(FlatBatch.of(picked, idx, fs, f64), r.readBatch(idx, fs, f64), fs + " f64=" + f64);
        }
      }
    }
  }

  @Test
  void refusesAPlaceholder() {
    List<Molecule> rows = new ArrayList<>();
    rows.add(null);
    assertThatThrownBy(() -> FlatBatch.of(rows, new long[] {5}, FieldSet.ALL, false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 5");
  }

  static void assertSameBatch(FlatBatch a, FlatBatch e, String what) {
    assertThat(a.indices()).as(what).isEqualTo(e.indices());
    assertThat(a.atomOffsets()).as(what).isEqualTo(e.atomOffsets());
    assertThat(a.isFloat64()).as(what).isEqualTo(e.isFloat64());
    assertThat(a.positions()).as(what + " positions").isEqualTo(e.positions());
    assertThat(a.atomicNumbers()).as(what + " numbers").isEqualTo(e.atomicNumbers());
    assertThat(a.energy()).as(what + " energy").isEqualTo(e.energy());
    assertThat(a.forces()).as(what + " forces").isEqualTo(e.forces());
    assertThat(a.cell()).as(what + " cell").isEqualTo(e.cell());
    assertThat(a.stress()).as(what + " stress").isEqualTo(e.stress());
    assertThat(a.pbc()).as(what + " pbc").isEqualTo(e.pbc());
    for (String k : List.of("energy", "forces", "cell", "stress", "pbc")) assertThat(a.has(k)).as(what + " has " + k).isEqualTo(e.has(k));
    assertThat(a.customColumns().keySet()).as(what + " custom keys").containsExactlyElementsOf(e.customColumns().keySet());
    for (Map.Entry<String, FlatBatch.Column> c : e.customColumns().entrySet()) {
      FlatBatch.Column x = a.custom(c.getKey());
      assertThat(x.perAtom()).as(what + " " + c.getKey()).isEqualTo(c.getValue().perAtom());
      assertThat(x.offsets()).as(what + " " + c.getKey()).isEqualTo(c.getValue().offsets());
      assertThat(x.data()).as(what + " " + c.getKey()).isEqualTo(c.getValue().data());
    }
  }
}
