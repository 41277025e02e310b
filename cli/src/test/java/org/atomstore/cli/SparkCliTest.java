package org.atomstore.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.atomstore.cli.json.AtpJson;
import org.atomstore.dataset.ShardedDataset;
import org.atomstore.store.AtpReader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `atomstore spark ...` end to end: a JVM of its own, Spark in local mode, the shared ASE corpus. */
class SparkCliTest {
  @TempDir static Path tmp;
  static List<String> inputs = new ArrayList<>();
  static Path single;
  static Path dataset;

  /**
   * The extended XYZ files of the corpus that ASE reads, in as few groups as `atomstore convert` can put into one
   * file each (some files give a key types that others' cannot share); the largest group is converted both ways.
   */
  @BeforeAll
  static void convertBothWays() throws Exception {
    List<List<String>> groups = new ArrayList<>();
    List<String> group = new ArrayList<>();
    Path probe = tmp.resolve("probe.atp");
    for (Path[] f : AseCorpusAcceptanceTest.readable()) {
      if (f[0].toString().endsWith(".db")) continue;
      List<String> args = new ArrayList<>(List.of("convert"));
      args.addAll(group);
      args.add(f[0].toString());
      args.add(probe.toString());
      if (CliRun.of(args.toArray(String[]::new)).exitCode() == 0) {
        group.add(f[0].toString());
      } else {
        groups.add(group);
        group = new ArrayList<>(List.of(f[0].toString()));
      }
      Files.deleteIfExists(probe);
    }
    groups.add(group);
    inputs = groups.stream().max(java.util.Comparator.comparingInt(List::size)).orElseThrow();
    assertThat(inputs).hasSizeGreaterThan(20);
    single = tmp.resolve("single.atp");
    List<String> args = new ArrayList<>(List.of("convert"));
    args.addAll(inputs);
    args.add(single.toString());
    CliRun c = CliRun.of(args.toArray(String[]::new));
    assertThat(c.exitCode()).as(c.err()).isZero();
    dataset = tmp.resolve("spark-out");
    args = new ArrayList<>(List.of("spark", "convert"));
    args.addAll(inputs);
    args.addAll(List.of(dataset.toString(), "--master", "local[2]", "--json"));
    CliRun s = CliRun.of(args.toArray(String[]::new));
    assertThat(s.exitCode()).as(s.err()).isZero();
    assertThat(s.out()).contains("\"shards\"");
  }

  @Test
  void sparkConvertWritesTheRecordsConvertWrites() throws Exception {
    try (AtpReader a = AtpReader.open(single); ShardedDataset b = ShardedDataset.open(dataset)) {
      assertThat(ShardedDataset.hasManifest(dataset)).isTrue();
      assertThat(b.size()).isEqualTo(a.size()).isGreaterThan(100);
      for (long i = 0; i < a.size(); i++) assertThat(b.get(i)).as("structure %d", i).isEqualTo(a.get(i));
    }
    CliRun v = CliRun.of("verify", dataset.toString());
    assertThat(v.exitCode()).as(v.out() + v.err()).isZero();
  }

  @Test
  void sparkConvertInRangesOfFewFramesWritesTheRecordsConvertWrites() throws Exception {
    // every file larger than 2 kB cut into ranges of whole frames, one task each: the corpus's tricky frames
    // (comments that are counts, VEC lines, CRLF) at range starts
    Path ranged = tmp.resolve("spark-ranged");
    List<String> args = new ArrayList<>(List.of("spark", "convert"));
    args.addAll(inputs);
    args.addAll(List.of(ranged.toString(), "--master", "local[2]", "--split-bytes", "2000", "--json"));
    CliRun s = CliRun.of(args.toArray(String[]::new));
    assertThat(s.exitCode()).as(s.err()).isZero();
    JsonNode summary = AseCorpusAcceptanceTest.JSON.readTree(s.out());
    assertThat(summary.get("tasks").asInt()).isGreaterThan(inputs.size());
    assertThat(s.err()).as("no log noise").doesNotContain("SLF4J").doesNotContain(" INFO ");
    try (AtpReader a = AtpReader.open(single); ShardedDataset b = ShardedDataset.open(ranged)) {
      assertThat(b.size()).isEqualTo(a.size());
      for (long i = 0; i < a.size(); i++) assertThat(b.get(i)).as("structure %d", i).isEqualTo(a.get(i));
    }
  }

  @Test
  void theReferenceReadsEveryShardAsAtomstoreDoes() throws Exception {
    String golden = System.getenv("ATP_GOLDEN");
    Assumptions.assumeTrue(golden != null && !golden.isBlank(),
        "ATP_GOLDEN is not set: the reference Atompack 0.4.0 is not built here (../shared/reference), so this part is skipped");
    try (ShardedDataset ds = ShardedDataset.open(dataset)) {
      for (int s = 0; s < ds.shardCount(); s++) {
        Path shard = dataset.resolve(ds.shardPath(s));
        Process p = new ProcessBuilder(golden, "dump", shard.toString()).redirectErrorStream(true).start();
        String dump = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        JsonNode ref = AseCorpusAcceptanceTest.JSON.readTree(dump);
        var w = new StringWriter();
        try (AtpReader r = AtpReader.open(shard)) {
          AtpJson.write(r, w, AseCorpusAcceptanceTest.JSON);
        }
        String diff = AseCorpusAcceptanceTest.firstDiff(AseCorpusAcceptanceTest.strip(ref),
            AseCorpusAcceptanceTest.strip(AseCorpusAcceptanceTest.JSON.readTree(w.toString())), "$", false);
        if (diff != null) fail("reference reads %s differently: %s", shard, diff);
      }
    }
  }

  @Test
  void sparkSqlQueriesTheDatasetAsTableAtoms() throws Exception {
    CliRun q = CliRun.of("spark", "sql", dataset.toString(),
        "SELECT count(*) AS structures, sum(size(atomic_numbers)) AS atoms FROM atoms", "--json", "--master", "local[1]");
    assertThat(q.exitCode()).as(q.err()).isZero();
    JsonNode rows = AseCorpusAcceptanceTest.JSON.readTree(q.out());
    long atoms = 0;
    long structures;
    try (ShardedDataset ds = ShardedDataset.open(dataset)) {
      structures = ds.size();
      for (long i = 0; i < ds.size(); i++) atoms += ds.atomCount(i);
    }
    assertThat(rows.get(0).get("structures").asLong()).isEqualTo(structures);
    assertThat(rows.get(0).get("atoms").asLong()).isEqualTo(atoms);
  }

  @Test
  void sparkConvertOfFairchemFilesWritesTheRecordsConvertWrites() throws Exception {
    sparkConvertEqualsConvert(AseLmdbCliTest.DIR, ".aselmdb", "aselmdb");
  }

  @Test
  void sparkConvertOfAsebytesStoresWritesTheRecordsConvertWrites() throws Exception {
    // read through the table interface (asebytes LMDB stores are directories); large_5000 keeps the run short
    sparkConvertEqualsConvert(Path.of(System.getProperty("atomstore.shared", "../shared")).resolve("compat/asebytes"),
        ".lmdb", "asebytes");
  }

  /**
   * Every shared store ending in {@code suffix} under {@code dir} that `atomstore convert` takes together with the
   * ones before it (a store with a row .atp cannot hold, or a key of another type, is left out by both), then one
   * `spark convert` of them all: the same records in the same order.
   */
  private static void sparkConvertEqualsConvert(Path dir, String suffix, String name) throws Exception {
    List<String> stores = new ArrayList<>();
    try (var list = Files.list(dir)) {
      list.filter(f -> f.toString().endsWith(suffix) && !f.toString().contains("large_")).sorted().forEach(f -> stores.add(f.toString()));
    }
    List<String> taken = new ArrayList<>();
    Path probe = tmp.resolve(name + "-probe.atp");
    for (String f : stores) {
      List<String> args = new ArrayList<>(List.of("convert"));
      args.addAll(taken);
      args.addAll(List.of(f, probe.toString()));
      if (CliRun.of(args.toArray(String[]::new)).exitCode() == 0) taken.add(f);
      Files.deleteIfExists(probe);
    }
    assertThat(taken).hasSizeGreaterThan(3);
    Path one = tmp.resolve(name + ".atp");
    List<String> args = new ArrayList<>(List.of("convert"));
    args.addAll(taken);
    args.add(one.toString());
    assertThat(CliRun.of(args.toArray(String[]::new)).exitCode()).isZero();
    Path out = tmp.resolve("spark-" + name);
    args = new ArrayList<>(List.of("spark", "convert"));
    args.addAll(taken);
    args.addAll(List.of(out.toString(), "--master", "local[2]"));
    CliRun s = CliRun.of(args.toArray(String[]::new));
    assertThat(s.exitCode()).as(s.err()).isZero();
    try (AtpReader a = AtpReader.open(one); ShardedDataset b = ShardedDataset.open(out)) {
      assertThat(b.size()).isEqualTo(a.size()).isGreaterThan(10);
      for (long i = 0; i < a.size(); i++) assertThat(b.get(i)).as("%s structure %d", name, i).isEqualTo(a.get(i));
    }
  }

  @Test
  void aFailedConversionPublishesNothing() throws Exception {
    Path bad = tmp.resolve("bad.xyz");
    Files.writeString(bad, "2\nProperties=species:S:1:pos:R:3\nH 0 0 0\n");
    Path out = tmp.resolve("never");
    CliRun s = CliRun.of("spark", "convert", inputs.get(0), bad.toString(), out.toString(), "--master", "local[1]");
    assertThat(s.exitCode()).isNotZero();
    assertThat(s.err()).contains("bad.xyz");
    assertThat(Files.exists(out)).isFalse();
    try (var files = Files.list(tmp)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("never"));
    }
  }
}
