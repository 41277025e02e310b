package org.atomstore.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.atomstore.codec.Compression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetVerifierTest {
  @TempDir Path tmp;

  private List<String> verify(Path dir) throws Exception {
    return DatasetVerifier.verify(dir, true, 100, s -> {});
  }

  @Test
  void aSoundDatasetHasNoProblems() throws Exception {
    Path dir = tmp.resolve("ds");
    TestMolecules.writeDataset(dir, 30, 10, Compression.zstd(3));
    assertThat(verify(dir)).isEmpty();
  }

  @Test
  void aFlippedByteIsReportedWithTheShardName() throws Exception {
    Path dir = tmp.resolve("ds");
    TestMolecules.writeDataset(dir, 30, 10, Compression.NONE);
    Path shard = dir.resolve("shard-00000001.atp");
    try (FileChannel ch = FileChannel.open(shard, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.allocate(1);
      ch.read(b, 8300);
      b.put(0, (byte) (b.get(0) ^ 0x40)).rewind();
      ch.write(b, 8300);
    }
    assertThat(verify(dir)).anySatisfy(p -> assertThat(p).startsWith("shard 'shard-00000001.atp': sha256 is"));
    assertThat(verify(dir)).allSatisfy(p -> assertThat(p).startsWith("shard 'shard-00000001.atp'"));
  }

  @Test
  void aCountThatDisagreesIsReportedWithTheShardName() throws Exception {
    Path dir = tmp.resolve("ds");
    TestMolecules.writeDataset(dir, 30, 10, Compression.NONE);
    String m = Files.readString(dir.resolve("manifest.json"));
    // Shard 2 claims 11 molecules and the total follows, so the manifest itself is consistent.
    int at = m.indexOf("shard-00000002.atp");
    String edited = m.substring(0, at) + m.substring(at).replaceFirst("\"molecules\" : 10", "\"molecules\" : 11");
    edited = edited.replace("\"total_molecules\" : 30", "\"total_molecules\" : 31");
    Files.writeString(dir.resolve("manifest.json"), edited);
    assertThat(verify(dir)).containsExactly("shard 'shard-00000002.atp': holds 10 molecules, the manifest says 11");
  }

  @Test
  void missingAndUnlistedShardsAreReported() throws Exception {
    Path dir = tmp.resolve("ds");
    TestMolecules.writeDataset(dir, 30, 10, Compression.NONE);
    Files.move(dir.resolve("shard-00000000.atp"), dir.resolve("stray.atp"));
    assertThat(verify(dir)).containsExactly("shard 'shard-00000000.atp': missing",
        "shard 'stray.atp': on disk but not in the manifest");
  }

  @Test
  void aDirectoryWithNeitherManifestNorShardsIsNotADataset() throws Exception {
    Path empty = Files.createDirectory(tmp.resolve("empty"));
    assertThat(DatasetVerifier.verify(empty, true, 10, s -> { })).singleElement().asString()
        .startsWith("not a dataset: no manifest.json and no .atp files");
    Path sources = Files.createDirectories(tmp.resolve("src/main/java"));
    Files.writeString(sources.resolve("A.java"), "class A {}");
    assertThat(DatasetVerifier.verify(tmp.resolve("src"), true, 10, s -> { })).singleElement().asString()
        .startsWith("not a dataset");
  }
}
