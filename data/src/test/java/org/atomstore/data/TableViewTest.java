package org.atomstore.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.atomstore.codec.Compression;
import org.atomstore.model.Molecule;
import org.atomstore.store.AtpReader;
import org.atomstore.store.AtpWriter;
import org.atomstore.store.FieldSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Views of the molecule tier over an {@code .atp} file. */
class TableViewTest {
  @TempDir Path dir;
  private List<Molecule> ms;
  private Path file;

  @BeforeEach
  void write() throws IOException {
    ms = TableContract.sampleMolecules(12);
    file = dir.resolve("v.atp");
    try (AtpWriter w = AtpWriter.create(file, Compression.LZ4)) {
      for (Molecule m : ms) w.add(m);
      w.flush();
    }
  }

  @Test
  void viewsColumnsAndBatches() throws IOException {
    try (AtpReader r = AtpReader.open(file)) {
      TableView v = TableView.of(r).range(2, 10).select(7, 0, 3);
      assertThat(v.indices()).containsExactly(9, 2, 5);
      assertThat(v.toList()).containsExactly(ms.get(9), ms.get(2), ms.get(5));
      assertThat((double[]) v.column("energy").values()).containsExactly(ms.get(9).energyAsDouble(), ms.get(2).energyAsDouble(), ms.get(5).energyAsDouble());
      assertThat((long[]) v.column("config_id").values()).containsExactly(9, 2, 5);
      assertThat((String) TableView.of(r).column("name").get(4)).isEqualTo("mol4");
      assertThat(v.readBatch(FieldSet.of("energy"), false).energy()).containsExactly(-13.5, -3.0, -7.5);
      assertThat(TableView.of(r).slice(0, 12, 5).indices()).containsExactly(0, 5, 10);
    }
  }

  @Test
  void asyncReadsAndIterations() throws Exception {
    try (AtpReader r = AtpReader.open(file)) {
      TableView v = TableView.of(r);
      assertThat(v.getAsync(3).get()).isEqualTo(ms.get(3));
      assertThat(v.getAsync(3, FieldSet.of("energy")).get().energyAsDouble()).isEqualTo(-4.5);
      assertThat(v.readBatchAsync(FieldSet.ALL, true).get().size()).isEqualTo(12);
      List<Molecule> seen = new ArrayList<>();
      for (Iterator<Molecule> it = v.iterateAsync(4); it.hasNext(); ) seen.add(it.next());
      assertThat(seen).isEqualTo(ms);
      List<Integer> sizes = new ArrayList<>();
      for (Iterator<List<Molecule>> it = v.chunksAsync(5, 2); it.hasNext(); ) sizes.add(it.next().size());
      assertThat(sizes).containsExactly(5, 5, 2);
      int n = 0;
      for (List<Molecule> c : v.chunks(7)) n += c.size();
      assertThat(n).isEqualTo(12);
    }
  }
}
