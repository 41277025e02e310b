package org.atomstore.io.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.atomstore.io.ase.AseAtoms;
import org.atomstore.io.asedb.AseDbReader;
import org.atomstore.io.asedb.AseRow;
import org.atomstore.io.extxyz.ExtxyzReader;
import org.atomstore.model.Value;
import org.junit.jupiter.api.Test;

class AseMappingTest {

  static final Path DB = Path.of(System.getProperty("atomstore.shared", "../shared")).resolve("testdata/generated/db");

  static AseAtoms frame(String text) throws Exception {
    try (var r = ExtxyzReader.open(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), Path.of("t.xyz"), 1)) {
      return r.read();
    }
  }

  @Test
  void nameThatAseReadsAsABoolStaysTheBuiltinNameNeverAProperty() throws Exception {
    // fluorine: ASE reads name=F as the bool False
    var r = AseMapping.toMolecule(frame("1\nname=F pbc=\"F F F\"\nF 0 0 0\n"), AseMapping.Precision.FLOAT64);
    assertThat(r.molecule().name()).isEqualTo("F");
    assertThat(r.molecule().properties()).doesNotContainKey("name");
    assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("'name'").contains("bool"));
    var i = AseMapping.toMolecule(frame("1\nname=2\nH 0 0 0\n"), AseMapping.Precision.FLOAT64);
    assertThat(i.molecule().name()).isEqualTo("2");
    assertThat(i.molecule().properties()).doesNotContainKey("name");
  }

  @Test
  void databaseRowsKeepKeyValuePairsAndData() throws Exception {
    List<AseRow> rows;
    try (var r = AseDbReader.open(DB.resolve("g2_molecules.db"))) {
      rows = r.rows();
    }
    // ASE: key_value_pairs {name: 'H2O', g2_index: 0, has_magmoms: False, n_atoms_heavy: 1};
    // data {inertia: float64[3], description: 'G2 molecule H2O'}
    var m = AseMapping.toMolecule(rows.getFirst(), AseMapping.Precision.FLOAT64);
    assertThat(m.molecule().name()).isEqualTo("H2O");
    assertThat(m.molecule().properties()).containsEntry("g2_index", new Value.Int64(0))
        .containsEntry("has_magmoms", new Value.Int64(0)).containsEntry("n_atoms_heavy", new Value.Int64(1))
        .containsEntry("data.description", new Value.Text("G2 molecule H2O"))
        .containsEntry("data.inertia", new Value.Float64Array(new double[] {0.6366369306469828, 1.174388082579936, 1.811025013226919}));
    assertThat(m.warnings()).anySatisfy(w -> assertThat(w).contains("has_magmoms").contains("bool"));
  }

  @Test
  void nestedDataIsKeptAsJsonTextWithAWarning() throws Exception {
    var warnings = new ArrayList<String>();
    try (var r = AseDbReader.open(DB.resolve("bulk_and_surfaces.db"))) {
      var m = AseMapping.toMolecule(r.rows().getFirst(), AseMapping.Precision.FLOAT64);
      warnings.addAll(m.warnings());
      assertThat(m.molecule().properties()).containsKeys("crystalstructure", "a", "cubic", "volume_per_atom",
          "data.cell_lengths_angles", "data.info");
      assertThat(m.molecule().properties().get("data.info")).isInstanceOf(Value.Text.class);
    }
    assertThat(warnings).anySatisfy(w -> assertThat(w).contains("data.info").contains("JSON"));
  }
}
