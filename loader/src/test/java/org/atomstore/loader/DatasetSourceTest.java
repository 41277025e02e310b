package org.atomstore.loader;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.atomstore.codec.Compression;
import org.atomstore.dataset.ShardedDataset;
import org.atomstore.dataset.ShardedWriter;
import org.atomstore.loader.sampler.Shuffle;
import org.atomstore.model.Molecule;
import org.atomstore.store.FieldSet;
import org.atomstore.store.FlatBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetSourceTest {
  @TempDir Path tmp;

  private static Molecule molecule(long i) {
    int n = (int) (i % 4) + 1;
    float[] pos = new float[3 * n];
    byte[] z = new byte[n];
    for (int a = 0; a < n; a++) {
      z[a] = (byte) (a + 1);
      pos[3 * a] = i;
      pos[3 * a + 1] = a;
    }
    return Molecule.of(pos, z).energy((double) i).forces(pos.clone());
  }

  private Path dataset(long n) throws Exception {
    Path dir = tmp.resolve("ds");
    try (var w = ShardedWriter.builder(dir).compression(Compression.zstd(3)).maxShardMolecules(37).open()) {
      for (long i = 0; i < n; i++) w.add(molecule(i));
    }
    return dir;
  }

  /** Everything a trainer would see of a batch, as text. */
  private static String describe(FlatBatch b) {
    return Arrays.toString(b.indices()) + Arrays.toString(b.energy()) + Arrays.toString(b.positionsF32())
        + Arrays.toString(b.atomOffsets()) + Arrays.toString(b.batchVector()) + Arrays.toString((float[]) b.forces());
  }

  private static List<String> run(ShardedDataset ds, int threads, Shuffle shuffle) {
    List<String> out = new ArrayList<>();
    try (var loader = Loader.builder(new DatasetSource(ds, FieldSet.of("positions", "energy", "forces"), false))
        .shuffle(shuffle).seed(9).epoch(1).rank(0, 2).batchSize(16).threads(threads).open()) {
      while (loader.hasNext()) {
        Batch<FlatBatch> b = loader.next();
        assertThat(b.data().indices()).isEqualTo(b.indices());
        for (int k = 0; k < b.size(); k++) assertThat(b.data().energy()[k]).isEqualTo(b.indices()[k]);
        out.add(describe(b.data()));
      }
    }
    return out;
  }

  @Test
  void realBatchesAreIdenticalWhateverTheThreadCount() throws Exception {
    try (var ds = ShardedDataset.open(dataset(400))) {
      for (Shuffle shuffle : List.of(Shuffle.full(), Shuffle.blocks(8, 32))) {
        List<String> one = run(ds, 1, shuffle);
        assertThat(one).hasSize(13); // 200 molecules for rank 0, in batches of 16
        assertThat(run(ds, 0, shuffle)).isEqualTo(one);
        assertThat(run(ds, 3, shuffle)).isEqualTo(one);
      }
    }
  }

  @Test
  void blockShuffleFollowsTheShards() throws Exception {
    try (var ds = ShardedDataset.open(dataset(400))) {
      var source = DatasetSource.training(ds);
      assertThat(source.shardStarts()).startsWith(0, 37, 74);
    }
  }
}
