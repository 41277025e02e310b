package org.atomstore.data.lmdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.atomstore.store.CorruptFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmdbjava.ByteArrayProxy;
import org.lmdbjava.Dbi;
import org.lmdbjava.Env;
import org.lmdbjava.Txn;

/** Damaged or hostile asebytes stores give a CorruptFileException naming the store, and the row and field where one applies. */
class LmdbCorruptInputTest {

  @TempDir Path tmp;
  private int copies;

  /** A private copy of a shared store's default group, changed by {@code edit} through raw LMDB writes. */
  private Path damaged(String store, Consumer<RawEdit> edit) throws IOException {
    Path copy = tmp.resolve("copy" + copies++).resolve(store);
    Files.createDirectories(copy.resolve("default"));
    Files.copy(LmdbTestSupport.corpus().resolve(store).resolve("default/data.mdb"), copy.resolve("default/data.mdb"));
    if (edit != null) {
      try (Env<byte[]> env = Env.create(ByteArrayProxy.PROXY_BA).setMapSize(LmdbGroup.MAP_SIZE).setMaxDbs(1)
          .open(copy.resolve("default").toFile());
          Txn<byte[]> txn = env.txnWrite()) {
        Dbi<byte[]> db = env.openDbi(txn, null, null, false);
        edit.accept(new RawEdit(db, txn));
        txn.commit();
      }
    }
    return copy;
  }

  record RawEdit(Dbi<byte[]> db, Txn<byte[]> txn) {
    void put(String key, byte[] value) { db.put(txn, key.getBytes(StandardCharsets.ISO_8859_1), value); }
    void put(byte[] key, byte[] value) { db.put(txn, key, value); }
    void delete(byte[] key) { db.delete(txn, key); }
  }

  private static byte[] u32(long... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (long x : v) b.putInt((int) x);
    return b.array();
  }

  private static LmdbObjectTable open(Path store) throws IOException {
    return AsebytesLmdb.openObjects(store, "default", AsebytesLmdb.Mode.READ_ONLY);
  }

  @Test
  void corruptMsgpackValueNamesStoreRowAndField() throws IOException {
    // molecules.lmdb is written by extend: row 3 has sort key 3
    Path store = damaged("molecules.lmdb", e -> e.put("3-arrays.positions", new byte[] {(byte) 0xdd, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}));
    try (LmdbObjectTable t = open(store)) {
      assertThat(t.get(2)).isNotNull();
      assertThatThrownBy(() -> t.get(3)).isInstanceOf(CorruptFileException.class)
          .hasMessageContaining("molecules.lmdb").hasMessageContaining("row 3").hasMessageContaining("'arrays.positions'")
          .hasMessageContaining("array count");
      assertThatThrownBy(() -> t.get(3, java.util.List.of("arrays.positions"))).isInstanceOf(CorruptFileException.class)
          .hasMessageContaining("row 3");
      assertThatThrownBy(() -> t.column("arrays.positions")).isInstanceOf(CorruptFileException.class)
          .hasMessageContaining("row 3").hasMessageContaining("'arrays.positions'");
    }
    // a truncated value and an ndarray whose data does not fit its shape
    Path store2 = damaged("molecules.lmdb", e -> {
      e.put("4-cell", new byte[] {(byte) 0xcb, 0x3f});
      e.put("5-pbc", java.util.HexFormat.of().parseHex(
          "85c4026e64c3c40474797065a37c6231c4046b696e64c400c40573686170659104c40464617461c403000000"));
    });
    try (LmdbObjectTable t = open(store2)) {
      assertThatThrownBy(() -> t.get(4)).isInstanceOf(CorruptFileException.class).hasMessageContaining("row 4").hasMessageContaining("'cell'");
      assertThatThrownBy(() -> t.get(5)).isInstanceOf(CorruptFileException.class).hasMessageContaining("row 5").hasMessageContaining("'pbc'");
    }
  }

  @Test
  void fieldKeysOutsideTheSchemaAreNotPartOfTheRowAsInAsebytes() throws IOException {
    // asebytes fetches exactly "sk-" + each __schema__ name: keys of other names (here before, among and after
    // the schema's, one not even msgpack) are not part of the row
    Path clean = damaged("molecules.lmdb", null);
    Path store = damaged("molecules.lmdb", e -> {
      e.put("3-0early", new byte[] {1});
      e.put("3-arrays.zz", new byte[] {(byte) 0xc1});
      e.put("3-~late", new byte[] {2});
    });
    try (LmdbObjectTable a = open(clean); LmdbObjectTable t = open(store)) {
      assertThat(t.keys(3)).isEqualTo(a.keys(3)).isNotEmpty().doesNotContain("0early", "arrays.zz", "~late");
      assertThat(t.get(3).keySet()).containsExactlyElementsOf(a.get(3).keySet());
      assertThat(t.get(4)).isNotNull().containsOnlyKeys(a.get(4).keySet());
    }
  }

  @Test
  void truncatedDataFileIsRefusedBeforeLmdbMapsIt() throws IOException {
    for (long keep : new long[] {0, 100, 4096 + 50, -4096}) {
      Path store = damaged("large_5000.lmdb", null);
      Path data = store.resolve("default/data.mdb");
      try (RandomAccessFile f = new RandomAccessFile(data.toFile(), "rw")) {
        f.setLength(keep >= 0 ? keep : f.length() + keep);
      }
      assertThatThrownBy(() -> open(store)).as("kept " + keep).isInstanceOf(CorruptFileException.class)
          .hasMessageContaining("large_5000.lmdb").hasMessageContaining("truncated");
    }
  }

  @Test
  void hostileBlockCountAndSizesAreBoundedByTheBytesThere() throws IOException {
    Path count = damaged("blocks.lmdb", e -> e.put("__blk_count__", u32(0xffffffffL)));
    assertThatThrownBy(() -> open(count)).isInstanceOf(CorruptFileException.class)
        .hasMessageContaining("blocks.lmdb").hasMessageContaining("__blk_sizes__");

    Path sizes = damaged("blocks.lmdb", e -> e.put("__blk_sizes__", u32(511, 0xffffffffL, 76)));
    assertThatThrownBy(() -> open(sizes)).isInstanceOf(CorruptFileException.class)
        .hasMessageContaining("index block 1").hasMessageContaining("4294967295");

    Path total = damaged("blocks.lmdb", e -> e.put("__meta__count", "99999".getBytes()));
    assertThatThrownBy(() -> open(total)).isInstanceOf(CorruptFileException.class).hasMessageContaining("__meta__count");

    Path text = damaged("blocks.lmdb", e -> e.put("__meta__count", "-1".getBytes()));
    assertThatThrownBy(() -> open(text)).isInstanceOf(CorruptFileException.class).hasMessageContaining("not a decimal");
  }

  @Test
  void missingBlockIsNamed() throws IOException {
    Path store = damaged("blocks.lmdb", e -> e.delete(LmdbGroup.blockKey(1)));
    assertThatThrownBy(() -> open(store)).isInstanceOf(CorruptFileException.class)
        .hasMessageContaining("blocks.lmdb").hasMessageContaining("index block 1 of 3 is missing");
  }

  @Test
  void notAnLmdbFileIsCorruptInput() throws IOException {
    Path store = tmp.resolve("x.lmdb");
    Files.createDirectories(store.resolve("default"));
    Files.write(store.resolve("default/data.mdb"), new byte[16384]);
    assertThatThrownBy(() -> open(store)).isInstanceOf(CorruptFileException.class).hasMessageContaining("not an LMDB data file");
    assertThatThrownBy(() -> AsebytesLmdb.openObjects(store, "nosuch", AsebytesLmdb.Mode.READ_ONLY))
        .isInstanceOf(java.nio.file.NoSuchFileException.class);
  }
}
