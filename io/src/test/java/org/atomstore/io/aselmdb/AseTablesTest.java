package org.atomstore.io.aselmdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.atomstore.io.asedb.AseDbReader;
import org.atomstore.io.mapping.AseMapping;
import org.atomstore.model.Molecule;
import org.atomstore.store.FieldSet;
import org.atomstore.store.FlatBatch;
import org.atomstore.table.Table;
import org.atomstore.table.Tables;
import org.junit.jupiter.api.Test;

/** {@code Tables.open} on {@code .aselmdb} and ASE {@code .db} files: rows, projections, batches, lifecycle. */
class AseTablesTest {

  static final Path DB = Path.of(System.getProperty("atomstore.shared", "../shared")).resolve("testdata/generated/db/calc_results.db");

  @Test
  void aselmdbTableGivesTheMappedRowsInIdOrder() throws Exception {
    Path f = AseLmdbGoldenTest.DIR.resolve("deleted_ids.aselmdb");
    JsonNode exp = AseLmdbGoldenTest.JSON.readTree(f.resolveSibling("deleted_ids.aselmdb.expected.json").toFile());
    try (Table t = Tables.open(f.toString()); var r = AseLmdbReader.open(f)) {
      assertThat(t.source()).isEqualTo(f.toString());
      assertThat(t.size()).isEqualTo(exp.get("nrows").asLong());
      for (int i = 0; i < t.size(); i++) {
        Molecule m = t.get(i);
        assertThat(m.atomCount()).isEqualTo(exp.get("rows").get(i).get("natoms").asInt());
        assertThat(m).isEqualTo(AseMapping.toMolecule(r.rowAt(i).row(), AseMapping.Precision.FLOAT64).molecule());
      }
      assertThatThrownBy(() -> t.get(t.size())).isInstanceOf(IndexOutOfBoundsException.class);
    }
  }

  @Test
  void projectionAndBatchAgreeWithWholeRows() throws Exception {
    Path f = AseLmdbGoldenTest.DIR.resolve("crystals_calc.aselmdb");
    try (Table t = Tables.open(f.toString())) {
      Molecule whole = t.get(2);
      Molecule energyOnly = t.get(2, FieldSet.of("energy"));
      assertThat(energyOnly.positions()).isNull();
      assertThat(energyOnly.forces()).isNull();
      assertThat(energyOnly.properties()).isEmpty();
      assertThat(energyOnly.energy()).isEqualTo(whole.energy());
      assertThat(whole.properties()).isNotEmpty();
      long[] idx = {3, 0, 2};
      FlatBatch b = t.readBatch(idx, FieldSet.ALL, true);
      assertThat(b.size()).isEqualTo(3);
      int at = 0;
      for (int k = 0; k < idx.length; k++) {
        Molecule m = t.get(idx[k]);
        assertThat(b.energy()[k]).isEqualTo(m.energyAsDouble());
        double[] pos = java.util.Arrays.copyOfRange(b.positionsF64(), 3 * at, 3 * (at + m.atomCount()));
        assertThat(pos).isEqualTo(m.positionsAsDouble());
        at += m.atomCount();
      }
    }
  }

  @Test
  void aseDbTableReadsTheSqliteRows() throws Exception {
    try (Table t = Tables.open(DB.toString()); var r = AseDbReader.open(DB)) {
      List<org.atomstore.io.asedb.AseRow> rows = r.rows();
      assertThat(t.size()).isEqualTo(rows.size()).isPositive();
      for (int i = 0; i < rows.size(); i++) {
        assertThat(t.get(i)).isEqualTo(AseMapping.toMolecule(rows.get(i), AseMapping.Precision.FLOAT64).molecule());
      }
      Molecule p = t.get(0, FieldSet.of("positions"));
      assertThat(p.atomicNumbers()).isNull();
      assertThat(p.positions()).isEqualTo(t.get(0).positions());
      assertThat(t.readBatch(new long[] {0}, FieldSet.ALL, false).positionsF32()).hasSize(3 * t.get(0).atomCount());
    }
  }

  @Test
  void closeIsIdempotentAndUseAfterCloseIsRefused() throws Exception {
    for (Path f : List.of(AseLmdbGoldenTest.DIR.resolve("molecules.aselmdb"), DB)) {
      Table t = Tables.open(f.toString());
      assertThat(t.get(0)).isNotNull();
      t.close();
      t.close();
      assertThatThrownBy(() -> t.get(0)).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void providersTakeOnlyTheirLocalFiles() throws Exception {
    var lmdb = new org.atomstore.io.internal.AseTables.AseLmdbProvider();
    var db = new org.atomstore.io.internal.AseTables.AseDbProvider();
    assertThat(lmdb.accepts("/data/omat/train.ASELMDB")).isTrue();
    assertThat(lmdb.accepts("s3://bucket/x.aselmdb")).isFalse();
    assertThat(lmdb.accepts("x.db")).isFalse();
    assertThat(db.accepts("x.db")).isTrue();
    assertThat(db.accepts("x.aselmdb")).isFalse();
    assertThat(Tables.providers()).anyMatch(p -> p.accepts("x.aselmdb")).anyMatch(p -> p.accepts("x.db"));
  }
}
