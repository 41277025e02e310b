package org.atomstore.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.atomstore.codec.Compression;
import org.atomstore.source.DirectoryObjectStore;
import org.atomstore.store.CorruptFileException;
import org.atomstore.store.FieldSet;
import org.atomstore.store.FlatBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A dataset read from an object store gives what the same directory read locally gives. */
class StoreDatasetTest {
  @TempDir Path tmp;

  @Test
  void readsAManifestDatasetAsTheLocalReaderDoes() throws IOException {
    Path dir = tmp.resolve("ds");
    TestMolecules.writeDataset(dir, 103, 20, Compression.zstd(3));
    try (ShardedDataset local = ShardedDataset.open(dir);
        StoreDataset remote = StoreDataset.open(DirectoryObjectStore.open(dir), true)) {
      assertThat(remote.hasManifest()).isTrue();
      assertThat(remote.manifest()).isPresent();
      assertThat(remote.shardStarts()).isEqualTo(local.shardStarts());
      assertThat(remote.manifestSchema()).isEqualTo(local.manifestSchema());
      assertThat(remote.schema()).isEqualTo(local.schema());
      for (long i = 0; i < local.size(); i++) assertThat(remote.get(i)).isEqualTo(local.get(i));
      long[] shuffled = shuffled(local.size(), 7);
      assertThat(describe(remote.readBatch(shuffled, FieldSet.ALL, false))).isEqualTo(describe(local.readBatch(shuffled, FieldSet.ALL, false)));
      assertThat(describe(remote.readBatch(shuffled, FieldSet.of("positions", "energy"), true)))
          .isEqualTo(describe(local.readBatch(shuffled, FieldSet.of("positions", "energy"), true)));
      // opened lazily: only the shards read so far
      assertThat(remote.shardCount()).isEqualTo(6);
    }
  }

  @Test
  void withoutAManifestReadsEveryAtpInLexicographicOrderAsAtompacksHubDoes() throws IOException {
    Path dir = tmp.resolve("hub");
    Files.createDirectories(dir.resolve("b"));
    TestMolecules.writeFile(dir.resolve("b/000.atp"), 10, 15, Compression.NONE);
    TestMolecules.writeFile(dir.resolve("a.atp"), 0, 10, Compression.NONE);
    TestMolecules.writeFile(dir.resolve("c.atp"), 15, 17, Compression.LZ4);
    Files.writeString(dir.resolve("README.md"), "not a shard");
    try (StoreDataset ds = StoreDataset.open(DirectoryObjectStore.open(dir), true)) {
      assertThat(ds.hasManifest()).isFalse();
      assertThat(ds.shardPath(0)).isEqualTo("a.atp");
      assertThat(ds.shardPath(1)).isEqualTo("b/000.atp");
      assertThat(ds.shardStarts()).containsExactly(0, 10, 15, 17);
      for (long i = 0; i < 17; i++) assertThat(ds.get(i).energy()).isEqualTo(TestMolecules.molecule(i).energy());
    }
  }

  @Test
  void readsAtompacksManifestInItsOrderAndChecksNSamples() throws IOException {
    Path dir = tmp.resolve("atompack");
    Files.createDirectories(dir);
    TestMolecules.writeFile(dir.resolve("part_0001.atp"), 0, 4, Compression.NONE);
    TestMolecules.writeFile(dir.resolve("part_0000.atp"), 4, 9, Compression.NONE);
    Files.writeString(dir.resolve("manifest.json"),
        "{\"output_files\": [\"part_0001.atp\", \"part_0000.atp\"], \"n_samples\": 9, \"compression\": \"none\", \"other\": 1}");
    try (StoreDataset ds = StoreDataset.open(DirectoryObjectStore.open(dir), true)) {
      assertThat(ds.atompackManifest()).isPresent();
      assertThat(ds.hasManifest()).isTrue();
      assertThat(ds.shardStarts()).containsExactly(0, 4, 9);
      for (long i = 0; i < 9; i++) assertThat(ds.get(i).energy()).isEqualTo(TestMolecules.molecule(i).energy());
    }
    Files.writeString(dir.resolve("manifest.json"), "{\"output_files\": [\"part_0001.atp\", \"part_0000.atp\"], \"n_samples\": 10}");
    assertThatThrownBy(() -> StoreDataset.open(DirectoryObjectStore.open(dir), true))
        .isInstanceOf(CorruptFileException.class).hasMessageContaining("n_samples is 10 but the shards hold 9");
    Files.writeString(dir.resolve("manifest.json"), "{\"output_files\": [\"../part_0001.atp\"]}");
    assertThatThrownBy(() -> StoreDataset.open(DirectoryObjectStore.open(dir), true))
        .isInstanceOf(UnsafeShardPathException.class).hasMessageContaining("'..'");
  }

  @Test
  void aManifestCountThatDisagreesWithTheShardIsCorrupt() throws IOException {
    Path dir = tmp.resolve("ds");
    Manifest m = TestMolecules.writeDataset(dir, 30, 10, Compression.NONE);
    Manifest.Shard s0 = m.shards().get(0);
    var shards = new java.util.ArrayList<>(m.shards());
    shards.set(0, new Manifest.Shard(s0.path(), 11, s0.bytes(), s0.sha256()));
    shards.set(1, new Manifest.Shard(shards.get(1).path(), 9, shards.get(1).bytes(), shards.get(1).sha256()));
    Manifest.of(shards, m.schema()).write(dir);
    try (StoreDataset ds = StoreDataset.open(DirectoryObjectStore.open(dir), true)) {
      assertThatThrownBy(() -> ds.get(0)).isInstanceOf(CorruptFileException.class)
          .hasMessageContaining("holds 10 molecules but the manifest lists 11");
    }
  }

  @Test
  void aStoreWithNothingToReadIsNoDataset() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("empty"));
    assertThatThrownBy(() -> StoreDataset.open(DirectoryObjectStore.open(dir), true))
        .isInstanceOf(java.nio.file.NoSuchFileException.class).hasMessageContaining("no .atp files");
    Files.write(dir.resolve("manifest.json"), "{not json".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> StoreDataset.open(DirectoryObjectStore.open(dir), true)).isInstanceOf(CorruptFileException.class)
        .hasMessageContaining("malformed manifest");
  }

  static long[] shuffled(long n, long seed) {
    long[] a = LongStream.range(0, n).toArray();
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int i = a.length - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      long t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  static String describe(FlatBatch b) {
    return Arrays.toString(b.indices()) + Arrays.toString(b.atomOffsets()) + Arrays.deepToString(new Object[] {b.positions(), b.atomicNumbers(),
        b.energy(), b.forces(), b.cell(), b.stress(), b.pbc()});
  }
}
