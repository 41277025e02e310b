package org.atomstore.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.atomstore.codec.Compression;
import org.atomstore.io.ase.AseAtoms;
import org.atomstore.io.extxyz.ExtxyzReader;
import org.atomstore.model.Molecule;
import org.atomstore.store.AtpReader;
import org.atomstore.store.AtpWriter;
import org.atomstore.store.FieldSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The adapters between tiers: rows <-> ASE atoms <-> molecules, and projections through them. */
class TiersTest {
  @TempDir Path dir;

  @Test
  void everyCorpusFrameSurvivesRowAndBack() throws IOException {
    int frames = 0;
    for (Path p : ExtxyzTableTest.corpus()) {
      List<AseAtoms> all;
      try {
        all = ExtxyzReader.readAll(p);
      } catch (IOException e) {
        continue;
      }
      for (AseAtoms a : all) {
        AseAtoms back = AtomsRows.standard().toAtoms(AtomsRows.standard().toRow(a));
        String what = p + ":" + a.line();
        assertThat(back.numbers()).as(what).isEqualTo(a.numbers());
        assertThat(back.positions()).as(what).isEqualTo(a.positions());
        assertThat(back.cell()).as(what).isEqualTo(a.cell());
        assertThat(back.pbc()).as(what).isEqualTo(a.pbc());
        assertThat(back.info()).as(what).isEqualTo(a.info());
        assertThat(back.arrays()).as(what).isEqualTo(a.arrays());
        assertThat(back.results()).as(what).isEqualTo(a.results());
        assertThat(back.constraints()).as(what).isEqualTo(a.constraints());
        frames++;
      }
    }
    assertThat(frames).isGreaterThan(100);
  }

  @Test
  void rowsOfAnAtpFileReadWithAProjectionEqualTheWholeRowCut() throws IOException {
    Path f = dir.resolve("a.atp");
    List<Molecule> ms = TableContract.sampleMolecules(8);
    try (AtpWriter w = AtpWriter.create(f, Compression.NONE)) {
      for (Molecule m : ms) w.add(m);
      w.flush();
    }
    try (ObjectTable rows = Tiers.rows(AtpReader.open(f))) {
      assertThat(rows.keys()).contains("arrays.numbers", "arrays.positions", "arrays.tags", "calc.energy", "calc.forces",
          "calc.stress", "cell", "info.config_id", "info.name", "info.stress", "pbc");
      for (List<String> keys : List.of(List.of("calc.energy"), List.of("calc.forces", "info.config_id"),
          List.of("arrays.tags", "cell", "pbc"), List.of("calc.stress", "info.stress", "info.name"))) {
        for (long i = 0; i < ms.size(); i++) {
          Map<String, Object> whole = rows.get(i);
          Map<String, Object> cut = new LinkedHashMap<>();
          whole.forEach((k, v) -> { if (keys.contains(k)) cut.put(k, v); });
          assertThat(rows.get(i, keys)).as("row %d keys %s", i, keys).isEqualTo(cut);
        }
      }
    }
  }

  @Test
  void aMoleculeProjectionReadsOnlyTheRowKeysItNeeds() throws IOException {
    MemoryTable mem = MemoryTable.open("memory://" + UUID.randomUUID());
    List<Collection<String>> asked = new ArrayList<>();
    ObjectTable spy = new RowViewTest.Forwarding(mem) {
      @Override
      public Map<String, Object> get(long index, Collection<String> keys) throws IOException {
        asked.add(keys);
        return super.get(index, keys);
      }
    };
    List<Molecule> ms = TableContract.sampleMolecules(4);
    Tiers.molecules(mem).extend(ms);
    MoleculeTable t = new MoleculeTable(spy, MoleculeRows.standard());
    Molecule m = t.get(3, FieldSet.of("energy"));
    assertThat(m.energyAsDouble()).isEqualTo(ms.get(3).energyAsDouble());
    assertThat(m.forces()).isNull();
    assertThat(asked).singleElement().satisfies(k -> assertThat(k).contains("calc.energy").doesNotContain("calc.forces", "info.config_id"));
    Molecule c = t.get(3, FieldSet.of("config_id"));
    assertThat(c.properties()).containsOnlyKeys("config_id");
  }
}
