package org.atomstore.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.atomstore.io.mapping.AseMapping;
import org.atomstore.loader.BatchSource;
import org.atomstore.loader.TableSource;
import org.atomstore.model.Molecule;
import org.atomstore.model.Value;
import org.atomstore.store.FieldSet;
import org.atomstore.store.FlatBatch;
import org.atomstore.table.Table;
import org.atomstore.table.TableSchema;
import org.atomstore.table.Tables;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The abstract suite every {@link Table} implementation runs (Lucene's {@code Base*TestCase}): a subclass says how
 * to make a table holding given molecules, and what those molecules read back as in its tier. Other backends (LMDB,
 * aselmdb, ASE db, Redis, remote) add a subclass.
 */
public abstract class TableContract {
  @TempDir protected Path dir;

  /** A table holding {@code molecules} in this order; the test closes it. */
  protected abstract Table create(List<Molecule> molecules, Path dir) throws IOException;

  /**
   * The address {@link Tables#open} opens the last table {@link #create} made at, or null when the backend has
   * none.
   */
  protected String address() { return null; }

  /**
   * What {@code m} reads back as from this backend: itself for {@code .atp} tables; molecules stored as ASE
   * structures come back through Atompack's ASE mapping (float64 positions, forces and so on).
   */
  protected Molecule expected(Molecule m) { return m; }

  /** Through Atompack's ASE mapping and back, as a backend holding ASE structures gives molecules. */
  protected static Molecule viaAse(Molecule m) {
    return AseMapping.toMolecule(AseMapping.fromMolecule(m), AseMapping.Precision.FLOAT64).molecule();
  }

  protected List<Molecule> molecules;

  @BeforeEach
  void sample() {
    molecules = sampleMolecules(23);
  }

  /** Molecules of 1-5 atoms with energy, forces, cell, pbc, stress (some), a name and custom properties. */
  public static List<Molecule> sampleMolecules(int count) {
    List<Molecule> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int n = 1 + i % 5;
      double[] pos = new double[3 * n];
      double[] f = new double[3 * n];
      byte[] z = new byte[n];
      for (int j = 0; j < pos.length; j++) {
        pos[j] = i * 0.5 + j * 0.125;
        f[j] = -j * 0.25;
      }
      for (int a = 0; a < n; a++) z[a] = (byte) (1 + (i + a) % 8);
      Molecule m = Molecule.of(pos, z).energy(-1.5 * i).forces(new Value.Vec3Float64(f)).pbc(i % 2 == 0, true, false)
          .name("mol" + i)
          .property("config_id", new Value.Int64(i))
          .atomProperty("tags", new Value.Int32Array(new int[n])); // extended XYZ reads an I column as int32
      m.cell(new double[] {10 + i, 0, 0, 0, 11, 0, 0, 0, 12});
      if (i % 3 == 0) m.stress(new Value.Mat3Float64(new double[] {1, 0.5, 0.25, 0.5, 2, 0.125, 0.25, 0.125, 3}));
      out.add(m);
    }
    return out;
  }

  private List<Molecule> expectedAll() {
    return molecules.stream().map(this::expected).toList();
  }

  @Test
  void hasTheRowsItWasGivenInOrder() throws IOException {
    try (Table t = create(molecules, dir)) {
      assertThat(t.size()).isEqualTo(molecules.size());
      for (int i = 0; i < molecules.size(); i++) assertThat(t.get(i)).as("row %d", i).isEqualTo(expected(molecules.get(i)));
    }
  }

  @Test
  void readsManyRowsInTheOrderAsked() throws IOException {
    try (Table t = create(molecules, dir)) {
      long[] idx = {22, 0, 5, 5, 13};
      List<Molecule> got = t.get(idx, FieldSet.ALL);
      for (int k = 0; k < idx.length; k++) assertThat(got.get(k)).isEqualTo(expected(molecules.get((int) idx[k])));
    }
  }

  @Test
  void projectionKeepsTheFieldsAsked() throws IOException {
    try (Table t = create(molecules, dir)) {
      Molecule m = t.get(7, FieldSet.of("energy"));
      assertThat(m.energyAsDouble()).isEqualTo(expected(molecules.get(7)).energyAsDouble());
    }
  }

  @Test
  void batchEqualsTheBatchOfItsMolecules() throws IOException {
    try (Table t = create(molecules, dir)) {
      long[] idx = {3, 9, 0, 21, 9};
      List<Molecule> exp = new ArrayList<>();
      for (long i : idx) exp.add(expected(molecules.get((int) i)));
      for (FieldSet fs : List.of(FieldSet.ALL, FieldSet.of("positions", "atomic_numbers", "energy", "forces", "cell", "stress", "pbc"))) {
        for (boolean f64 : new boolean[] {false, true}) {
          FlatBatch b = t.readBatch(idx, fs, f64);
          FlatBatch e = FlatBatch.of(exp, idx, fs, f64);
          assertThat(b.atomOffsets()).isEqualTo(e.atomOffsets());
          assertThat(b.positions()).isEqualTo(e.positions());
          assertThat(b.atomicNumbers()).isEqualTo(e.atomicNumbers());
          assertThat(b.energy()).isEqualTo(e.energy());
          assertThat(b.forces()).isEqualTo(e.forces());
          assertThat(b.cell()).isEqualTo(e.cell());
          assertThat(b.stress()).isEqualTo(e.stress());
          assertThat(b.pbc()).isEqualTo(e.pbc());
          assertThat(b.has("stress")).isEqualTo(e.has("stress"));
        }
      }
    }
  }

  @Test
  void schemaDescribesPositionsEnergyAndForces() throws IOException {
    try (Table t = create(molecules, dir)) {
      TableSchema s = t.schema();
      assertThat(s.field("positions")).hasValueSatisfying(f -> {
        assertThat(f.perAtom()).isTrue();
        assertThat(f.shape()).containsExactly(TableSchema.ATOMS, 3);
      });
      assertThat(s.field("energy")).hasValueSatisfying(f -> {
        assertThat(f.perAtom()).isFalse();
        assertThat(f.dtype()).isIn("<f8", "<f4");
        assertThat(f.isBuiltin()).isTrue();
      });
      assertThat(s.field("forces")).hasValueSatisfying(f -> assertThat(f.shape()).containsExactly(TableSchema.ATOMS, 3));
    }
  }

  @Test
  void theObjectTierGivesTheEnergyColumn() throws IOException {
    try (Table t = create(molecules, dir)) {
      ObjectTable rows = Tiers.rows(t);
      RowView v = RowView.of(rows);
      double[] e = (double[]) v.column("calc.energy").values();
      assertThat(e).hasSize(molecules.size());
      for (int i = 0; i < e.length; i++) assertThat(e[i]).isEqualTo(expected(molecules.get(i)).energyAsDouble());
      Map<String, Object> r = v.get(4, List.of("calc.energy", "info.config_id"));
      assertThat(r).containsOnlyKeys("calc.energy", "info.config_id");
    }
  }

  @Test
  void theLoaderReadsIt() throws IOException {
    try (Table t = create(molecules, dir)) {
      BatchSource<FlatBatch> src = TableSource.training(t);
      assertThat(src.size()).isEqualTo(molecules.size());
      FlatBatch b = src.read(new long[] {1, 2});
      assertThat(b.energy()).containsExactly(expected(molecules.get(1)).energyAsDouble(), expected(molecules.get(2)).energyAsDouble());
    }
  }

  @Test
  void refusesAnIndexOutOfRange() throws IOException {
    try (Table t = create(molecules, dir)) {
      assertThatThrownBy(() -> t.get(molecules.size())).isInstanceOfAny(IndexOutOfBoundsException.class, IllegalArgumentException.class);
      assertThatThrownBy(() -> t.get(-1)).isInstanceOfAny(IndexOutOfBoundsException.class, IllegalArgumentException.class);
    }
  }

  @Test
  void opensByAddressThroughTheRegistry() throws IOException {
    create(molecules, dir).close();
    String address = address();
    if (address == null) return;
    try (Table t = Tables.open(address)) {
      assertThat(t.size()).isEqualTo(molecules.size());
      assertThat(t.get(11)).isEqualTo(expected(molecules.get(11)));
    }
  }

  @Test
  void closesTwice() throws IOException {
    Table t = create(molecules, dir);
    t.close();
    t.close();
  }
}
