package org.atomstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.atomstore.codec.Compression;
import org.atomstore.dataset.ShardedDataset;
import org.atomstore.loader.sampler.Remainder;
import org.atomstore.loader.sampler.Sampler;
import org.atomstore.loader.sampler.Shuffle;
import org.atomstore.model.Molecule;
import org.atomstore.store.AtpReader;
import org.atomstore.store.AtpWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetCliTest {
  @TempDir Path tmp;
  Path a;
  Path b;

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cl = Main.newCommandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  static Molecule molecule(long i) {
    return Molecule.of(new float[] {i, 0, 0, 0, i, 0}, Molecule.atomicNumbers(1, 8)).energy((double) i);
  }

  @BeforeEach
  void inputs() throws Exception {
    a = tmp.resolve("a.atp");
    b = tmp.resolve("b.atp");
    try (var w = AtpWriter.create(a, Compression.NONE)) {
      for (long i = 0; i < 60; i++) w.add(molecule(i));
    }
    try (var w = AtpWriter.create(b, Compression.zstd(3))) {
      for (long i = 60; i < 103; i++) w.add(molecule(i));
    }
  }

  private Path shard() {
    Path out = tmp.resolve("ds");
    Result r = run("shard", a.toString(), b.toString(), out.toString(), "--max-shard-molecules", "25",
        "--compression", "zstd:3");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("wrote 103 molecules in 5 shards");
    return out;
  }

  @Test
  void shardThenVerifyThenInfo() throws Exception {
    Path ds = shard();
    try (var d = ShardedDataset.open(ds)) {
      assertThat(d.size()).isEqualTo(103);
      for (long i = 0; i < 103; i++) assertThat(d.get(i)).isEqualTo(molecule(i));
    }
    Result v = run("verify", ds.toString());
    assertThat(v.code()).as(v.err()).isZero();
    assertThat(v.out()).startsWith("OK ");
    Result info = run("info", ds.toString());
    assertThat(info.code()).isZero();
    assertThat(info.out()).contains("shards:        5").contains("molecules:     103");
    Result dump = run("dump", ds.toString());
    assertThat(dump.code()).isZero();
    assertThat(dump.out()).contains("\"first_index\" : 100");
  }

  @Test
  void verifyNamesTheShardWhoseHashDiffers() throws Exception {
    Path ds = shard();
    try (FileChannel ch = FileChannel.open(ds.resolve("shard-00000003.atp"), StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {0x55}), Files.size(ds.resolve("shard-00000003.atp")) - 3);
    }
    Result v = run("verify", ds.toString());
    assertThat(v.code()).isEqualTo(ExitCodes.CHECK_FAILED);
    assertThat(v.err()).contains("shard 'shard-00000003.atp': sha256 is");
  }

  @Test
  void iterateIndicesPrintsTheRankStreams() throws Exception {
    Path ds = shard();
    int world = 3;
    Set<Long> all = new HashSet<>();
    for (int rank = 0; rank < world; rank++) {
      Result r = run("iterate", ds.toString(), "--seed", "5", "--epoch", "2", "--rank", "" + rank, "--world-size",
          "" + world, "--batch-size", "8", "--indices");
      assertThat(r.code()).as(r.err()).isZero();
      List<String> lines = r.out().lines().toList();
      assertThat(lines).hasSize(5); // 34 per rank: 4 full batches and one of 2
      Sampler s = Sampler.of(Shuffle.full().order(new long[] {0, 25, 50, 60, 85, 103}, 5, 2), rank, world, Remainder.DROP);
      List<String> expected = new ArrayList<>();
      for (long k = 0; k < 5; k++) {
        expected.add(String.join(" ", Arrays.stream(s.batch(k, 8)).mapToObj(Long::toString).toList()));
      }
      assertThat(lines).isEqualTo(expected);
      for (String line : lines) for (String t : line.split(" ")) assertThat(all.add(Long.parseLong(t))).isTrue();
    }
    assertThat(all).hasSize(102); // 103 mod 3 = 1 molecule dropped
    Result dropLast = run("iterate", ds.toString(), "--batch-size", "8", "--indices", "--drop-last");
    assertThat(dropLast.out().lines()).hasSize(12);
  }

  @Test
  void iterateWithoutIndicesReadsAndReportsThroughput() throws Exception {
    Path ds = shard();
    Result r = run("iterate", ds.toString(), "--batch-size", "16", "--threads", "2");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("7 batches, 103 molecules, 206 atoms in").contains("molecules/s");
  }

  @Test
  void mergeConcatenatesInOrder() throws Exception {
    Path ds = shard();
    Path out = tmp.resolve("all.atp");
    Result r = run("merge", ds.toString(), a.toString(), out.toString(), "--compression", "zstd:3");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("wrote 163 molecules to " + out + " (").contains("zstd:3").contains(" s, ");
    try (var reader = AtpReader.open(out)) {
      assertThat(reader.size()).isEqualTo(163);
      assertThat(reader.compression()).isEqualTo(Compression.zstd(3));
      assertThat(reader.get(102)).isEqualTo(molecule(102));
      assertThat(reader.get(103)).isEqualTo(molecule(0));
    }
    assertThat(tmp.resolve("all.atp.partial")).doesNotExist();
    assertThat(AtomicAtp.temporaryName(tmp.resolve("all.atp"))).doesNotExist();
  }

  @Test
  void shardRefusesANonEmptyOutput() {
    Path ds = shard();
    Result r = run("shard", a.toString(), ds.toString());
    assertThat(r.code()).isEqualTo(ExitCodes.IO_ERROR);
    assertThat(r.err()).contains("not empty");
  }

  @Test
  void mergeDefaultsToNoCompressionWhateverTheInputsUse() throws Exception {
    Path out = tmp.resolve("m.atp");
    Result r = run("merge", b.toString(), out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    try (var reader = AtpReader.open(out)) {
      assertThat(reader.compression()).isEqualTo(Compression.NONE);
    }
  }

  @Test
  void aFailedShardLeavesNothingThatLooksLikeADataset() throws Exception {
    Path bad = tmp.resolve("bad.atp");
    Files.writeString(bad, "this is not an atompack file at all");
    Path out = tmp.resolve("out");
    Result r = run("shard", a.toString(), bad.toString(), out.toString(), "--max-shard-molecules", "25");
    assertThat(r.code()).isEqualTo(ExitCodes.CORRUPT_INPUT);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("bad.atp").contains("bad magic");
    assertThat(out).doesNotExist();
    try (var files = Files.list(tmp)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("a.atp", "b.atp", "bad.atp");
    }
    Result v = run("verify", out.toString());
    assertThat(v.code()).isEqualTo(ExitCodes.IO_ERROR);
    assertThat(v.err()).contains("no such file or directory");
    // into an existing empty directory: it stays empty
    Path empty = Files.createDirectory(tmp.resolve("empty"));
    assertThat(run("shard", a.toString(), bad.toString(), empty.toString()).code()).isEqualTo(ExitCodes.CORRUPT_INPUT);
    try (var files = Files.list(empty)) {
      assertThat(files).isEmpty();
    }
    assertThat(run("verify", empty.toString()).code()).isEqualTo(ExitCodes.CHECK_FAILED);
  }

  @Test
  void verifyRefusesADirectoryThatIsNotADataset() throws Exception {
    Path empty = Files.createDirectory(tmp.resolve("empty"));
    Result v = run("verify", empty.toString());
    assertThat(v.code()).isEqualTo(ExitCodes.CHECK_FAILED);
    assertThat(v.out()).isEmpty();
    assertThat(v.err()).contains("FAILED " + empty).contains("not a dataset: no manifest.json and no .atp files");
    Path src = Files.createDirectories(tmp.resolve("src/main/java"));
    Files.writeString(src.resolve("Main.java"), "class Main {}");
    assertThat(run("verify", tmp.resolve("src").toString()).code()).isEqualTo(ExitCodes.CHECK_FAILED);
  }

  @Test
  void jsonOutputIsOneDocumentWithCountsPathsSizesAndTimes() throws Exception {
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    Path ds = tmp.resolve("ds");
    Result s = run("shard", a.toString(), b.toString(), ds.toString(), "--max-shard-molecules", "25", "--json");
    assertThat(s.code()).as(s.err()).isZero();
    var sj = json.readTree(s.out());
    assertThat(sj.get("command").asText()).isEqualTo("shard");
    assertThat(sj.get("ok").asBoolean()).isTrue();
    assertThat(sj.get("output").asText()).isEqualTo(ds.toString());
    assertThat(sj.get("molecules").asLong()).isEqualTo(103);
    assertThat(sj.get("shards").asInt()).isEqualTo(5);
    assertThat(sj.get("compression").asText()).isEqualTo("none");
    long shardBytes = 0;
    try (var files = Files.list(ds)) {
      for (Path p : files.filter(p -> p.toString().endsWith(".atp")).toList()) shardBytes += Files.size(p);
    }
    assertThat(sj.get("bytes").asLong()).isEqualTo(shardBytes);
    assertThat(sj.get("seconds").isNumber()).isTrue();
    assertThat(sj.get("molecules_per_second").isNumber()).isTrue();

    Result v = run("verify", ds.toString(), "--json");
    assertThat(v.code()).isZero();
    var vj = json.readTree(v.out());
    assertThat(vj.get("ok").asBoolean()).isTrue();
    assertThat(vj.get("molecules").asLong()).isEqualTo(103);
    assertThat(vj.get("problems")).isEmpty();
    Result vf = run("verify", a.toString(), "--json");
    assertThat(json.readTree(vf.out()).get("kind").asText()).isEqualTo("file");
    Result ve = run("verify", Files.createDirectory(tmp.resolve("e")).toString(), "--json");
    assertThat(ve.code()).isEqualTo(ExitCodes.CHECK_FAILED);
    assertThat(json.readTree(ve.out()).get("ok").asBoolean()).isFalse();
    assertThat(ve.err()).isEmpty();

    Path merged = tmp.resolve("m.atp");
    Result m = run("merge", ds.toString(), merged.toString(), "--json");
    var mj = json.readTree(m.out());
    assertThat(mj.get("molecules").asLong()).isEqualTo(103);
    assertThat(mj.get("bytes").asLong()).isEqualTo(Files.size(merged));
    assertThat(mj.get("inputs").get(0).asText()).isEqualTo(ds.toString());

    Result it = run("iterate", ds.toString(), "--batch-size", "16", "--json");
    var ij = json.readTree(it.out());
    assertThat(ij.get("batches").asLong()).isEqualTo(7);
    assertThat(ij.get("molecules").asLong()).isEqualTo(103);
    assertThat(ij.get("atoms").asLong()).isEqualTo(206);
    // exactly one document: nothing after it
    for (Result r : List.of(s, v, m, it)) {
      var parser = json.getFactory().createParser(r.out());
      json.readTree(parser);
      assertThat(parser.nextToken()).isNull();
    }
  }
}
