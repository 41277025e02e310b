package org.atomstore.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.atomstore.store.CorruptFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestTest {
  @TempDir Path dir;

  private static final String HASH = "0".repeat(63) + "a";

  @Test
  void roundTripsThroughJsonAndLeavesNoTemporaryFile() throws Exception {
    var m = Manifest.of(
        List.of(new Manifest.Shard("a/shard-0.atp", 3, 9000, HASH), new Manifest.Shard("b.atp", 4, 9100, HASH)),
        List.of(new Manifest.SchemaField("builtin", "energy", List.of(0), 7)));
    m.write(dir);
    assertThat(m.totalMolecules()).isEqualTo(7);
    assertThat(Manifest.read(dir.resolve("manifest.json"))).isEqualTo(m);
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(dir.resolve("manifest.json"));
    }
    assertThat(Files.readString(dir.resolve("manifest.json"))).contains("\"total_molecules\" : 7");
  }

  @Test
  void rejectsATotalThatDisagreesWithTheShards() throws Exception {
    write("{\"format\":\"atomstore-manifest/1\",\"total_molecules\":5,"
        + "\"shards\":[{\"path\":\"a.atp\",\"molecules\":3,\"bytes\":1,\"sha256\":\"" + HASH + "\"}]}");
    assertThatThrownBy(() -> Manifest.read(dir.resolve("manifest.json")))
        .isInstanceOf(CorruptFileException.class)
        .hasMessageContaining("total_molecules is 5 but the shards add up to 3")
        .hasMessageContaining("manifest.json");
  }

  @Test
  void rejectsMalformedJsonNamingLineAndColumn() throws Exception {
    write("{\"format\":\"atomstore-manifest/1\",\n \"total_molecules\": oops}");
    assertThatThrownBy(() -> Manifest.read(dir.resolve("manifest.json")))
        .isInstanceOf(CorruptFileException.class)
        .hasMessageContaining("line 2");
  }

  @Test
  void rejectsMissingFieldsAndBadHashes() throws Exception {
    write("{\"format\":\"atomstore-manifest/1\",\"total_molecules\":0}");
    assertThatThrownBy(() -> Manifest.read(dir.resolve("manifest.json"))).isInstanceOf(CorruptFileException.class);
    write("{\"format\":\"atomstore-manifest/1\",\"total_molecules\":1,"
        + "\"shards\":[{\"path\":\"a.atp\",\"molecules\":1,\"bytes\":1,\"sha256\":\"xyz\"}]}");
    assertThatThrownBy(() -> Manifest.read(dir.resolve("manifest.json")))
        .isInstanceOf(CorruptFileException.class).hasMessageContaining("malformed sha256");
    write("{\"format\":\"other/9\",\"total_molecules\":0,\"shards\":[]}");
    assertThatThrownBy(() -> Manifest.read(dir.resolve("manifest.json")))
        .isInstanceOf(CorruptFileException.class).hasMessageContaining("unknown manifest format");
  }

  @Test
  void rejectsShardPathsLeavingTheDatasetDirectory() throws Exception {
    for (String bad : List.of("../outside.atp", "/etc/passwd", "a/../../b.atp", "a//b.atp", "./a.atp", "C:/x.atp",
        "a\\..\\b.atp", "")) {
      write("{\"format\":\"atomstore-manifest/1\",\"total_molecules\":1,\"shards\":[{\"path\":"
          + com.fasterxml.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(bad)
          + ",\"molecules\":1,\"bytes\":1,\"sha256\":\"" + HASH + "\"}]}");
      assertThatThrownBy(() -> Manifest.read(dir.resolve("manifest.json")))
          .as(bad)
          .isInstanceOf(UnsafeShardPathException.class)
          .hasMessageContaining("shard path '" + bad + "'");
    }
  }

  @Test
  void rejectsDuplicateShards() throws Exception {
    String shard = "{\"path\":\"a.atp\",\"molecules\":1,\"bytes\":1,\"sha256\":\"" + HASH + "\"}";
    write("{\"format\":\"atomstore-manifest/1\",\"total_molecules\":2,\"shards\":[" + shard + "," + shard + "]}");
    assertThatThrownBy(() -> Manifest.read(dir.resolve("manifest.json")))
        .isInstanceOf(CorruptFileException.class).hasMessageContaining("listed twice");
  }

  private void write(String json) throws Exception {
    Files.writeString(dir.resolve("manifest.json"), json);
  }
}
