package org.atomstore.data.lmdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.atomstore.data.BlobTable;
import org.atomstore.model.NdArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** asebytes' semantics of reads and mutations on one group, checked against a plain list model. */
class LmdbObjectTableTest {

  @TempDir Path tmp;

  private static Map<String, Object> row(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }

  /** Keys in schema (bytewise) order, as asebytes returns them. */
  private static Map<String, Object> sorted(Map<String, Object> m) {
    if (m == null || m.isEmpty()) return null;
    Map<String, Object> out = new LinkedHashMap<>();
    m.keySet().stream().sorted((a, b) -> java.util.Arrays.compareUnsigned(a.getBytes(), b.getBytes()))
        .forEach(k -> out.put(k, m.get(k)));
    return out;
  }

  private static void assertSameRows(LmdbObjectTable t, List<Map<String, Object>> model) throws IOException {
    assertThat(t.size()).isEqualTo(model.size());
    for (int i = 0; i < model.size(); i++) {
      Map<String, Object> got = t.get(i);
      assertThat(got).as("row " + i).isEqualTo(sorted(model.get(i)));
      if (got != null) assertThat(new ArrayList<>(got.keySet())).as("key order of row " + i).isEqualTo(new ArrayList<>(sorted(model.get(i)).keySet()));
    }
  }

  /**
   * One sequence of every mutation (the same as /tmp-side Python script in the report, which gave byte-identical
   * LMDB contents with real asebytes 0.3.2); -Datomstore.lmdbCopies=DIR keeps the store as DIR/mutations.lmdb.
   */
  @Test
  void mutationsFollowAsebytesIndicesShiftSortKeysDoNot() throws IOException {
    String keep = System.getProperty("atomstore.lmdbCopies");
    Path store = (keep != null ? Path.of(keep) : tmp).resolve("mutations.lmdb");
    List<Map<String, Object>> model = new ArrayList<>();
    try (LmdbObjectTable t = AsebytesLmdb.openObjects(store, "default", AsebytesLmdb.Mode.READ_WRITE)) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (long i = 0; i < 1100; i++) rows.add(row("x", i));
      t.extend(rows);
      model.addAll(rows);
      assertThat(sizes(t)).containsExactly(1024, 76);

      t.insert(3, row("x", -1L));          // block 0 overflows: 1025 -> 512 + 513
      model.add(3, row("x", -1L));
      assertThat(sizes(t)).containsExactly(512, 513, 76);
      assertThat(t.get(3)).isEqualTo(row("x", -1L));

      t.delete(511);                         // the end of block 0
      model.remove(511);
      t.delete(0);                           // the front
      model.remove(0);
      assertThat(sizes(t)).containsExactly(510, 513, 76);

      t.insert(t.size() - 3, row("y", "s"));
      model.add(model.size() - 3, row("y", "s"));
      t.set(5, row("z", 1.5));               // whole-row overwrite drops x
      model.set(5, row("z", 1.5));
      t.update(6, row("w", List.of(1L, 2L)));
      model.get(6).put("w", List.of(1L, 2L));
      long past = t.size() + 2;
      t.set(past, row("x", 99L));            // two placeholders first
      model.add(null);
      model.add(null);
      model.add(row("x", 99L));
      t.delete(10, 20);
      for (int k = 0; k < 10; k++) model.remove(10);
      t.dropKeys(List.of("w", "y"));
      for (Map<String, Object> m : model) if (m != null) { m.remove("w"); m.remove("y"); }
      t.reserve(3);
      for (int k = 0; k < 3; k++) model.add(null);
      t.set(1, null);
      model.set(1, null);
      t.insert(t.size(), row("v", new NdArray("<f8", new long[] {0, 3}, new byte[0])));
      model.add(row("v", new NdArray("<f8", new long[] {0, 3}, new byte[0])));

      assertSameRows(t, model);
      assertThat(t.keys()).containsExactly("v", "w", "x", "y", "z"); // the schema never shrinks
      Map<String, String> kv = LmdbWriterTest.rawKeyValues(store.resolve("default"));
      // 1100 + insert + insert + set past end (3) + reserve (3) + insert = 1109 sort keys handed out, none reused
      assertThat(new String(HexFormat.of().parseHex(kv.get(hex("__meta__next_sort_key"))))).isEqualTo("1109");
      assertThat(new String(HexFormat.of().parseHex(kv.get(hex("__meta__count"))))).isEqualTo(Long.toString(model.size()));
      // the deleted rows' field keys are gone: field keys = fields of live rows
      long fieldKeys = kv.keySet().stream().filter(k -> !new String(HexFormat.of().parseHex(k)).startsWith("__")).count();
      long fields = model.stream().filter(m -> m != null).mapToLong(Map::size).sum();
      assertThat(fieldKeys).isEqualTo(fields);
    }
    // reopened read-only it reads the same
    try (LmdbObjectTable t = AsebytesLmdb.openObjects(store, "default", AsebytesLmdb.Mode.READ_ONLY)) {
      assertSameRows(t, model);
      assertThatThrownBy(() -> t.delete(0)).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void clearRemovesEveryRowButNotTheSortKeyCounter() throws IOException {
    Path store = tmp.resolve("c.lmdb");
    try (LmdbObjectTable t = AsebytesLmdb.openObjects(store, "g", AsebytesLmdb.Mode.READ_WRITE)) {
      t.extend(List.of(row("a", 1L), row("a", 2L)));
      t.clear();
      assertThat(t.size()).isZero();
      Map<String, String> kv = LmdbWriterTest.rawKeyValues(store.resolve("g"));
      assertThat(kv).doesNotContainKey(hex("__blk_sizes__")).doesNotContainKey(HexFormat.of().formatHex(LmdbGroup.blockKey(0)));
      assertThat(kv.get(hex("__blk_count__"))).isEqualTo("00000000");
      t.extend(List.of(row("a", 3L)));
      assertThat(t.get(0)).isEqualTo(row("a", 3L));
      assertThat(LmdbWriterTest.rawKeyValues(store.resolve("g"))).containsKey(hex("2-a"));
    }
    assertThat(AsebytesLmdb.listGroups(store)).containsExactly("g");
  }

  @Test
  void misuseIsAnIllegalArgumentOrIndexError() throws IOException {
    try (LmdbObjectTable t = AsebytesLmdb.openObjects(tmp.resolve("m.lmdb"), "default", AsebytesLmdb.Mode.READ_WRITE)) {
      t.extend(List.of(row("a", 1L)));
      assertThatThrownBy(() -> t.get(1)).isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> t.update(1, row("a", 2L))).isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> t.insert(3, row("a", 2L))).isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> t.delete(0, 2)).isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> t.set(0, row("a\nb", 1L))).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> t.set(0, row("a", new Object()))).isInstanceOf(IllegalArgumentException.class);
      assertThat(t.get(0)).isEqualTo(row("a", 1L)); // nothing half-written
    }
  }

  @Test
  void groupNamesThatLeaveTheStoreAreRefused() {
    for (String bad : List.of("a/b", "..", "../x", "x/..", ".", "", "a\\b", "a\0b")) {
      assertThatThrownBy(() -> AsebytesLmdb.openObjects(tmp.resolve("s.lmdb"), bad, AsebytesLmdb.Mode.READ_WRITE))
          .as(bad).isInstanceOf(FileSystemException.class).hasMessageContaining("s.lmdb").hasMessageContaining("invalid group name");
    }
    assertThat(tmp.resolve("s.lmdb")).doesNotExist();
  }

  @Test
  void listsGroupsAndReadsProjectionsAndColumns() throws IOException {
    Path groups = LmdbTestSupport.corpus().resolve("groups.lmdb");
    assertThat(AsebytesLmdb.listGroups(groups)).containsExactly("default", "empty", "test", "train", "val");
    try (LmdbObjectTable e = AsebytesLmdb.openObjects(groups, "empty", AsebytesLmdb.Mode.READ_ONLY)) {
      assertThat(e.size()).isZero();
      assertThat(e.keys()).isEmpty();
    }
    Path mol = LmdbTestSupport.corpus().resolve("molecules.lmdb");
    try (LmdbObjectTable t = AsebytesLmdb.openObjects(mol, "default", AsebytesLmdb.Mode.READ_ONLY)) {
      Map<String, Object> whole = t.get(1);
      Map<String, Object> some = t.get(1, List.of("info.name", "cell", "no.such.key"));
      assertThat(new ArrayList<>(some.keySet())).containsExactly("cell", "info.name");
      assertThat(some.get("info.name")).isEqualTo(whole.get("info.name"));
      assertThat((NdArray) some.get("cell")).isEqualTo(whole.get("cell"));
      List<Object> energies = t.column("calc.energy");
      assertThat(energies).hasSize(20);
      for (int i = 0; i < 20; i++) assertThat(energies.get(i)).isEqualTo(t.get(i).get("calc.energy"));
      assertThat(t.keys(1)).isEqualTo(new ArrayList<>(whole.keySet()));
      List<Map<String, Object>> batch = t.get(new long[] {3, 1, 3});
      assertThat(batch).containsExactly(t.get(3), whole, t.get(3));
    }
  }

  @Test
  void readOnlyOpensWriteNothingNotEvenALockFile() throws Exception {
    Path copy = tmp.resolve("molecules.lmdb");
    Files.createDirectories(copy.resolve("default"));
    Files.copy(LmdbTestSupport.corpus().resolve("molecules.lmdb/default/data.mdb"), copy.resolve("default/data.mdb"));
    FileTime before = FileTime.fromMillis(1_000_000_000_000L);
    Files.setLastModifiedTime(copy.resolve("default/data.mdb"), before);
    String digest = sha256(copy.resolve("default/data.mdb"));
    try (LmdbObjectTable t = AsebytesLmdb.openObjects(copy, "default", AsebytesLmdb.Mode.READ_ONLY)) {
      for (long i = 0; i < t.size(); i++) t.get(i);
      t.column("calc.energy");
    }
    AsebytesDump.write(copy, null, new java.io.StringWriter());
    try (Stream<Path> files = Files.list(copy.resolve("default"))) {
      assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("data.mdb");
    }
    assertThat(Files.getLastModifiedTime(copy.resolve("default/data.mdb"))).isEqualTo(before);
    assertThat(sha256(copy.resolve("default/data.mdb"))).isEqualTo(digest);
  }

  @Test
  void blobTablesKeepNonUtf8NamesAndRawValues() throws IOException {
    Path store = tmp.resolve("b.lmdb");
    byte[] key = {(byte) 0xff, 0, 'b', 'i', 'n', '-', 'k'};
    try (LmdbBlobTable t = AsebytesLmdb.openBlobs(store, "default", AsebytesLmdb.Mode.READ_WRITE)) {
      t.extend(List.of(List.of(new BlobTable.Field(key, new byte[] {1, 2}), new BlobTable.Field("a".getBytes(), new byte[] {1})),
          List.of(new BlobTable.Field("e".getBytes(), new byte[0]))));
      t.insert(0, null);
      assertThat(t.get(0)).isNull();
      assertThat(t.get(1)).containsExactly(new BlobTable.Field("a".getBytes(), new byte[] {1}), new BlobTable.Field(key, new byte[] {1, 2}));
      assertThat(t.get(2)).containsExactly(new BlobTable.Field("e".getBytes(), new byte[0]));
      assertThat(t.keys()).containsExactly("a".getBytes(), "e".getBytes(), key);
      assertThat(t.get(1, List.of(key))).containsExactly(new BlobTable.Field(key, new byte[] {1, 2}));
    }
    // read as objects, the non-UTF-8 name is corrupt input naming store, row and field
    try (LmdbObjectTable o = AsebytesLmdb.openObjects(store, "default", AsebytesLmdb.Mode.READ_ONLY)) {
      assertThatThrownBy(() -> o.get(1)).isInstanceOf(org.atomstore.store.CorruptFileException.class)
          .hasMessageContaining("b.lmdb").hasMessageContaining("row 1").hasMessageContaining("ff0062696e2d6b");
    }
  }

  private static List<Integer> sizes(LmdbObjectTable t) {
    Map<String, String> kv = LmdbWriterTest.rawKeyValues(t.directory());
    byte[] s = HexFormat.of().parseHex(kv.get(hex("__blk_sizes__")));
    var b = java.nio.ByteBuffer.wrap(s).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    List<Integer> out = new ArrayList<>();
    while (b.hasRemaining()) out.add(b.getInt());
    return out;
  }

  static String hex(String s) { return HexFormat.of().formatHex(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)); }

  private static String sha256(Path p) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
  }

  static Map<String, Object> unused = new HashMap<>();
}
