package org.atomstore.data.lmdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.atomstore.data.BlobTable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lmdbjava.ByteArrayProxy;
import org.lmdbjava.CursorIterable;
import org.lmdbjava.Dbi;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.Txn;

/**
 * What the writer stores reads back as asebytes read the originals: every shared store's rows copied through
 * {@code extend} into a new store dump to the original's expected JSON; where the original was written by
 * {@code extend} alone (sort keys 0..n-1), the copy's LMDB keys and values are byte for byte the original's.
 */
class LmdbWriterTest {

  @TempDir Path tmp;

  static List<Path> stores() throws IOException { return LmdbTestSupport.stores(); }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void copyThroughTheWriterReadsBackAsTheOriginal(Path store) throws IOException {
    // -Datomstore.lmdbCopies=DIR keeps the copies for a side-by-side check with the real asebytes (peers/asebytes_dump.py).
    String keep = System.getProperty("atomstore.lmdbCopies");
    Path copy = (keep != null ? Path.of(keep) : tmp).resolve(store.getFileName());
    boolean blob = LmdbTestSupport.expected(store).get("view").asText().equals("blob");
    for (String group : AsebytesLmdb.listGroups(store)) {
      if (blob) copyBlobs(store, copy, group);
      else copyObjects(store, copy, group);
    }
    assertThat(LmdbTestSupport.firstDifference(LmdbTestSupport.expected(store), LmdbTestSupport.dump(copy, null), ""))
        .isNull();
    int compared = 0;
    List<String> groups = AsebytesLmdb.listGroups(store);
    for (String group : groups) {
      Map<String, String> original = rawKeyValues(store.resolve(group));
      if (original.isEmpty() || writtenByExtendAlone(original)) {
        assertThat(rawKeyValues(copy.resolve(group))).as(group).isEqualTo(original);
        compared++;
      }
    }
    // Only these stores were edited after their extends (inserts, deletes, appends of single rows).
    if (!List.of("blobs.lmdb", "blocks.lmdb", "edited.lmdb").contains(store.getFileName().toString())) {
      assertThat(compared).isEqualTo(groups.size());
    }
  }

  private static void copyObjects(Path from, Path to, String group) throws IOException {
    try (var src = AsebytesLmdb.openObjects(from, group, AsebytesLmdb.Mode.READ_ONLY);
        var dst = AsebytesLmdb.openObjects(to, group, AsebytesLmdb.Mode.READ_WRITE)) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (long i = 0; i < src.size(); i++) rows.add(src.get(i));
      dst.extend(rows);
      assertThat(dst.size()).isEqualTo(src.size());
    }
  }

  private static void copyBlobs(Path from, Path to, String group) throws IOException {
    try (var src = AsebytesLmdb.openBlobs(from, group, AsebytesLmdb.Mode.READ_ONLY);
        var dst = AsebytesLmdb.openBlobs(to, group, AsebytesLmdb.Mode.READ_WRITE)) {
      List<List<BlobTable.Field>> rows = new ArrayList<>();
      for (long i = 0; i < src.size(); i++) rows.add(src.get(i));
      dst.extend(rows);
    }
  }

  /** Sort keys 0..n-1 in order and next sort key n: what one or more plain extends leave. */
  private static boolean writtenByExtendAlone(Map<String, String> kv) {
    String count = kv.get(hex("__meta__count"));
    if (count == null) return false;
    long n = Long.parseLong(new String(HexFormat.of().parseHex(count)));
    String next = kv.get(hex("__meta__next_sort_key"));
    if (next == null || Long.parseLong(new String(HexFormat.of().parseHex(next))) != n) return false;
    StringBuilder expectedKeys = new StringBuilder();
    String sizes = kv.getOrDefault(hex("__blk_sizes__"), "");
    for (int b = 0; b * 8 < sizes.length(); b++) expectedKeys.append(kv.get(HexFormat.of().formatHex(LmdbGroup.blockKey(b))));
    StringBuilder identity = new StringBuilder();
    for (long i = 0; i < n; i++) {
      identity.append(HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(i).array()));
    }
    return expectedKeys.toString().equals(identity.toString());
  }

  private static String hex(String s) { return HexFormat.of().formatHex(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII)); }

  /** Every key and value of an LMDB environment as hex, read without a lock file. */
  static Map<String, String> rawKeyValues(Path env) {
    Map<String, String> out = new TreeMap<>();
    try (Env<byte[]> e = Env.create(ByteArrayProxy.PROXY_BA).setMapSize(LmdbGroup.MAP_SIZE).setMaxDbs(1)
        .open(env.toFile(), EnvFlags.MDB_RDONLY_ENV, EnvFlags.MDB_NOLOCK);
        Txn<byte[]> txn = e.txnRead()) {
      Dbi<byte[]> db = e.openDbi(txn, null, null, false);
      try (CursorIterable<byte[]> it = db.iterate(txn)) {
        for (var kv : it) out.put(HexFormat.of().formatHex(kv.key()), HexFormat.of().formatHex(kv.val()));
      }
    }
    return out;
  }

  static boolean exists(Path p) { return Files.exists(p); }
}
