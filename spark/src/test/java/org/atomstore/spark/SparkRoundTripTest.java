package org.atomstore.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.atomstore.codec.Compression;
import org.atomstore.dataset.ShardedDataset;
import org.atomstore.model.Molecule;
import org.atomstore.model.Value;
import org.atomstore.store.AtpWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkRoundTripTest {
  static SparkSession spark;
  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").appName("atomstore-test")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
  }

  @AfterAll
  static void stop() {
    if (spark != null) spark.stop();
  }

  static Molecule molecule(int k) {
    int n = 1 + k % 5;
    double[] pos = new double[3 * n];
    byte[] z = new byte[n];
    long[] tags = new long[n];
    for (int a = 0; a < n; a++) {
      for (int d = 0; d < 3; d++) pos[3 * a + d] = k + a * 0.25 + d * 0.125 + 1e-9;
      z[a] = (byte) (1 + (k + a) % 90);
      tags[a] = k * 10L + a;
    }
    Molecule m = Molecule.of(pos, z).energy(-k * 1.5).pbc(k % 2 == 0, true, false)
        .cell(new double[] {k, 0, 0, 0, k + 1, 0, 0, 0, k + 2}).name("m" + k);
    float[] forces = new float[3 * n];
    for (int i = 0; i < forces.length; i++) forces[i] = i * 0.5f - k;
    m.forces(forces);
    m.atomProperty("tags", new Value.Int64Array(tags));
    m.property("step", new Value.Int64(k));
    if (k % 3 == 0) m.property("note", new Value.Text("every third " + k));
    m.property("virial", new Value.Vec3Float64(new double[] {k, 1, 2, 3, 4, 5, 6, 7, 8.5}));
    return m;
  }

  static Path writeDataset(String name, int count) throws IOException {
    Path f = dir.resolve(name);
    try (AtpWriter w = AtpWriter.create(f, Compression.NONE)) {
      for (int k = 0; k < count; k++) w.add(molecule(k));
    }
    return f;
  }

  @Test
  void aDatasetSurvivesTheRoundTripThroughADataFrame() throws IOException {
    Path in = writeDataset("in.atp", 257);
    Dataset<Row> df = spark.read().format("atp").option("rowsPerPartition", "50").load(in.toString());
    assertThat(df.count()).isEqualTo(257);
    assertThat(df.rdd().getNumPartitions()).isEqualTo(6);
    Path out = dir.resolve("out");
    df.write().format("atp").mode(SaveMode.Overwrite).option("compression", "zstd").save(out.toString());
    try (ShardedDataset a = ShardedDataset.open(in); ShardedDataset b = ShardedDataset.open(out)) {
      assertThat(b.size()).isEqualTo(a.size());
      assertThat(ShardedDataset.hasManifest(out)).isTrue();
      for (long i = 0; i < a.size(); i++) assertThat(b.get(i)).as("row %d", i).isEqualTo(a.get(i));
      assertThat(b.get(3).positionsAreFloat64()).isTrue();
    }
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".atp-staging-") || n.contains(".atp-publish-"));
    }
  }

  @Test
  void prunedColumnsAreAllThePlanReadsAndDecodes() throws IOException {
    Path in = writeDataset("prune.atp", 40);
    Dataset<Row> energies = spark.read().format("atp").load(in.toString()).select("energy");
    String plan = energies.queryExecution().executedPlan().toString();
    assertThat(plan).contains("fields=energy").doesNotContain("positions");
    List<Row> rows = energies.collectAsList();
    assertThat(rows.get(7).getDouble(0)).isEqualTo(-10.5);
    assertThat(spark.read().format("atp").load(in.toString()).schema().fieldNames())
        .startsWith("__index__", "positions", "atomic_numbers").contains("energy", "tags", "step", "note", "virial");
  }

  @Test
  void sqlOverADataset() throws IOException {
    Path in = writeDataset("sql.atp", 30);
    spark.read().format("atp").load(in.toString()).createOrReplaceTempView("atoms");
    Row r = spark.sql("SELECT count(*), sum(step), min(energy) FROM atoms WHERE pbc[0]").first();
    assertThat(r.getLong(0)).isEqualTo(15);
    assertThat(r.getLong(1)).isEqualTo(210);
    assertThat(r.getDouble(2)).isEqualTo(-42.0);
  }

  @Test
  void appendAddsShardsAndAFailedJobLeavesNoDataset() throws IOException {
    Path in = writeDataset("append.atp", 20);
    Path out = dir.resolve("appended");
    Dataset<Row> df = spark.read().format("atp").load(in.toString());
    df.write().format("atp").mode(SaveMode.Append).save(out.toString());
    df.write().format("atp").mode(SaveMode.Append).save(out.toString());
    try (ShardedDataset b = ShardedDataset.open(out)) {
      assertThat(b.size()).isEqualTo(40);
      assertThat(b.get(25)).isEqualTo(molecule(5));
    }
    // a task that fails (an atomic number out of range) aborts the job: no manifest, no shard, no staging
    Path failed = dir.resolve("failed");
    Dataset<Row> bad = df.selectExpr("positions", "transform(atomic_numbers, z -> z + 300) AS atomic_numbers");
    assertThatThrownBy(() -> bad.write().format("atp").mode(SaveMode.Overwrite).save(failed.toString()))
        .hasStackTraceContaining("outside 0..255");
    assertThat(Files.exists(failed)).isFalse();
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("failed"));
    }
  }
}
