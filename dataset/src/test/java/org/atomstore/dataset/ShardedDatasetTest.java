package org.atomstore.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.atomstore.codec.Compression;
import org.atomstore.model.Molecule;
import org.atomstore.store.AtpReader;
import org.atomstore.store.CorruptFileException;
import org.atomstore.store.FieldSet;
import org.atomstore.store.FlatBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardedDatasetTest {
  @TempDir Path tmp;

  @Test
  void withAManifestShardsOpenLazilyAndStayOpen() throws Exception {
    Path dir = tmp.resolve("ds");
    TestMolecules.writeDataset(dir, 50, 7, Compression.LZ4);
    try (var ds = ShardedDataset.open(dir)) {
      assertThat(ds.shardCount()).isEqualTo(8);
      assertThat(ds.openShards()).isZero();
      assertThat(ds.get(15)).isEqualTo(TestMolecules.molecule(15));
      assertThat(ds.openShards()).isEqualTo(1);
      assertThat(ds.shard(2)).isSameAs(ds.shard(2));
      for (long i = 0; i < 50; i++) assertThat(ds.get(i).energyAsDouble()).isEqualTo(i);
      assertThat(ds.openShards()).isEqualTo(8);
    }
  }

  @Test
  void withoutAManifestEveryAtpBelowTheDirectoryIsAShardInRelativePathOrder() throws Exception {
    Path dir = tmp.resolve("ds");
    Files.createDirectories(dir.resolve("b"));
    Files.createDirectories(dir.resolve("a/z"));
    TestMolecules.writeFile(dir.resolve("b/x.atp"), 3, 7, Compression.NONE);
    TestMolecules.writeFile(dir.resolve("a/z/y.atp"), 0, 3, Compression.NONE);
    TestMolecules.writeFile(dir.resolve("c.atp"), 7, 7, Compression.NONE); // empty shard
    TestMolecules.writeFile(dir.resolve("d.atp"), 7, 9, Compression.zstd(3));
    Files.writeString(dir.resolve("notes.txt"), "not a shard");
    try (var ds = ShardedDataset.open(dir)) {
      assertThat(ds.shardCount()).isEqualTo(4);
      assertThat(ds.shardPath(0)).isEqualTo("a/z/y.atp");
      assertThat(ds.shardPath(1)).isEqualTo("b/x.atp");
      assertThat(ds.shardStarts()).containsExactly(0, 3, 7, 7, 9);
      assertThat(ds.shardOf(7)).isEqualTo(3); // skips the empty shard
      for (long i = 0; i < 9; i++) assertThat(ds.get(i)).isEqualTo(TestMolecules.molecule(i));
      assertThatThrownBy(() -> ds.get(9)).isInstanceOf(IndexOutOfBoundsException.class);
    }
  }

  @Test
  void aSingleFileOpensAsADatasetOfOneShard() throws Exception {
    Path file = tmp.resolve("one.atp");
    TestMolecules.writeFile(file, 0, 4, Compression.NONE);
    try (var ds = ShardedDataset.open(file)) {
      assertThat(ds.shardCount()).isEqualTo(1);
      assertThat(ds.get(3)).isEqualTo(TestMolecules.molecule(3));
    }
  }

  @Test
  void readBatchAcrossShardsKeepsTheRequestedOrder() throws Exception {
    Path dir = tmp.resolve("ds");
    TestMolecules.writeDataset(dir, 60, 9, Compression.zstd(3));
    long seed = 42;
    var rnd = new SplittableRandom(seed);
    long[] idx = new long[33];
    for (int k = 0; k < idx.length; k++) idx[k] = rnd.nextLong(60);
    idx[5] = idx[6]; // a repeat
    try (var ds = ShardedDataset.open(dir)) {
      for (boolean f64 : new boolean[] {false, true}) {
        FlatBatch b = ds.readBatch(idx, FieldSet.of("positions", "atomic_numbers", "energy", "forces"), f64);
        assertThat(b.size()).as("seed %d", seed).isEqualTo(idx.length);
        assertThat(b.indices()).isEqualTo(idx);
        for (int k = 0; k < idx.length; k++) {
          Molecule m = TestMolecules.molecule(idx[k]);
          assertThat(b.energy()[k]).isEqualTo(idx[k]);
          int a0 = b.atomOffsets()[k];
          assertThat(b.atomOffsets()[k + 1] - a0).isEqualTo(m.atomCount());
          float[] pos = m.positionsAsFloat();
          for (int j = 0; j < pos.length; j++) {
            double got = f64 ? b.positionsF64()[3 * a0 + j] : b.positionsF32()[3 * a0 + j];
            assertThat(got).isEqualTo(pos[j]);
          }
          assertThat(b.atomicNumbers()[a0]).isEqualTo(m.atomicNumber(0));
          assertThat(b.batchVector()[a0]).isEqualTo(k);
        }
        assertThat(b.cell()).isNull(); // not requested, not decoded
      }
    }
  }

  @Test
  void aShardHoldingFewerMoleculesThanTheManifestSaysIsReportedByName() throws Exception {
    Path dir = tmp.resolve("ds");
    TestMolecules.writeDataset(dir, 20, 10, Compression.NONE);
    TestMolecules.writeFile(dir.resolve("shard-00000001.atp"), 10, 19, Compression.NONE);
    try (var ds = ShardedDataset.open(dir)) {
      assertThat(ds.get(3)).isEqualTo(TestMolecules.molecule(3));
      assertThatThrownBy(() -> ds.get(12)).isInstanceOf(CorruptFileException.class)
          .hasMessageContaining("shard 'shard-00000001.atp' holds 9 molecules but the manifest lists 10");
    }
  }

  @Test
  void manifestPathsAndLinksMayNotLeaveTheDirectory() throws Exception {
    Path dir = tmp.resolve("ds");
    TestMolecules.writeDataset(dir, 5, 10, Compression.NONE);
    Path outside = tmp.resolve("outside.atp");
    TestMolecules.writeFile(outside, 0, 5, Compression.NONE);
    String manifest = Files.readString(dir.resolve("manifest.json"));

    Files.writeString(dir.resolve("manifest.json"), manifest.replace("shard-00000000.atp", "../outside.atp"));
    assertThatThrownBy(() -> ShardedDataset.open(dir)).isInstanceOf(UnsafeShardPathException.class)
        .hasMessageContaining("'../outside.atp'");

    Files.createSymbolicLink(dir.resolve("link.atp"), outside);
    Files.writeString(dir.resolve("manifest.json"), manifest.replace("shard-00000000.atp", "link.atp"));
    try (var ds = ShardedDataset.open(dir)) {
      assertThatThrownBy(() -> ds.get(0)).isInstanceOf(UnsafeShardPathException.class)
          .hasMessageContaining("outside the dataset directory");
    }
    Files.delete(dir.resolve("manifest.json"));
    assertThatThrownBy(() -> ShardedDataset.open(dir)).isInstanceOf(UnsafeShardPathException.class)
        .hasMessageContaining("link.atp");
  }

  @Test
  void closeIsIdempotentAndUseAfterCloseFails() throws Exception {
    Path dir = tmp.resolve("ds");
    TestMolecules.writeDataset(dir, 5, 2, Compression.NONE);
    var ds = ShardedDataset.open(dir);
    AtpReader r = ds.shard(0);
    ds.close();
    ds.close();
    assertThatThrownBy(() -> ds.get(0)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> ds.readBatch(new long[] {0}, FieldSet.ALL, false)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> r.get(0)).isInstanceOf(IllegalStateException.class);
  }
}
