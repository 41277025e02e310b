package org.atomstore.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.atomstore.codec.Compression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardedWriterTest {
  @TempDir Path tmp;

  @Test
  void rollsOverAtTheMoleculeLimitAndReadsBackAsOneDataset() throws Exception {
    Path dir = tmp.resolve("ds");
    Manifest m = TestMolecules.writeDataset(dir, 25, 10, Compression.zstd(3));
    assertThat(m.shards()).extracting(Manifest.Shard::path)
        .containsExactly("shard-00000000.atp", "shard-00000001.atp", "shard-00000002.atp");
    assertThat(m.shards()).extracting(Manifest.Shard::molecules).containsExactly(10L, 10L, 5L);
    assertThat(m.totalMolecules()).isEqualTo(25);
    assertThat(Manifest.read(dir.resolve("manifest.json"))).isEqualTo(m);
    for (Manifest.Shard s : m.shards()) {
      assertThat(Files.size(dir.resolve(s.path()))).isEqualTo(s.bytes());
      assertThat(Sha256.of(dir.resolve(s.path()))).isEqualTo(s.sha256());
    }
    try (var ds = ShardedDataset.open(dir)) {
      assertThat(ds.size()).isEqualTo(25);
      for (long i = 0; i < 25; i++) assertThat(ds.get(i)).isEqualTo(TestMolecules.molecule(i));
    }
  }

  @Test
  void summarisesTheSchemaInTheManifest() throws Exception {
    Manifest m = TestMolecules.writeDataset(tmp.resolve("ds"), 4, 10, Compression.NONE);
    assertThat(m.schema()).extracting(f -> f.scope() + "/" + f.key())
        .containsExactly("builtin/cell", "builtin/energy", "builtin/forces", "builtin/pbc", "positions/positions");
    assertThat(m.schema()).allSatisfy(f -> assertThat(f.molecules()).isEqualTo(4));
  }

  @Test
  void theManifestListsCustomPropertiesWithTheTagsStoredOnDisk() throws Exception {
    // a 3x3 and a float32 scalar in a custom property are stored as a vec3 array (7) and a float64 (0)
    Path dir = tmp.resolve("custom");
    Manifest m;
    try (var w = ShardedWriter.builder(dir).open()) {
      w.add(TestMolecules.molecule(3).property("virial", new org.atomstore.model.Value.Mat3Float64(new double[9]))
          .property("t", new org.atomstore.model.Value.Float32(1.5f)));
      m = w.finish();
    }
    try (var r = org.atomstore.store.AtpReader.open(dir.resolve(m.shards().getFirst().path()))) {
      for (var f : m.schema()) {
        if (!f.scope().equals("molecule")) continue;
        var stored = r.fileSchema().orElseThrow().fields().stream()
            .filter(e -> e.kind() == org.atomstore.store.FileSchema.KIND_MOLECULE_PROPERTY && e.key().equals(f.key()))
            .map(org.atomstore.store.FileSchema.Field::typeTag).toList();
        assertThat(f.typeTags()).as(f.key()).containsExactlyElementsOf(stored);
      }
    }
    assertThat(m.schema()).filteredOn(f -> f.scope().equals("molecule")).extracting(f -> f.key() + "=" + f.typeTags())
        .containsExactlyInAnyOrder("virial=[7]", "t=[0]");
  }

  @Test
  void rollsOverBeforeTheByteLimit() throws Exception {
    Path dir = tmp.resolve("ds");
    long limit = 8192 + 2_000;
    try (var w = ShardedWriter.builder(dir).maxShardBytes(limit).open()) {
      for (long i = 0; i < 100; i++) w.add(TestMolecules.molecule(i * 5)); // all one-atom, equal-size records
    }
    Manifest m = Manifest.read(dir.resolve("manifest.json"));
    assertThat(m.shards()).hasSizeGreaterThan(3);
    assertThat(m.totalMolecules()).isEqualTo(100);
    // Records are the same size, so every shard stays under the limit apart from the schema blob.
    for (Manifest.Shard s : m.shards()) assertThat(s.bytes()).isLessThanOrEqualTo(limit + 512);
  }

  @Test
  void theDatasetAppearsOnlyWhenFinished() throws Exception {
    Path dir = tmp.resolve("ds");
    var w = ShardedWriter.builder(dir).maxShardMolecules(10).open();
    for (long i = 0; i < 25; i++) w.add(TestMolecules.molecule(i));
    // while writing, shards live in the hidden staging sibling; nothing is at the target
    assertThat(dir).doesNotExist();
    assertThat(w.stagingDirectory()).isEqualTo(tmp.resolve(".ds.partial").toAbsolutePath());
    try (Stream<Path> files = Files.list(w.stagingDirectory())) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("shard-00000000.atp", "shard-00000001.atp", "shard-00000002.atp.partial");
    }
    w.close();
    assertThat(w.stagingDirectory()).doesNotExist();
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("shard-00000000.atp",
          "shard-00000001.atp", "shard-00000002.atp", "manifest.json");
    }
    assertThat(DatasetVerifier.verify(dir, true, 10, s -> { })).isEmpty();
  }

  @Test
  void anAbandonedWriteLeavesNothing() throws Exception {
    Path dir = tmp.resolve("ds");
    var w = ShardedWriter.builder(dir).maxShardMolecules(10).open();
    for (long i = 0; i < 25; i++) w.add(TestMolecules.molecule(i));
    w.abandon();
    w.close(); // after abandon: nothing more happens
    assertThat(dir).doesNotExist();
    try (Stream<Path> files = Files.list(tmp)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void aFailedAddPublishesNothingAndAnEmptyTargetStaysEmpty() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("ds"));
    var w = ShardedWriter.builder(dir).maxShardMolecules(10).open();
    for (long i = 0; i < 15; i++) w.add(TestMolecules.molecule(i));
    // energy was float64 in every molecule so far: a float32 energy does not fit the file's schema
    var bad = TestMolecules.molecule(15).energy(new org.atomstore.model.Value.Float32(1f));
    assertThatThrownBy(() -> w.add(bad)).isInstanceOf(RuntimeException.class);
    assertThat(w.finish()).isNull();
    try (Stream<Path> files = Files.list(tmp)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("ds");
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void publishesIntoAnExistingEmptyDirectoryAndReplacesAStaleStagingDirectory() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("ds"));
    Path stale = Files.createDirectory(ShardedWriter.stagingDirectory(dir));
    Files.writeString(stale.resolve("shard-00000000.atp"), "left by a killed writer");
    TestMolecules.writeDataset(dir, 5, 10, Compression.NONE);
    assertThat(stale).doesNotExist();
    assertThat(DatasetVerifier.verify(dir, true, 10, s -> { })).isEmpty();
  }

  @Test
  void refusesATargetThatIsAFile() throws Exception {
    Path file = Files.writeString(tmp.resolve("manifest.json"), "{}");
    assertThatThrownBy(() -> ShardedWriter.builder(file).open()).isInstanceOf(FileAlreadyExistsException.class)
        .hasMessageContaining("manifest.json").hasMessageContaining("not a directory");
  }

  @Test
  void refusesANonEmptyDirectoryAndUseAfterClose() throws Exception {
    Path dir = tmp.resolve("ds");
    TestMolecules.writeDataset(dir, 3, 10, Compression.NONE);
    assertThatThrownBy(() -> ShardedWriter.builder(dir).open()).isInstanceOf(FileAlreadyExistsException.class);
    var w = ShardedWriter.builder(tmp.resolve("other")).open();
    w.close();
    w.close();
    assertThatThrownBy(() -> w.add(TestMolecules.molecule(0))).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void anEmptyDatasetHasAManifestWithNoShards() throws Exception {
    Path dir = tmp.resolve("empty");
    ShardedWriter.builder(dir).open().close();
    try (var ds = ShardedDataset.open(dir)) {
      assertThat(ds.size()).isZero();
      assertThat(ds.shardCount()).isZero();
    }
  }
}
