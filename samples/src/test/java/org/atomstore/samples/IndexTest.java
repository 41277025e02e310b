package org.atomstore.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.atomstore.samples.index.DatasetEntry;
import org.atomstore.samples.index.DatasetIndex;
import org.atomstore.samples.index.RedisIndex;
import org.atomstore.samples.index.SqliteIndex;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same index behaviour over SQLite (a file) and Redis (a real redis-server on a free loopback port). */
class IndexTest {
  static final String SCALARS_SHARD_CID = "bafyreif3brptzhilyh27drrgboorjd7rxbukjpjdnnnykp7qjmfkh43hyy";
  static Process redisServer;
  static int redisPort;
  @TempDir static Path tmp;

  @BeforeAll
  static void startRedis() throws Exception {
    Path bin = Path.of("/usr/bin/redis-server");
    if (!Files.isExecutable(bin)) return;
    try (var s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      redisPort = s.getLocalPort();
    }
    redisServer = new ProcessBuilder(bin.toString(), "--port", String.valueOf(redisPort), "--bind", "127.0.0.1", "--save", "",
        "--appendonly", "no", "--dir", tmp.toString()).redirectErrorStream(true).redirectOutput(tmp.resolve("redis.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try (var s = new Socket("127.0.0.1", redisPort)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("redis-server did not start on port " + redisPort);
  }

  @AfterAll
  static void stopRedis() throws InterruptedException {
    if (redisServer != null) {
      redisServer.destroy();
      redisServer.waitFor(10, TimeUnit.SECONDS);
    }
  }

  static DatasetEntry scalarsEntry() {
    return new DatasetEntry("scalars", "atdata://local/schema/ScalarSample@1.0.0",
        List.of("scalars-000000.tar", "scalars-000001.tar", "scalars-000002.tar"), Map.of("split", "train", "n", 24L));
  }

  void exercise(DatasetIndex index) throws IOException {
    String cid = index.insert(scalarsEntry());
    assertThat(cid).isEqualTo(SCALARS_SHARD_CID);
    DatasetEntry back = index.entryByCid(cid).orElseThrow();
    assertThat(back.dataUrls()).isEqualTo(scalarsEntry().dataUrls());
    assertThat(back.metadata()).isEqualTo(scalarsEntry().metadata());
    assertThat(index.entryByName("scalars")).contains(back);
    assertThat(index.entryByName("nope")).isEmpty();
    assertThat(index.entries()).containsExactly(back);

    var type = SampleType.of(GoldenTypes.ScalarSample.class);
    String ref = index.publishSchema(type);
    assertThat(ref).isEqualTo("atdata://local/schema/ScalarSample@1.0.0");
    String json = index.schema(ref).orElseThrow();
    assertThat(json).startsWith("{\"name\": \"ScalarSample\", \"version\": \"1.0.0\", \"fields\": [{\"name\": \"i\"");
    assertThat(index.schemaIds()).containsExactly("ScalarSample@1.0.0");
    index.publishSchema(type); // already there: kept
    assertThat(index.schema(ref)).contains(json);
  }

  @Test
  void sqliteIndexStoresEntriesAndSchemasWithAtdatasCids() throws IOException {
    Path file = tmp.resolve("index.db");
    try (var index = SqliteIndex.open(file)) {
      exercise(index);
    }
    try (var index = SqliteIndex.open(file)) {
      assertThat(index.entryByCid(SCALARS_SHARD_CID)).isPresent();
    }
  }

  @Test
  void redisIndexUsesAtdatasKeys() throws IOException {
    Assumptions.assumeTrue(redisServer != null, "redis-server not installed (/usr/bin/redis-server): Redis index test skipped");
    try (var index = RedisIndex.connect("127.0.0.1", redisPort)) {
      exercise(index);
    }
    try (var j = redis.clients.jedis.RedisClient.create("127.0.0.1", redisPort)) {
      assertThat(j.hget("LocalDatasetEntry:" + SCALARS_SHARD_CID, "name")).isEqualTo("scalars");
      assertThat(j.get("LocalSchema:ScalarSample@1.0.0")).contains("\"ScalarSample\"");
      // A corrupt stored entry is a checked error naming the index and the CID.
      j.hset("LocalDatasetEntry:bad", Map.of("name", "x", "schema_ref", "y", "data_urls", "\u00c1"));
    }
    try (var index = RedisIndex.connect("127.0.0.1", redisPort)) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> index.entryByCid("bad")).isInstanceOf(CorruptSampleException.class)
          .hasMessageContaining("bad").hasMessageContaining("redis://127.0.0.1");
    }
  }
}
