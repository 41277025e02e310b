package org.atomstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dump SHARD.tar...} and {@code cid FILE.json} against the shared atdata golden files. */
class SampleCommandsTest {
  static final Path DIR = Path.of(System.getProperty("atomstore.shared", "../../shared"), "compat", "atdata");
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  @Test
  void dumpsAtdataShardsAsTypedFields() throws Exception {
    var run = CliRun.of("dump", DIR.resolve("mixed_arrays-000000.tar").toString(), DIR.resolve("mixed_arrays-000001.tar").toString(),
        DIR.resolve("mixed_arrays-000002.tar").toString(), "--ndarray-fields", "f64,i64,u8,zero_d");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode got = JSON.readTree(run.out()).get("samples");
    JsonNode exp = JSON.readTree(DIR.resolve("mixed_arrays.expected.json").toFile()).get("samples");
    assertThat(got.size()).isEqualTo(exp.size());
    for (int i = 0; i < exp.size(); i++) {
      assertThat(got.get(i).get("__key__")).isEqualTo(exp.get(i).get("__key__"));
      assertThat(JSON.readTree(JSON.writeValueAsString(got.get(i).get("fields"))))
          .isEqualTo(JSON.readTree(JSON.writeValueAsString(exp.get(i).get("fields"))));
    }
  }

  @Test
  void corruptShardExitsWithTheCorruptInputCode() throws Exception {
    Path bad = tmp.resolve("bad.tar");
    byte[] b = Files.readAllBytes(DIR.resolve("scalars-000000.tar"));
    b[1536] = (byte) 0xc1; // the first member's msgpack map header: a reserved byte
    Files.write(bad, b);
    var run = CliRun.of("dump", bad.toString());
    assertThat(run.exitCode()).isEqualTo(ExitCodes.CORRUPT_INPUT);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("bad.tar");
  }

  @Test
  void cidOfAJsonDocument() throws Exception {
    JsonNode vectors = JSON.readTree(DIR.resolve("cids.expected.json").toFile()).get("vectors");
    for (JsonNode v : vectors) {
      Path f = tmp.resolve("v.json");
      Files.writeString(f, JSON.writeValueAsString(v.get("input")));
      var run = CliRun.of("cid", f.toString());
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(run.out().strip()).as(v.get("name").asText()).isEqualTo(v.get("cid").asText());
    }
  }

  @Test
  void convertsAtpToShardsAndBlocksAndBack() throws Exception {
    Path golden = Path.of(System.getProperty("atomstore.shared", "../../shared"), "compat", "atompack-0.4.0",
        "builtins_all_f32_v3__zstd3.atp");
    var toShards = CliRun.of("convert", golden.toString(), tmp.resolve("atoms-%06d.tar").toString(), "--max-count", "3");
    assertThat(toShards.exitCode()).as(toShards.err()).isZero();
    assertThat(tmp.resolve("atoms-000000.tar")).exists();
    assertThat(tmp.resolve("atoms-000001.tar")).exists();
    var back = CliRun.of("convert", tmp.resolve("atoms-000000.tar").toString(), tmp.resolve("atoms-000001.tar").toString(),
        tmp.resolve("back.atp").toString());
    assertThat(back.exitCode()).as(back.err()).isZero();
    try (var a = org.atomstore.store.AtpReader.open(golden); var b = org.atomstore.store.AtpReader.open(tmp.resolve("back.atp"))) {
      assertThat(b.size()).isEqualTo(a.size());
      for (long i = 0; i < a.size(); i++) {
        assertThat(b.get(i).positionsAsDouble()).containsExactly(a.get(i).positionsAsDouble());
        assertThat(b.get(i).atomicNumbers()).containsExactly(a.get(i).atomicNumbers());
      }
    }
    var blocks = CliRun.of("convert", golden.toString(), tmp.resolve("blk").toString(), "--format", "blocks", "--block-size", "2");
    assertThat(blocks.exitCode()).as(blocks.err()).isZero();
    try (var ds = org.atomstore.samples.blocks.BlockDataset.open(
        org.atomstore.samples.SampleType.of(org.atomstore.samples.AtomsSample.class), tmp.resolve("blk"))) {
      assertThat(ds.size()).isEqualTo(4);
    }
  }
}
