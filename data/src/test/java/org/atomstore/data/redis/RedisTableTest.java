package org.atomstore.data.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.MalformedURLException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.atomstore.data.internal.MsgpackCodec;
import org.atomstore.data.internal.MsgpackFormatException;
import org.atomstore.model.NdArray;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** The Redis table against a real redis-server on a free loopback port (skipped when none is installed). */
class RedisTableTest {
  private static RedisServer server;
  private static final AtomicInteger GROUPS = new AtomicInteger();

  @BeforeAll
  static void startServer() throws Exception {
    server = RedisServer.start();
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) server.close();
  }

  /** A fresh group of database 0. */
  private static RedisTable fresh() throws IOException {
    return RedisTable.open(server.address(0, "t" + GROUPS.incrementAndGet()));
  }

  private static RedisClient raw() {
    return RedisClient.create("127.0.0.1", server.port());
  }

  static Map<String, Object> row(double energy) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("arrays.numbers", new NdArray("<i8", new long[] {2}, new byte[16]));
    r.put("calc.energy", energy);
    r.put("info.label", "e" + energy);
    return r;
  }

  private static List<Object> energies(RedisTable t) throws IOException {
    List<Object> out = new ArrayList<>();
    for (long i = 0; i < t.size(); i++) {
      Map<String, Object> r = t.get(i);
      out.add(r == null ? null : r.get("calc.energy"));
    }
    return out;
  }

  @Test
  void writesAsebytesRedisLayout() throws IOException {
    try (RedisTable t = fresh(); RedisClient r = raw()) {
      String g = t.address().group();
      t.extend(List.of(row(1.5), row(2.5)));
      assertThat(r.lrange(g + ":sort_keys", 0, -1)).containsExactly("0", "1");
      assertThat(r.get(g + ":next_sk")).isEqualTo("2");
      Map<byte[], byte[]> h = r.hgetAll((g + ":row:1").getBytes(StandardCharsets.UTF_8));
      Map<String, byte[]> byName = new LinkedHashMap<>();
      h.forEach((k, v) -> byName.put(new String(k, StandardCharsets.UTF_8), v));
      assertThat(byName).containsOnlyKeys("arrays.numbers", "calc.energy", "info.label");
      assertThat(byName.get("calc.energy")).isEqualTo(MsgpackCodec.encode(2.5));
      assertThat(byName.get("info.label")).isEqualTo(MsgpackCodec.encode("e2.5"));
    }
  }

  @Test
  void readsBackRowsWithFieldsInBytewiseOrderAndProjections() throws IOException {
    try (RedisTable t = fresh()) {
      Map<String, Object> r = row(3.0);
      r.put("cell", List.of(1.0, 2.0));
      t.extend(List.of(r));
      Map<String, Object> back = t.get(0);
      assertThat(back.keySet()).containsExactly("arrays.numbers", "calc.energy", "cell", "info.label");
      assertThat(back).isEqualTo(Map.of("arrays.numbers", new NdArray("<i8", new long[] {2}, new byte[16]),
          "calc.energy", 3.0, "cell", List.of(1.0, 2.0), "info.label", "e3.0"));
      assertThat(t.get(0, List.of("calc.energy", "missing"))).isEqualTo(Map.of("calc.energy", 3.0));
      assertThat(t.keys()).containsExactly("arrays.numbers", "calc.energy", "cell", "info.label");
    }
  }

  @Test
  void indicesShiftOnDeleteAndInsertWhileSortKeysStay() throws IOException {
    try (RedisTable t = fresh()) {
      t.extend(List.of(row(0), row(1), row(2), row(3), row(4)));
      t.delete(1);
      assertThat(energies(t)).containsExactly(0.0, 2.0, 3.0, 4.0);
      assertThat(t.sortKeys()).containsExactly(0, 2, 3, 4);
      t.insert(1, row(9));
      assertThat(energies(t)).containsExactly(0.0, 9.0, 2.0, 3.0, 4.0);
      assertThat(t.sortKeys()).containsExactly(0, 5, 2, 3, 4);
      t.insert(0, row(8));
      t.insert(t.size(), row(7));
      assertThat(t.sortKeys()).containsExactly(6, 0, 5, 2, 3, 4, 7);
      t.delete(2, 5);
      assertThat(energies(t)).containsExactly(8.0, 0.0, 4.0, 7.0);
      assertThat(t.sortKeys()).containsExactly(6, 0, 4, 7);
      t.delete(0, 4);
      assertThat(t.size()).isZero();
    }
  }

  @Test
  void setUpdateDropKeysReserveAndClear() throws IOException {
    try (RedisTable t = fresh()) {
      t.extend(List.of(row(0), row(1)));
      t.set(0, Map.of("calc.energy", 5.0));
      assertThat(t.get(0)).isEqualTo(Map.of("calc.energy", 5.0)); // whole row replaced
      t.update(1, Map.of("calc.energy", 6.0, "info.new", 1L));
      assertThat(t.get(1)).containsEntry("calc.energy", 6.0).containsEntry("info.new", 1L).containsEntry("info.label", "e1.0");
      t.set(4, row(4)); // past the end: placeholders up to it
      assertThat(energies(t)).containsExactly(5.0, 6.0, null, null, 4.0);
      assertThat(t.get(2)).isNull();
      t.reserve(2);
      assertThat(t.size()).isEqualTo(7);
      t.set(1, null);
      assertThat(t.get(1)).isNull();
      t.dropKeys(List.of("info.label"));
      assertThat(t.get(4)).doesNotContainKey("info.label").containsKey("calc.energy");
      t.clear();
      assertThat(t.size()).isZero();
      t.extend(List.of(row(1)));
      assertThat(t.sortKeys()).containsExactly(0); // the counter was reset, as asebytes' clear does
    }
  }

  @Test
  void listsGroupsOfItsDatabase() throws IOException {
    String a = server.address(3, "alpha");
    try (RedisTable t1 = RedisTable.open(a); RedisTable t2 = RedisTable.open(server.address(3, "beta"));
        RedisTable other = RedisTable.open(server.address(4, "gamma"))) {
      t1.extend(List.of(row(1)));
      t2.reserve(1);
      other.reserve(1);
      assertThat(RedisTable.listGroups(a)).containsExactly("alpha", "beta");
    }
  }

  @Test
  void aCorruptValueIsACheckedErrorNamingStoreRowAndField() throws IOException {
    try (RedisTable t = fresh(); RedisClient r = raw()) {
      t.extend(List.of(row(1), row(2)));
      r.hset((t.address().group() + ":row:1").getBytes(StandardCharsets.UTF_8),
          "calc.energy".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xcb, 1, 2});
      assertThatThrownBy(() -> t.get(1)).isInstanceOf(MsgpackFormatException.class)
          .hasMessageContaining(t.source()).hasMessageContaining("row 1").hasMessageContaining("calc.energy");
      assertThat(t.get(0)).containsEntry("calc.energy", 1.0);
    }
  }

  @Test
  void outOfRangeIndicesAndBadAddresses() throws IOException {
    try (RedisTable t = fresh()) {
      t.extend(List.of(row(1)));
      assertThatThrownBy(() -> t.get(1)).isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> t.get(-1)).isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> t.delete(0, 2)).isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> t.insert(3, row(0))).isInstanceOf(IndexOutOfBoundsException.class);
      assertThat(t.size()).isEqualTo(1);
    }
    assertThatThrownBy(() -> RedisTable.open("redis://127.0.0.1:" + server.port() + "/0/a/b"))
        .isInstanceOf(MalformedURLException.class).hasMessageContaining("'a/b' contains '/'");
    assertThatThrownBy(() -> RedisTable.open("redis://127.0.0.1:1/0/g")).isInstanceOf(IOException.class)
        .hasMessageContaining("redis://127.0.0.1:1/0/g");
  }

  @Test
  void parsesAddresses() throws MalformedURLException {
    assertThat(RedisAddress.parse("redis://h")).isEqualTo(new RedisAddress("redis://h", "h", 6379, 0, "default"));
    assertThat(RedisAddress.parse("redis://h:7/2")).isEqualTo(new RedisAddress("redis://h:7/2", "h", 7, 2, "default"));
    assertThat(RedisAddress.parse("redis://h:7/train")).isEqualTo(new RedisAddress("redis://h:7/train", "h", 7, 0, "train"));
    assertThat(RedisAddress.parse("redis://h:7/1/train/")).isEqualTo(new RedisAddress("redis://h:7/1/train/", "h", 7, 1, "train"));
  }

  @Test
  void readsOnManyThreadsAtOnce() throws Exception {
    try (RedisTable t = fresh()) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (int i = 0; i < 200; i++) rows.add(row(i));
      t.extend(rows);
      List<Thread> threads = new ArrayList<>();
      List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
      for (int k = 0; k < 4; k++) {
        int seed = k;
        threads.add(Thread.ofPlatform().start(() -> {
          try {
            for (int i = 0; i < 200; i++) {
              int idx = (i * 37 + seed * 11) % 200;
              assertThat(t.get(idx)).containsEntry("calc.energy", (double) idx);
            }
          } catch (Throwable e) {
            failures.add(e);
          }
        }));
      }
      for (Thread th : threads) th.join();
      assertThat(failures).isEmpty();
    }
  }
}
