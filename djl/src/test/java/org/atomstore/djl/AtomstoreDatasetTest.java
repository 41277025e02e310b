package org.atomstore.djl;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.BatchSampler;
import ai.djl.training.dataset.SequenceSampler;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.atomstore.loader.Loader;
import org.atomstore.loader.LoaderState;
import org.atomstore.loader.BatchSource;
import org.atomstore.store.AtpReader;
import org.atomstore.store.FieldSet;
import org.atomstore.store.FlatBatch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomstoreDatasetTest {
  @TempDir static Path dir;
  static Path file;

  @BeforeAll
  static void write() throws IOException {
    Engines.offline();
    file = dir.resolve("lj.atp");
    LjClusters.write(file, 203, 11);
  }

  @Test
  void theNativeEngineLoadsOffline() {
    assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
    Engine engine = Engine.getEngine(Engines.PYTORCH);
    assertThat(engine.getEngineName()).isEqualTo("PyTorch");
    try (NDManager m = engine.newBaseManager()) {
      assertThat(m.create(new float[] {1, 2, 3}).sum().getFloat()).isEqualTo(6f);
    }
  }

  /** What the loader alone gives for the same settings: indices and flat batches. */
  private static List<FlatBatch> loaderBatches(AtpReader r, LoaderState from, int batchSize) {
    BatchSource<FlatBatch> source = BatchSource.of(r.size(), ix -> r.readBatch(ix, AtomstoreDataset.builder(r).fieldsForTest(), false));
    List<FlatBatch> out = new ArrayList<>();
    try (Loader<FlatBatch> l = Loader.builder(source).batchSize(batchSize).threads(2).resume(from).open()) {
      l.forEachRemaining(b -> out.add(b.data()));
    }
    return out;
  }

  private static long[] indices(Batch b) {
    return b.getIndices().stream().mapToLong(i -> (Long) i).toArray();
  }

  @Test
  void batchesEqualTheLoadersAndResumeMidEpoch() throws IOException {
    try (AtpReader r = AtpReader.open(file);
        NDManager m = Engine.getEngine(Engines.PYTORCH).newBaseManager()) {
      AtomstoreDataset ds = AtomstoreDataset.builder(r).seed(42).batchSize(16).threads(2).build();
      LoaderState start = ds.state();
      List<FlatBatch> expected = loaderBatches(r, start, 16);
      assertThat(expected).hasSize(13);
      List<long[]> seen = new ArrayList<>();
      LoaderState afterFive = null;
      int k = 0;
      for (Batch b : ds.getData(m)) {
        try (b) {
          FlatBatch e = expected.get(k);
          assertThat(indices(b)).containsExactly(e.indices());
          NDList data = b.getData();
          assertThat(data.get("positions").toFloatArray()).containsExactly(e.positionsF32());
          assertThat(data.get("atomic_numbers").toIntArray()).containsExactly(e.atomicNumbers());
          assertThat(data.get("batch").toIntArray()).containsExactly(e.batchVector());
          assertThat(data.get("offsets").toIntArray()).containsExactly(e.atomOffsets());
          float[] energy = b.getLabels().get("energy").toFloatArray();
          for (int i = 0; i < energy.length; i++) assertThat(energy[i]).isEqualTo((float) e.energy()[i]);
          seen.add(e.indices());
          k++;
          if (k == 5) afterFive = ds.state();
        }
      }
      assertThat(k).isEqualTo(13);
      assertThat(ds.state().epoch()).isEqualTo(1);

      // a new dataset resumed after batch 5 continues with batch 6 of the same epoch, then the next epoch
      AtomstoreDataset resumed = AtomstoreDataset.builder(r).batchSize(16).threads(1).resume(afterFive).build();
      int j = 5;
      for (Batch b : resumed.getData(m)) {
        try (b) {
          assertThat(indices(b)).containsExactly(seen.get(j));
          j++;
        }
      }
      assertThat(j).isEqualTo(13);
      // the next call is the next epoch: a different order, the same rows
      List<Long> epoch1 = new ArrayList<>();
      for (Batch b : resumed.getData(m)) {
        try (b) {
          for (Object i : b.getIndices()) epoch1.add((Long) i);
        }
      }
      List<Long> epoch0 = new ArrayList<>();
      for (long[] ix : seen) for (long i : ix) epoch0.add(i);
      assertThat(epoch1).isNotEqualTo(epoch0).containsExactlyInAnyOrderElementsOf(epoch0);
    }
  }

  @Test
  void djlsOwnSamplersBatchRecordsInTheSameLayout() throws Exception {
    try (AtpReader r = AtpReader.open(file);
        NDManager m = Engine.getEngine(Engines.PYTORCH).newBaseManager()) {
      AtomstoreDataset ds = AtomstoreDataset.builder(r).batchSize(8).build();
      Batch first = ds.getData(m, new BatchSampler(new SequenceSampler(), 8, false)).iterator().next();
      FlatBatch e = r.readBatch(new long[] {0, 1, 2, 3, 4, 5, 6, 7}, ds.fieldsForTest(), false);
      assertThat(first.getData().get("positions").toFloatArray()).containsExactly(e.positionsF32());
      assertThat(first.getData().get("batch").toIntArray()).containsExactly(e.batchVector());
      assertThat(first.getData().get("offsets").toIntArray()).containsExactly(e.atomOffsets());
      float[] energy = first.getLabels().get("energy").toFloatArray();
      assertThat(energy).hasSize(8);
      assertThat(energy[3]).isEqualTo((float) e.energy()[3]);
      first.close();
    }
  }
}
