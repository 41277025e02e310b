package org.atomstore.loader;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.atomstore.codec.Compression;
import org.atomstore.dataset.ShardedDataset;
import org.atomstore.dataset.ShardedWriter;
import org.atomstore.loader.sampler.Shuffle;
import org.atomstore.model.Molecule;
import org.atomstore.store.AtpReader;
import org.atomstore.store.AtpWriter;
import org.atomstore.store.FieldSet;
import org.atomstore.store.FlatBatch;
import org.atomstore.table.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loader reads any table through {@link TableSource}, as it reads datasets through {@link DatasetSource}. */
class TableSourceTest {
  @TempDir Path tmp;

  private static Molecule molecule(long i) {
    return Molecule.of(new float[] {i, 0, 0, 0, i, 0}, new byte[] {1, 8}).energy((double) i);
  }

  private static List<Long> epoch(BatchSource<FlatBatch> source) {
    List<Long> seen = new ArrayList<>();
    try (var loader = Loader.builder(source).shuffle(Shuffle.full()).seed(3).epoch(0).batchSize(7).threads(2).open()) {
      while (loader.hasNext()) {
        Batch<FlatBatch> b = loader.next();
        for (int k = 0; k < b.size(); k++) {
          assertThat(b.data().energy()[k]).isEqualTo(b.indices()[k]);
          seen.add(b.indices()[k]);
        }
      }
    }
    return seen;
  }

  @Test
  void aFileReadThroughTheTableGivesTheBatchesOfTheDataset() throws IOException {
    Path f = tmp.resolve("a.atp");
    try (AtpWriter w = AtpWriter.create(f, Compression.NONE)) {
      for (long i = 0; i < 50; i++) w.add(molecule(i));
      w.flush();
    }
    Path ds = tmp.resolve("ds");
    try (var w = ShardedWriter.builder(ds).open()) {
      for (long i = 0; i < 50; i++) w.add(molecule(i));
    }
    FieldSet fs = FieldSet.of("positions", "energy");
    try (Table file = AtpReader.open(f); ShardedDataset d = ShardedDataset.open(ds)) {
      List<Long> viaTable = epoch(TableSource.of(file, fs, false));
      assertThat(viaTable).hasSize(50).doesNotHaveDuplicates();
      assertThat(viaTable).isEqualTo(epoch(new DatasetSource(d, fs, false)));
    }
  }
}
