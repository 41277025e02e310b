package org.atomstore.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.atomstore.codec.Compression;
import org.atomstore.dataset.ShardedDataset;
import org.atomstore.dataset.ShardedWriter;
import org.atomstore.model.BuiltinField;
import org.atomstore.model.Molecule;
import org.atomstore.store.AtpReader;
import org.atomstore.store.AtpWriter;
import org.atomstore.table.TableSchema;
import org.atomstore.table.TableSchema.Scope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One schema model from an {@code .atp} schema blob, a manifest summary and the first rows. */
class TableSchemaTest {
  @TempDir Path dir;

  @Test
  void theFileTheManifestAndTheRowsAgree() throws Exception {
    List<Molecule> ms = TableContract.sampleMolecules(6);
    Path f = dir.resolve("a.atp");
    try (AtpWriter w = AtpWriter.create(f, Compression.NONE)) {
      for (Molecule m : ms) w.add(m);
      w.flush();
    }
    Path ds = dir.resolve("ds");
    try (ShardedWriter w = ShardedWriter.builder(ds).open()) {
      w.addAll(ms);
      w.finish();
    }
    TableSchema fromRows = TableSchema.ofMolecules(ms);
    TableSchema fromFile;
    try (AtpReader r = AtpReader.open(f)) {
      fromFile = r.schema();
    }
    TableSchema fromManifest;
    try (ShardedDataset d = ShardedDataset.open(ds)) {
      fromManifest = d.schema();
    }
    for (TableSchema s : List.of(fromRows, fromFile, fromManifest)) {
      assertThat(s.names()).contains("positions", "atomic_numbers", "energy", "forces", "cell", "pbc", "stress", "name", "tags", "config_id");
      assertThat(s.field("positions").orElseThrow()).isEqualTo(new TableSchema.Field("positions", Scope.ATOM, "<f8", List.of(TableSchema.ATOMS, 3), BuiltinField.POSITIONS));
      assertThat(s.field("atomic_numbers").orElseThrow().dtype()).isEqualTo("|u1");
      assertThat(s.field("energy").orElseThrow()).isEqualTo(new TableSchema.Field("energy", Scope.STRUCTURE, "<f8", List.of(), BuiltinField.ENERGY));
      assertThat(s.field("cell").orElseThrow().shape()).containsExactly(3, 3);
      assertThat(s.field("tags").orElseThrow()).isEqualTo(new TableSchema.Field("tags", Scope.ATOM, "<i4", List.of(TableSchema.ATOMS), null));
      assertThat(s.field("config_id").orElseThrow()).isEqualTo(new TableSchema.Field("config_id", Scope.STRUCTURE, "<i8", List.of(), null));
    }
  }

  @Test
  void shapesThatDifferBetweenRowsAreMarked() {
    Molecule a = Molecule.of(new double[3], new byte[1]).property("v", new org.atomstore.model.Value.Float64Array(new double[2]));
    Molecule b = Molecule.of(new double[3], new byte[1]).property("v", new org.atomstore.model.Value.Float64Array(new double[5]));
    assertThat(TableSchema.ofMolecules(List.of(a, b)).field("v").orElseThrow().shape()).containsExactly(TableSchema.VARIES);
    assertThat(TableSchema.ofMolecules(List.of(a)).field("v").orElseThrow().shape()).containsExactly(2);
  }

  @Test
  void anObjectTableTypesItsKeysByTheirValues() throws Exception {
    MemoryTable t = MemoryTable.open("memory://" + java.util.UUID.randomUUID());
    Tiers.molecules(t).extend(TableContract.sampleMolecules(3));
    t.update(1, java.util.Map.of("info.flag", true));
    TableSchema s = t.schema();
    assertThat(s.names()).containsExactlyElementsOf(t.keys());
    assertThat(s.field("arrays.positions").orElseThrow()).isEqualTo(new TableSchema.Field("arrays.positions", Scope.ATOM, "<f8", List.of(TableSchema.ATOMS, 3), BuiltinField.POSITIONS));
    assertThat(s.field("calc.energy").orElseThrow()).isEqualTo(new TableSchema.Field("calc.energy", Scope.STRUCTURE, "<f8", List.of(), BuiltinField.ENERGY));
    assertThat(s.field("cell").orElseThrow().shape()).containsExactly(3, 3);
    assertThat(s.field("pbc").orElseThrow().dtype()).isEqualTo("|b1");
    assertThat(s.field("info.config_id").orElseThrow().dtype()).isEqualTo("<i8");
    assertThat(s.field("info.flag").orElseThrow().dtype()).isEqualTo("|b1");
    assertThat(s.field("arrays.tags").orElseThrow().shape()).containsExactly(TableSchema.ATOMS);
  }
}
