package org.atomstore.data.lmdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.atomstore.data.AseFrames;
import org.atomstore.data.internal.MsgpackCodec;
import org.atomstore.data.lmdb.internal.ReadOnlyLmdb;
import org.atomstore.io.ase.AseAtoms;
import org.atomstore.io.ase.PyValue;
import org.atomstore.model.NdArray;
import org.atomstore.store.CorruptFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmdbjava.ByteArrayProxy;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.Txn;

/**
 * The read-only path through liblmdb bound with java.lang.foreign ({@link ReadOnlyLmdb}): it reads what lmdbjava
 * reads, byte for byte, from every shared store; {@link LmdbObjectTable#atoms} equals the object tier's
 * structures; damage LMDB reports is a checked exception; close may race with reads.
 */
class LmdbNativeReadTest {

  @TempDir Path tmp;

  private static List<Path> groupDirs() throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path store : LmdbTestSupport.stores()) {
      for (String g : AsebytesLmdb.listGroups(store)) out.add(store.resolve(g));
    }
    return out;
  }

  @Test
  void everyKeyAndValueOfEverySharedStoreEqualsWhatLmdbjavaReads() throws IOException {
    int groups = 0;
    for (Path dir : groupDirs()) {
      List<byte[]> expected = new ArrayList<>();
      try (Env<byte[]> env = Env.create(ByteArrayProxy.PROXY_BA).setMapSize(LmdbGroup.MAP_SIZE).setMaxDbs(1)
          .open(dir.toFile(), EnvFlags.MDB_RDONLY_ENV, EnvFlags.MDB_NOLOCK, EnvFlags.MDB_NOTLS);
          Txn<byte[]> txn = env.txnRead()) {
        Dbi<byte[]> db = env.openDbi(txn, null, null, false);
        try (Cursor<byte[]> c = db.openCursor(txn)) {
          for (boolean ok = c.first(); ok; ok = c.next()) {
            expected.add(c.key());
            expected.add(c.val());
          }
        }
      }
      LmdbFiles.Whole whole = LmdbFiles.checkWhole(dir.resolve("data.mdb"));
      List<byte[]> actual = new ArrayList<>();
      try (ReadOnlyLmdb ro = ReadOnlyLmdb.open(dir, whole.size(), whole.pageSize(), LmdbGroup.MAP_SIZE)) {
        ReadOnlyLmdb.Reader r = ro.reader();
        MemorySegment map = ro.map();
        for (boolean ok = r.seek(new byte[] {0}); ok; ok = r.next()) { // LMDB refuses an empty key; none is smaller
          actual.add(map.asSlice(r.keyOffset(), r.keyLength()).toArray(ValueLayout.JAVA_BYTE));
          actual.add(map.asSlice(r.valueOffset(), r.valueLength()).toArray(ValueLayout.JAVA_BYTE));
          // a lookup of the same key finds the same value
          byte[] k = actual.get(actual.size() - 2);
          assertThat(r.getBytes(k)).isEqualTo(actual.getLast());
        }
      }
      assertThat(actual).as(dir.toString()).hasSameSizeAs(expected);
      for (int k = 0; k < actual.size(); k++) {
        assertThat(actual.get(k)).as(dir + " entry " + k / 2 + (k % 2 == 0 ? " key" : " value")).isEqualTo(expected.get(k));
      }
      groups++;
    }
    assertThat(groups).isGreaterThan(10);
  }

  @Test
  void atomsOfEveryRowEqualTheObjectTiersStructureOrError() throws IOException {
    int compared = 0;
    for (Path dir : groupDirs()) {
      Path store = dir.getParent();
      String group = dir.getFileName().toString();
      try (LmdbObjectTable t = AsebytesLmdb.openObjects(store, group, AsebytesLmdb.Mode.READ_ONLY)) {
        for (long i = 0; i < t.size(); i++) {
          AseAtoms viaRows;
          String rowsError = null;
          try {
            viaRows = AseFrames.toAtoms(t.get(i), i);
          } catch (IOException | RuntimeException e) {
            viaRows = null;
            rowsError = e.getClass().getName() + ": " + e.getMessage();
          }
          AseAtoms direct;
          String directError = null;
          try {
            direct = t.atoms(i);
          } catch (IOException | RuntimeException e) {
            direct = null;
            directError = e.getClass().getName() + ": " + e.getMessage();
          }
          String where = dir + " row " + i;
          assertThat(directError).as(where).isEqualTo(rowsError);
          if (rowsError == null) {
            assertThat(direct == null).as(where).isEqualTo(viaRows == null);
            if (direct != null) assertSame(where, direct, viaRows);
            compared++;
          }
        }
      }
    }
    assertThat(compared).isGreaterThan(5000);
  }

  private static void assertSame(String where, AseAtoms a, AseAtoms b) {
    assertThat(a.numbers()).as(where + " numbers").isEqualTo(b.numbers());
    assertThat(a.positions()).as(where + " positions").isEqualTo(b.positions());
    assertThat(a.cell()).as(where + " cell").isEqualTo(b.cell());
    assertThat(a.pbc()).as(where + " pbc").isEqualTo(b.pbc());
    assertThat(a.line()).isEqualTo(b.line());
    assertThat(a.hasCalculator()).as(where + " calculator").isEqualTo(b.hasCalculator());
    assertSameMap(where + " info", a.info(), b.info());
    assertSameMap(where + " arrays", a.arrays(), b.arrays());
    assertSameMap(where + " calc", a.results(), b.results());
    assertThat(a.constraints()).as(where + " constraints").hasSameSizeAs(b.constraints());
    for (int k = 0; k < a.constraints().size(); k++) assertSameValue(where + " constraint " + k, a.constraints().get(k), b.constraints().get(k));
  }

  private static void assertSameMap(String where, Map<String, ? extends PyValue> a, Map<String, ? extends PyValue> b) {
    assertThat(List.copyOf(a.keySet())).as(where).isEqualTo(List.copyOf(b.keySet()));
    for (String k : a.keySet()) assertSameValue(where + "." + k, a.get(k), b.get(k));
  }

  /** Records holding arrays compare them by reference; this compares what they hold. */
  private static void assertSameValue(String where, PyValue a, PyValue b) {
    switch (a) {
      case PyValue.NdArray x when b instanceof PyValue.NdArray y -> {
        assertThat(x.dtype()).as(where).isEqualTo(y.dtype());
        assertThat(x.shape()).as(where).isEqualTo(y.shape());
        assertThat(Arrays.deepEquals(new Object[] {x.data()}, new Object[] {y.data()})).as(where + " data").isTrue();
      }
      case PyValue.PyList x when b instanceof PyValue.PyList y -> {
        assertThat(x.items()).as(where).hasSameSizeAs(y.items());
        for (int k = 0; k < x.items().size(); k++) assertSameValue(where + "[" + k + "]", x.items().get(k), y.items().get(k));
      }
      case PyValue.PyDict x when b instanceof PyValue.PyDict y -> assertSameMap(where, x.entries(), y.entries());
      default -> assertThat(a).as(where).isEqualTo(b);
    }
  }

  @Test
  void ndViewAgreesWithDecodeOnEveryValueOfEverySharedStore() throws IOException {
    int views = 0;
    for (Path dir : groupDirs()) {
      try (LmdbBlobTable t = AsebytesLmdb.openBlobs(dir.getParent(), dir.getFileName().toString(), AsebytesLmdb.Mode.READ_ONLY)) {
        for (long i = 0; i < t.size(); i++) {
          var row = t.get(i);
          if (row == null) continue;
          for (var f : row) {
            MsgpackCodec.NdView v = MsgpackCodec.ndView(MemorySegment.ofArray(f.value()));
            if (v == null) continue;
            views++;
            Object decoded = MsgpackCodec.decode(f.value());
            assertThat(decoded).isInstanceOf(NdArray.class);
            NdArray a = (NdArray) decoded;
            assertThat(v.dtype()).isEqualTo(a.dtype());
            assertThat(v.shape()).isEqualTo(a.shape());
            assertThat(Arrays.copyOfRange(f.value(), (int) v.dataOffset(), (int) (v.dataOffset() + v.dataLength()))).isEqualTo(a.data());
          }
        }
      } catch (CorruptFileException e) {
        // blobs.lmdb holds non-msgpack values by design; the other stores decode
        assertThat(dir.toString()).contains("blobs");
      }
    }
    assertThat(views).isGreaterThan(1000);
  }

  @Test
  void ndViewLeavesAnythingButThePlainFormToDecode() throws Exception {
    byte[] plain = MsgpackCodec.encode(new NdArray("<f8", new long[] {2}, new byte[16]));
    assertThat(MsgpackCodec.ndView(MemorySegment.ofArray(plain))).isNotNull();
    // a trailing byte: decode refuses it, the view must not accept it
    byte[] trailing = Arrays.copyOf(plain, plain.length + 1);
    assertThat(MsgpackCodec.ndView(MemorySegment.ofArray(trailing))).isNull();
    assertThatThrownBy(() -> MsgpackCodec.decode(trailing)).hasMessageContaining("extra bytes");
    // data bytes short of the shape
    byte[] cut = HexFormat.of().parseHex("85c4026e64c3c40474797065a33c6638c4046b696e64c400c40573686170659102c40464617461c40800000000000000f03f");
    assertThat(MsgpackCodec.ndView(MemorySegment.ofArray(cut))).isNull();
    assertThatThrownBy(() -> MsgpackCodec.decode(cut)).hasMessageContaining("needs more than");
    // an uncommon dtype is left to decode (which reads it)
    byte[] odd = MsgpackCodec.encode(new NdArray("<U2", new long[] {1}, new byte[8]));
    assertThat(MsgpackCodec.ndView(MemorySegment.ofArray(odd))).isNull();
    assertThat(MsgpackCodec.decode(odd)).isEqualTo(new NdArray("<U2", new long[] {1}, new byte[8]));
  }

  @Test
  void columnsLookedUpInKeyOrderVisitKeysAsLmdbSortsThem() {
    SplittableRandom r = new SplittableRandom(7);
    for (int round = 0; round < 50; round++) {
      int n = 1 + r.nextInt(300);
      long bound = round % 3 == 0 ? 50 : round % 3 == 1 ? 100_000 : 1L << 40;
      long[] sks = r.longs(n, 0, bound).distinct().toArray();
      int[] order = LmdbGroup.keyOrder(sks);
      List<byte[]> keys = new ArrayList<>();
      for (int k : order) keys.add(LmdbGroup.concat(LmdbGroup.prefix(sks[k]), "calc.energy".getBytes(StandardCharsets.US_ASCII)));
      List<byte[]> sorted = new ArrayList<>(keys);
      sorted.sort(LmdbGroup.BYTEWISE);
      assertThat(keys).as("round " + round).containsExactlyElementsOf(sorted);
      assertThat(Arrays.stream(order).sorted().toArray()).isEqualTo(java.util.stream.IntStream.range(0, sks.length).toArray());
    }
    assertThat(LmdbGroup.prefix(0)).isEqualTo("0-".getBytes(StandardCharsets.US_ASCII));
    assertThat(LmdbGroup.prefix(1234567890123L)).isEqualTo("1234567890123-".getBytes(StandardCharsets.US_ASCII));
    assertThat(LmdbGroup.prefix(-1)).isEqualTo("18446744073709551615-".getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void aRootPageLmdbCallsCorruptIsACheckedErrorNamingTheFile() throws IOException {
    Path copy = tmp.resolve("molecules.lmdb");
    Files.createDirectories(copy.resolve("default"));
    Path data = copy.resolve("default/data.mdb");
    Files.copy(LmdbTestSupport.corpus().resolve("molecules.lmdb/default/data.mdb"), data);
    try (RandomAccessFile f = new RandomAccessFile(data.toFile(), "rw")) {
      ByteBuffer head = ByteBuffer.allocate(2 * 4096 + 160).order(ByteOrder.LITTLE_ENDIAN);
      f.getChannel().read(head, 0);
      int pageSize = head.getInt(16 + 24);
      // the current meta page (larger txnid) names the main database's root page
      int meta = Long.compareUnsigned(head.getLong(pageSize + 144), head.getLong(144)) > 0 ? pageSize : 0;
      long root = head.getLong(meta + 128);
      ByteBuffer flags = ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort(0, (short) 0);
      f.getChannel().write(flags, root * pageSize + 10); // neither branch nor leaf: LMDB says MDB_CORRUPTED
    }
    assertThatThrownBy(() -> AsebytesLmdb.openObjects(copy, "default", AsebytesLmdb.Mode.READ_ONLY))
        .isInstanceOf(CorruptFileException.class)
        .hasMessageContaining(data.toString())
        .hasMessageContaining("MDB_CORRUPTED");
  }

  @Test
  void aValueLengthPastTheFileIsRefusedBeforeItIsRead() throws IOException {
    // liblmdb takes an overflow value's length from its leaf node unchecked; read as given, this one would run past
    // the end of the mapped file (SIGBUS). Here: asebytes' index blocks of blocks.lmdb, values of several pages.
    Path copy = tmp.resolve("blocks.lmdb");
    Files.createDirectories(copy.resolve("default"));
    Path data = copy.resolve("default/data.mdb");
    Files.copy(LmdbTestSupport.corpus().resolve("blocks.lmdb/default/data.mdb"), data);
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(data)).order(ByteOrder.LITTLE_ENDIAN);
    int pageSize = b.getInt(16 + 24);
    int patched = 0;
    for (int p = 2; p < b.capacity() / pageSize; p++) { // every one: some pages are old versions no longer in the tree
      int page = p * pageSize;
      int flags = Short.toUnsignedInt(b.getShort(page + 10)), lower = Short.toUnsignedInt(b.getShort(page + 12));
      if ((flags & 0x02) == 0 || (flags & 0x20) != 0) continue; // leaf pages only (not LEAF2)
      for (int k = 0; k < (lower - 16) / 2; k++) {
        int node = page + Short.toUnsignedInt(b.getShort(page + 16 + 2 * k));
        if ((b.getShort(node + 4) & 0x01) != 0) { // F_BIGDATA: the value lives on overflow pages
          b.putShort(node, (short) 0xffff).putShort(node + 2, (short) 0x7fff); // size: 2 GiB
          patched++;
        }
      }
    }
    assertThat(patched).isPositive();
    Files.write(data, b.array());
    assertThatThrownBy(() -> {
      try (LmdbBlobTable t = AsebytesLmdb.openBlobs(copy, "default", AsebytesLmdb.Mode.READ_ONLY)) {
        for (long i = 0; i < t.size(); i++) t.get(i);
      }
    }).isInstanceOf(CorruptFileException.class).hasMessageContaining("outside the data file");
  }

  @Test
  void closingWhileOtherThreadsReadFailsTheirReadsCleanly() throws Exception {
    Path store = LmdbTestSupport.corpus().resolve("large_5000.lmdb");
    for (int round = 0; round < 5; round++) {
      LmdbObjectTable t = AsebytesLmdb.openObjects(store, "default", AsebytesLmdb.Mode.READ_ONLY);
      int threads = 4;
      CountDownLatch started = new CountDownLatch(threads);
      ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
      AtomicLong reads = new AtomicLong();
      List<Thread> ts = new ArrayList<>();
      for (int k = 0; k < threads; k++) {
        int kind = k;
        Thread th = Thread.ofPlatform().start(() -> {
          started.countDown();
          try {
            for (long i = 0; ; i = (i + 7919) % 5000) {
              switch (kind % 3) {
                case 0 -> t.atoms(i);
                case 1 -> t.get(i);
                default -> t.column("calc.energy", new long[] {i, (i + 1) % 5000});
              }
              reads.incrementAndGet();
            }
          } catch (IllegalStateException closed) {
            // what a read after close gets
          } catch (Throwable e) {
            unexpected.add(e);
          }
        });
        ts.add(th);
      }
      started.await();
      while (reads.get() < 200) Thread.onSpinWait();
      t.close();
      for (Thread th : ts) th.join(30_000);
      assertThat(ts).allMatch(th -> !th.isAlive());
      assertThat(unexpected).isEmpty();
      assertThatThrownBy(() -> t.get(0)).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void readOnlyReadsOfEveryKindLeaveTheDirectoryAsItWas() throws IOException {
    Path copy = tmp.resolve("variable_natoms.lmdb");
    Files.createDirectories(copy.resolve("default"));
    Path data = copy.resolve("default/data.mdb");
    Files.copy(LmdbTestSupport.corpus().resolve("variable_natoms.lmdb/default/data.mdb"), data);
    byte[] before = Files.readAllBytes(data);
    var mtime = Files.getLastModifiedTime(data);
    try (LmdbObjectTable t = AsebytesLmdb.openObjects(copy, "default", AsebytesLmdb.Mode.READ_ONLY)) {
      long[] all = new long[(int) t.size()];
      for (int i = 0; i < all.length; i++) {
        all[i] = i;
        t.atoms(i);
        t.get(i, List.of("calc.energy", "cell"));
        t.keys(i);
      }
      t.get(all);
      t.column("calc.energy");
    }
    try (Stream<Path> files = Files.list(copy.resolve("default"))) {
      assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("data.mdb");
    }
    assertThat(Files.readAllBytes(data)).isEqualTo(before);
    assertThat(Files.getLastModifiedTime(data)).isEqualTo(mtime);
  }
}
