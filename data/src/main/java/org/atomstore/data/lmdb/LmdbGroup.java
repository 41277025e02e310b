package org.atomstore.data.lmdb;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.lang.foreign.MemorySegment;
import org.atomstore.data.lmdb.internal.ReadOnlyLmdb;
import org.atomstore.store.CorruptFileException;
import org.lmdbjava.ByteArrayProxy;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.GetOp;
import org.lmdbjava.LmdbException;
import org.lmdbjava.Txn;

/**
 * One group of an asebytes LMDB store: one LMDB environment ({@code STORE/GROUP/data.mdb}) holding rows of
 * named byte values, with asebytes 0.3.2's keys (all in the one unnamed database, bytewise order):
 *
 * <pre>
 * __meta__count          --> ascii decimal row count
 * __meta__next_sort_key  --> ascii decimal, the next sort key handed out (only grows)
 * __schema__             --> field names ever written, sorted bytewise, joined by '\n'
 * __blk_count__          --> u32 LE number of index blocks
 * __blk_sizes__          --> u32 LE size of each block (absent when there are no blocks)
 * __blk__ u32LE(b)       --> u64 LE sort keys of block b's rows, in row order (at most 1024)
 * decimal(sortKey) '-' field --> the field's value
 * </pre>
 *
 * Rows are found through the blocks; a row with no field keys is a placeholder. Writes follow asebytes' own
 * (set, update, delete, insert, extend; blocks split at n // 2 past 1024, emptied blocks removed and later ones
 * renumbered), each in one LMDB write transaction.
 *
 * <p>Read-only groups are opened {@code MDB_RDONLY | MDB_NOLOCK} and write nothing, not even {@code lock.mdb}.
 * Thread contract: reads may run on any number of threads (each read is its own read transaction over an
 * immutable index snapshot); writes are serialized on this object; {@link #close()} must not race with either.
 */
final class LmdbGroup implements AutoCloseable {

  static final int BLOCK_SIZE = 1024;
  static final long MAP_SIZE = 10L << 30; // asebytes' default map_size (10 GiB); only used pages reach the file
  static final byte[] COUNT = ascii("__meta__count");
  static final byte[] NEXT_SORT_KEY = ascii("__meta__next_sort_key");
  static final byte[] SCHEMA = ascii("__schema__");
  static final byte[] BLK_COUNT = ascii("__blk_count__");
  static final byte[] BLK_SIZES = ascii("__blk_sizes__");
  static final byte[] BLK = ascii("__blk__");
  static final Comparator<byte[]> BYTEWISE = Arrays::compareUnsigned;
  /** LMDB's default key size limit. */
  static final int MAX_KEY = 511;

  /**
   * Receives a row's fields inside the read: {@code value} is a view of the value's bytes (in a read-only group
   * LMDB's map itself), valid only during the call: a sink that keeps bytes copies them.
   */
  interface FieldSink {
    void field(byte[] name, MemorySegment value) throws IOException;

    /**
     * As {@link #field(byte[], MemorySegment)}, with {@code text} the name decoded as UTF-8 (null when it is not
     * UTF-8); {@code name} may then be the schema's own array, which the sink must not change or hand out.
     */
    default void field(byte[] name, String text, MemorySegment value) throws IOException { field(name.clone(), value); }
  }

  /** The row order and schema as of the last commit; replaced whole on each write. */
  private record Index(long count, List<long[]> blocks, long[] flat, List<byte[]> schema, Names names) {
    Index(long count, List<long[]> blocks, long[] flat, List<byte[]> schema) {
      this(count, blocks, flat, schema, Names.of(schema));
    }
  }

  /** The schema's names sorted bytewise (the order of a row's keys), with their UTF-8 text decoded once. */
  private record Names(byte[][] bytes, String[] text) {
    static Names of(List<byte[]> schema) {
      byte[][] b = schema.toArray(new byte[0][]);
      Arrays.sort(b, BYTEWISE);
      String[] t = new String[b.length];
      for (int k = 0; k < b.length; k++) {
        try {
          t[k] = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
              .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
              .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b[k])).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
          t[k] = null; // the sink reports it when a row has the field
        }
      }
      return new Names(b, t);
    }
  }

  private final Path dir;
  private final String store;
  private final String group;
  /** Whether the group reads through {@link #ro}: {@code ro != null}. */
  private final boolean readOnly;
  /** Writable groups: lmdbjava's environment and database (null when read-only). */
  private final Env<byte[]> env;
  private final Dbi<byte[]> db;
  /** Read-only groups: liblmdb bound directly, zero-copy (null when writable). */
  private final ReadOnlyLmdb ro;
  private volatile Index index;
  private volatile boolean closed;
  /**
   * Read-only groups: one read transaction and cursor per thread, kept open until {@link #close()}. Nothing writes
   * a read-only store (opened without a lock file, it assumes so), so one snapshot serves every read, and
   * beginning a transaction per row is saved.
   */
  private final ThreadLocal<ReadOnlyLmdb.Reader> reader = new ThreadLocal<>();
  /** The reader used last (any thread's: checked against its owner); a plain field, a stale value is harmless. */
  private ReadOnlyLmdb.Reader last;

  private LmdbGroup(Path dir, String store, String group, Env<byte[]> env, Dbi<byte[]> db, ReadOnlyLmdb ro) {
    this.dir = dir;
    this.store = store;
    this.group = group;
    this.readOnly = ro != null;
    this.env = env;
    this.db = db;
    this.ro = ro;
  }

  /** Opens {@code dir} (an LMDB environment directory); for writing it is created when missing. */
  static LmdbGroup open(Path dir, String store, String group, boolean readOnly) throws IOException {
    Path data = dir.resolve("data.mdb");
    if (readOnly) {
      if (!Files.isRegularFile(data)) {
        throw new java.nio.file.NoSuchFileException(data.toString(), null, "no group '" + group + "' in " + store);
      }
      LmdbFiles.Whole whole = LmdbFiles.checkWhole(data);
      return openReadOnly(dir, store, group, whole.size(), whole.pageSize());
    } else {
      Files.createDirectories(dir);
      if (Files.exists(data)) LmdbFiles.checkWhole(data);
    }
    Env<byte[]> env;
    try {
      var b = Env.create(ByteArrayProxy.PROXY_BA).setMapSize(MAP_SIZE).setMaxDbs(1).setMaxReaders(126);
      env = b.open(dir.toFile(), EnvFlags.MDB_NOTLS);
    } catch (LmdbException e) {
      throw new CorruptFileException(data, -1, "cannot open LMDB environment of group '" + group + "' of " + store + ": " + e.getMessage(), e);
    }
    try {
      Dbi<byte[]> db;
      try (Txn<byte[]> txn = env.txnWrite()) {
        db = env.openDbi(txn, null, null, false, DbiFlags.MDB_CREATE);
        txn.commit();
      }
      LmdbGroup g = new LmdbGroup(dir, store, group, env, db, null);
      try (Txn<byte[]> txn = env.txnRead()) {
        g.index = g.loadIndex(k -> db.get(txn, k));
      }
      return g;
    } catch (LmdbException e) {
      env.close();
      throw new CorruptFileException(data, -1, "cannot read LMDB database of group '" + group + "' of " + store + ": " + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      env.close();
      throw e;
    }
  }

  private static LmdbGroup openReadOnly(Path dir, String store, String group, long fileSize, int pageSize) throws IOException {
    Path data = dir.resolve("data.mdb");
    ReadOnlyLmdb ro;
    try {
      ro = ReadOnlyLmdb.open(dir, fileSize, pageSize, MAP_SIZE);
    } catch (ReadOnlyLmdb.Failure e) {
      throw new CorruptFileException(data, -1, "cannot open LMDB environment of group '" + group + "' of " + store + ": " + e.getMessage(), e);
    }
    try {
      LmdbGroup g = new LmdbGroup(dir, store, group, null, null, ro);
      ReadOnlyLmdb.Reader r = g.reader();
      try {
        g.index = g.loadIndex(r::getBytes);
      } catch (ReadOnlyLmdb.Failure e) {
        throw new CorruptFileException(data, -1, "cannot read LMDB database of group '" + group + "' of " + store + ": " + e.getMessage(), e);
      }
      return g;
    } catch (IOException | RuntimeException e) {
      ro.close();
      throw e;
    }
  }

  String group() { return group; }

  Path dir() { return dir; }

  boolean readOnly() { return readOnly; }

  long size() {
    return current().count;
  }

  List<byte[]> schema() { return current().schema; }

  /** The sort key of row {@code i}. */
  long sortKey(long i) {
    Index x = current();
    if (i < 0 || i >= x.count) throw new IndexOutOfBoundsException("row " + i + " of " + x.count + " (" + where() + ")");
    return x.flat[(int) i];
  }

  String where() { return store + ", group " + group; }

  // ------------------------------------------------------------------ reading

  /** Reads row {@code i}'s fields in bytewise order into {@code sink}; false for a placeholder (no fields). */
  boolean readRow(long i, FieldSink sink) throws IOException {
    long sk = sortKey(i);
    Names names = current().names;
    if (readOnly) {
      try {
        return readRow(reader(), sk, names, sink);
      } catch (ReadOnlyLmdb.Failure e) {
        throw corrupt(i, sk, null, "LMDB read failed: " + e.getMessage(), e);
      }
    }
    try (Txn<byte[]> txn = env.txnRead(); Cursor<byte[]> c = db.openCursor(txn)) {
      return readRow(c, sk, names, sink);
    } catch (LmdbException e) {
      throw corrupt(i, sk, null, "LMDB read failed: " + e.getMessage(), e);
    }
  }

  /** Reads rows {@code idx} in one read transaction; {@code sinks.apply(k)} receives row {@code idx[k]}. */
  void readRows(long[] idx, java.util.function.IntFunction<FieldSink> sinks, boolean[] present) throws IOException {
    long[] sks = new long[idx.length];
    for (int k = 0; k < idx.length; k++) sks[k] = sortKey(idx[k]);
    Names names = current().names;
    if (readOnly) {
      ReadOnlyLmdb.Reader r = reader();
      int k = 0;
      try {
        for (; k < idx.length; k++) present[k] = readRow(r, sks[k], names, sinks.apply(k));
      } catch (ReadOnlyLmdb.Failure e) {
        throw corrupt(idx[k], sks[k], null, "LMDB read failed: " + e.getMessage(), e);
      }
      return;
    }
    try (Txn<byte[]> txn = env.txnRead(); Cursor<byte[]> c = db.openCursor(txn)) {
      for (int k = 0; k < idx.length; k++) present[k] = readRow(c, sks[k], names, sinks.apply(k));
    } catch (LmdbException e) {
      throw corrupt(-1, -1, null, "LMDB read failed: " + e.getMessage(), e);
    }
  }

  private static boolean readRow(Cursor<byte[]> c, long sk, Names names, FieldSink sink) throws IOException {
    // A row's keys "sk-field" are contiguous in LMDB's order ('-' sorts before the digits), in bytewise name order:
    // one seek and a walk replace a lookup per schema name. As asebytes, only the schema's names count (it fetches
    // exactly those), so the walk merges with the sorted schema and stops at its last name.
    byte[][] schema = names.bytes();
    if (schema.length == 0) return false;
    byte[] prefix = prefix(sk);
    boolean any = false;
    int j = 0;
    if (!c.get(prefix, GetOp.MDB_SET_RANGE)) return false;
    while (true) {
      byte[] k = c.key();
      if (!startsWith(k, prefix)) break;
      int cmp = -1;
      while (j < schema.length && (cmp = Arrays.compareUnsigned(schema[j], 0, schema[j].length, k, prefix.length, k.length)) < 0) j++;
      if (j == schema.length) break; // past the schema's last name
      if (cmp == 0) {
        sink.field(schema[j], names.text()[j], MemorySegment.ofArray(c.val()));
        any = true;
        if (++j == schema.length) break; // the last name: no walk past the row
      }
      if (!c.next()) break;
    }
    return any;
  }

  /** The read-only path of {@link #readRow(Cursor, long, Names, FieldSink)}: keys compared, values viewed in the map. */
  private static boolean readRow(ReadOnlyLmdb.Reader r, long sk, Names names, FieldSink sink) throws IOException {
    byte[][] schema = names.bytes();
    if (schema.length == 0) return false;
    byte[] prefix = prefix(sk);
    MemorySegment map = r.map();
    byte[] key = r.scratch(); // each key copied once (a few dozen bytes) and compared as an array
    boolean any = false;
    int j = 0;
    if (!r.seek(prefix)) return false;
    while (true) {
      int kl = (int) r.keyLength(); // at most MAX_KEY: LMDB holds no longer key
      if (kl < prefix.length || kl > key.length) break;
      MemorySegment.copy(map, java.lang.foreign.ValueLayout.JAVA_BYTE, r.keyOffset(), key, 0, kl);
      if (!Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length)) break;
      int cmp = -1;
      while (j < schema.length && (cmp = Arrays.compareUnsigned(schema[j], 0, schema[j].length, key, prefix.length, kl)) < 0) j++;
      if (j == schema.length) break; // past the schema's last name
      if (cmp == 0) {
        sink.field(schema[j], names.text()[j], map.asSlice(r.valueOffset(), r.valueLength()));
        any = true;
        if (++j == schema.length) break; // the last name: no walk past the row
      }
      if (!r.next()) break;
    }
    return any;
  }

  /** The calling thread's reader; the last one used is kept aside, sparing the ThreadLocal lookup per row. */
  private ReadOnlyLmdb.Reader reader() throws ReadOnlyLmdb.Failure {
    ReadOnlyLmdb.Reader r = last;
    if (r != null && r.owner() == Thread.currentThread()) return r;
    r = reader.get();
    if (r == null) {
      if (closed) throw new IllegalStateException("closed: " + where());
      r = ro.reader(); // refused once the environment is closed
      reader.set(r);
    }
    last = r;
    return r;
  }

  /** Reads only {@code names} of row {@code i} (each one lookup), those present, in the order given. */
  void readFields(long i, List<byte[]> names, FieldSink sink) throws IOException {
    long sk = sortKey(i);
    byte[] prefix = prefix(sk);
    if (readOnly) {
      ReadOnlyLmdb.Reader r = reader();
      try {
        for (byte[] n : names) {
          if (prefix.length + n.length > MAX_KEY) continue; // no such key can exist
          if (r.get(prefix, n)) sink.field(n, r.map().asSlice(r.valueOffset(), r.valueLength()));
        }
      } catch (ReadOnlyLmdb.Failure e) {
        throw corrupt(i, sk, null, "LMDB read failed: " + e.getMessage(), e);
      }
      return;
    }
    try (Txn<byte[]> txn = env.txnRead()) {
      for (byte[] n : names) {
        if (prefix.length + n.length > MAX_KEY) continue; // no such key can exist
        byte[] v = db.get(txn, concat(prefix, n));
        if (v != null) sink.field(n, MemorySegment.ofArray(v));
      }
    } catch (LmdbException e) {
      throw corrupt(i, sk, null, "LMDB read failed: " + e.getMessage(), e);
    }
  }

  /** The field {@code name} of rows {@code idx} in one read transaction; absent fields leave the sink uncalled. */
  void readColumn(long[] idx, byte[] name, java.util.function.IntFunction<FieldSink> sinks) throws IOException {
    long[] sks = new long[idx.length];
    for (int k = 0; k < idx.length; k++) sks[k] = sortKey(idx[k]);
    if (readOnly) {
      ReadOnlyLmdb.Reader r = reader();
      MemorySegment map = r.map();
      // Looked up in key order (sort keys by their decimal text): neighbouring lookups share B-tree pages, which
      // halves the time of a whole column against row order.
      int[] order = keyOrder(sks);
      int k = 0;
      try {
        for (int o = 0; o < order.length; o++) {
          k = order[o];
          byte[] prefix = prefix(sks[k]);
          if (prefix.length + name.length > MAX_KEY) continue;
          if (r.get(prefix, name)) sinks.apply(k).field(name, map.asSlice(r.valueOffset(), r.valueLength()));
        }
      } catch (ReadOnlyLmdb.Failure e) {
        throw corrupt(idx[k], sks[k], null, "LMDB read failed: " + e.getMessage(), e);
      }
      return;
    }
    try (Txn<byte[]> txn = env.txnRead()) {
      for (int k = 0; k < idx.length; k++) {
        byte[] prefix = prefix(sks[k]);
        if (prefix.length + name.length > MAX_KEY) continue;
        byte[] v = db.get(txn, concat(prefix, name));
        if (v != null) sinks.apply(k).field(name, MemorySegment.ofArray(v));
      }
    } catch (LmdbException e) {
      throw corrupt(-1, -1, null, "LMDB read failed: " + e.getMessage(), e);
    }
  }

  private static final long[] POW10 = new long[19];

  static {
    POW10[0] = 1;
    for (int d = 1; d < POW10.length; d++) POW10[d] = POW10[d - 1] * 10;
  }

  /**
   * The positions of {@code sks} in the order of their keys (bytewise on the decimal text, "12-" before "120-"
   * since '-' sorts before the digits): by the number scaled to the widest one's digits, then by its own digits;
   * packed with the position into one long so that one primitive sort does it.
   */
  static int[] keyOrder(long[] sks) {
    int n = sks.length;
    long max = 0;
    for (long sk : sks) {
      if (sk < 0) return identity(n); // past Long.MAX_VALUE: never handed out by asebytes
      max = Math.max(max, sk);
    }
    int width = digits(max);
    int posBits = 64 - Long.numberOfLeadingZeros(Math.max(1, n - 1));
    if (width > 15 || 64 - Long.numberOfLeadingZeros(POW10[width] * 20) + posBits > 63) return identity(n);
    long[] packed = new long[n];
    for (int k = 0; k < n; k++) {
      int d = digits(sks[k]);
      packed[k] = ((sks[k] * POW10[width - d]) * 20 + d) << posBits | k;
    }
    Arrays.sort(packed);
    long mask = (1L << posBits) - 1;
    int[] out = new int[n];
    for (int k = 0; k < n; k++) out[k] = (int) (packed[k] & mask);
    return out;
  }

  private static int digits(long v) {
    int d = 1;
    while (v >= 10) { v /= 10; d++; }
    return d;
  }

  private static int[] identity(int n) {
    int[] out = new int[n];
    for (int k = 0; k < n; k++) out[k] = k;
    return out;
  }

  // ------------------------------------------------------------------ the index

  private Index current() {
    if (closed) throw new IllegalStateException("closed: " + where());
    return index;
  }

  /** A lookup of one metadata key in the transaction at hand: its value, copied, or null. */
  private interface Meta {
    byte[] get(byte[] key) throws IOException;
  }

  private Index loadIndex(Meta db) throws IOException {
    long count = readDecimal(db, COUNT, 0);
    List<byte[]> schema = new ArrayList<>();
    byte[] all = db.get(SCHEMA);
    if (all != null && all.length > 0) {
      int from = 0;
      for (int k = 0; k <= all.length; k++) {
        if (k == all.length || all[k] == '\n') {
          schema.add(Arrays.copyOfRange(all, from, k));
          from = k + 1;
        }
      }
    }
    List<long[]> blocks = new ArrayList<>();
    byte[] bcBytes = db.get(BLK_COUNT);
    long total = 0;
    if (bcBytes != null) {
      if (bcBytes.length != 4) throw corruptMeta("__blk_count__ is " + bcBytes.length + " bytes, not 4");
      long n = Integer.toUnsignedLong(ByteBuffer.wrap(bcBytes).order(ByteOrder.LITTLE_ENDIAN).getInt(0));
      if (n > 0) {
        byte[] szBytes = db.get(BLK_SIZES);
        ByteBuffer sz = szBytes == null ? null : ByteBuffer.wrap(szBytes);
        if (sz == null) throw corruptMeta("__blk_count__ is " + n + " but __blk_sizes__ is missing");
        // Sizes come only from bytes that exist: n is bounded by the length of __blk_sizes__.
        if (sz.remaining() != n * 4) {
          throw corruptMeta("__blk_count__ is " + n + " but __blk_sizes__ holds " + sz.remaining() + " bytes, not " + n * 4);
        }
        sz.order(ByteOrder.LITTLE_ENDIAN);
        for (int b = 0; b < n; b++) {
          long size = Integer.toUnsignedLong(sz.getInt(b * 4));
          byte[] blkBytes = db.get(blockKey(b));
          ByteBuffer blk = blkBytes == null ? null : ByteBuffer.wrap(blkBytes);
          if (blk == null) throw corruptMeta("index block " + b + " of " + n + " is missing");
          if (blk.remaining() != size * 8) {
            throw corruptMeta("index block " + b + " holds " + blk.remaining() + " bytes but __blk_sizes__ says "
                + size + " sort keys (" + size * 8 + " bytes)");
          }
          long[] keys = new long[(int) size];
          blk.order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(keys);
          blocks.add(keys);
          total += size;
        }
      }
    }
    if (total != count) {
      throw corruptMeta("__meta__count is " + count + " but the index blocks hold " + total + " rows");
    }
    return new Index(count, List.copyOf(blocks), flatten(blocks, total), List.copyOf(schema));
  }

  private static long[] flatten(List<long[]> blocks, long total) {
    long[] flat = new long[(int) total];
    int at = 0;
    for (long[] b : blocks) {
      System.arraycopy(b, 0, flat, at, b.length);
      at += b.length;
    }
    return flat;
  }

  private long readDecimal(Meta db, byte[] name, long missing) throws IOException {
    byte[] v = db.get(name);
    if (v == null) return missing;
    String text = new String(v, StandardCharsets.ISO_8859_1);
    // Python's int() of the text; asebytes writes plain ASCII digits.
    if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw corruptMeta(new String(name, StandardCharsets.ISO_8859_1) + " is not a decimal count: '" + text + "'");
    }
    long n = Long.parseLong(text);
    if (name == COUNT && n > Integer.MAX_VALUE - 8) throw corruptMeta("__meta__count " + n + " is beyond what this reader holds");
    return n;
  }

  // ------------------------------------------------------------------ writing

  /** A write transaction's view of the index, committed with the transaction. */
  private final class Edit {
    final Txn<byte[]> txn;
    final List<long[]> blocks;
    final TreeSet<byte[]> schema;
    final long count;
    final Index base;
    boolean schemaGrew;

    Edit(Txn<byte[]> txn, Index x) {
      this.txn = txn;
      this.base = x;
      this.blocks = new ArrayList<>(x.blocks);
      this.schema = new TreeSet<>(BYTEWISE);
      this.schema.addAll(x.schema);
      this.count = x.count;
    }

    long allocateSortKey() throws IOException {
      long next = readDecimal(k -> db.get(txn, k), NEXT_SORT_KEY, 0);
      putDecimal(NEXT_SORT_KEY, next + 1);
      return next;
    }

    void putDecimal(byte[] name, long v) { put(name, ascii(Long.toString(v))); }

    void put(byte[] k, byte[] v) { db.put(txn, k, v); }

    void delete(byte[] k) { db.delete(txn, k); }

    void saveBlock(int b) {
      long[] blk = blocks.get(b);
      ByteBuffer v = ByteBuffer.allocate(blk.length * 8).order(ByteOrder.LITTLE_ENDIAN);
      for (long sk : blk) v.putLong(sk);
      put(blockKey(b), v.array());
    }

    void saveBlockMetadata() {
      ByteBuffer c = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(blocks.size());
      put(BLK_COUNT, c.array());
      if (blocks.isEmpty()) {
        delete(BLK_SIZES);
      } else {
        ByteBuffer s = ByteBuffer.allocate(blocks.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (long[] b : blocks) s.putInt(b.length);
        put(BLK_SIZES, s.array());
      }
    }

    void append(long sk, java.util.Set<Integer> modified) {
      if (blocks.isEmpty() || blocks.getLast().length >= BLOCK_SIZE) {
        blocks.add(new long[] {sk});
      } else {
        long[] last = blocks.getLast();
        long[] grown = Arrays.copyOf(last, last.length + 1);
        grown[last.length] = sk;
        blocks.set(blocks.size() - 1, grown);
      }
      modified.add(blocks.size() - 1);
    }

    void writeFields(long sk, List<byte[]> names, List<byte[]> values) {
      byte[] prefix = prefix(sk);
      for (int k = 0; k < names.size(); k++) {
        put(concat(prefix, names.get(k)), values.get(k));
        if (schema.add(names.get(k))) schemaGrew = true;
      }
    }

    void deleteFields(long sk) {
      byte[] prefix = prefix(sk);
      for (byte[] f : schema) delete(concat(prefix, f));
    }

    void saveSchema() {
      if (!schemaGrew) return;
      put(SCHEMA, join(schema));
    }

    Index result(long newCount) {
      long total = 0;
      for (long[] b : blocks) total += b.length;
      return new Index(newCount, List.copyOf(blocks), flatten(blocks, total), List.copyOf(schema));
    }
  }

  private interface EditBody {
    long apply(Edit e) throws IOException;
  }

  /** Runs {@code body} in one write transaction; it returns the new row count. */
  private synchronized void write(EditBody body) throws IOException {
    if (readOnly) throw new IllegalStateException("opened read-only: " + where());
    Index x = current();
    try (Txn<byte[]> txn = env.txnWrite()) {
      Edit e = new Edit(txn, x);
      long n = body.apply(e);
      e.saveSchema();
      Index next = e.result(n);
      txn.commit();
      index = next;
    } catch (LmdbException e) {
      throw new IOException("LMDB write failed (" + where() + "): " + e.getMessage(), e);
    }
  }

  private static void checkNames(List<byte[]> names) {
    for (byte[] n : names) {
      if (n.length > MAX_KEY - 21) {
        throw new IllegalArgumentException("field name of " + n.length + " bytes: LMDB keys hold at most " + MAX_KEY + " bytes");
      }
      for (byte b : n) {
        if (b == '\n') throw new IllegalArgumentException("field name with a newline would corrupt __schema__");
      }
    }
  }

  /** asebytes' {@code io[i] = row}: replaces row i whole, or appends placeholders up to i and then the row. */
  void set(long i, List<byte[]> names, List<byte[]> values) throws IOException {
    if (i < 0) throw new IndexOutOfBoundsException("row " + i);
    checkNames(names);
    write(e -> {
      long sk;
      if (i < e.count) {
        sk = e.base.flat[(int) i];
        e.deleteFields(sk);
      } else {
        var modified = new java.util.TreeSet<Integer>();
        for (long k = e.count; k < i; k++) e.append(e.allocateSortKey(), modified);
        sk = e.allocateSortKey();
        e.append(sk, modified);
        for (int b : modified) e.saveBlock(b);
        e.saveBlockMetadata();
      }
      e.writeFields(sk, names, values);
      long n = Math.max(e.count, i + 1);
      if (i >= e.count) e.putDecimal(COUNT, n);
      return n;
    });
  }

  /** asebytes' {@code update}: writes only these fields of row i. */
  void update(long i, List<byte[]> names, List<byte[]> values) throws IOException {
    checkNames(names);
    long sk = sortKey(i);
    if (names.isEmpty()) return;
    write(e -> {
      e.writeFields(sk, names, values);
      return e.count;
    });
  }

  /** asebytes' {@code insert}: a new sort key placed before row i ({@code i == size()} appends). */
  void insert(long i, List<byte[]> names, List<byte[]> values) throws IOException {
    checkNames(names);
    write(e -> {
      if (i < 0 || i > e.count) throw new IndexOutOfBoundsException("insert at " + i + " of " + e.count + " (" + where() + ")");
      long sk = e.allocateSortKey();
      if (e.blocks.isEmpty()) {
        e.blocks.add(new long[] {sk});
        e.saveBlock(0);
      } else {
        int b = 0;
        long at = i;
        while (b < e.blocks.size() && at >= e.blocks.get(b).length) {
          if (b == e.blocks.size() - 1 && at == e.blocks.get(b).length) break; // append at the end of the last block
          at -= e.blocks.get(b).length;
          b++;
        }
        long[] old = e.blocks.get(b);
        long[] grown = new long[old.length + 1];
        System.arraycopy(old, 0, grown, 0, (int) at);
        grown[(int) at] = sk;
        System.arraycopy(old, (int) at, grown, (int) at + 1, old.length - (int) at);
        if (grown.length > BLOCK_SIZE) {
          int mid = grown.length / 2;
          e.blocks.set(b, Arrays.copyOfRange(grown, 0, mid));
          e.blocks.add(b + 1, Arrays.copyOfRange(grown, mid, grown.length));
          for (int k = b; k < e.blocks.size(); k++) e.saveBlock(k);
        } else {
          e.blocks.set(b, grown);
          e.saveBlock(b);
        }
      }
      e.saveBlockMetadata();
      e.writeFields(sk, names, values);
      e.putDecimal(COUNT, e.count + 1);
      return e.count + 1;
    });
  }

  /** asebytes' {@code extend}: consecutive new sort keys, in one transaction. Null rows are placeholders. */
  void extend(List<List<byte[]>> names, List<List<byte[]>> values) throws IOException {
    if (names.isEmpty()) return;
    for (var n : names) checkNames(n);
    write(e -> {
      long next = readDecimal(k -> db.get(e.txn, k), NEXT_SORT_KEY, 0);
      e.putDecimal(NEXT_SORT_KEY, next + names.size());
      var modified = new TreeSet<Integer>();
      for (int r = 0; r < names.size(); r++) {
        long sk = next + r;
        e.append(sk, modified);
        e.writeFields(sk, names.get(r), values.get(r));
      }
      for (int b : modified) e.saveBlock(b);
      e.saveBlockMetadata();
      long n = e.count + names.size();
      e.putDecimal(COUNT, n);
      return n;
    });
  }

  /**
   * Deletes rows [from, to) in one transaction, as asebytes' row-by-row deletes from the end leave it: their sort
   * keys leave their blocks, emptied blocks go and later blocks are renumbered, their field keys are deleted.
   */
  void delete(long from, long to) throws IOException {
    write(e -> {
      if (from < 0 || to > e.count || from > to) {
        throw new IndexOutOfBoundsException("delete [" + from + ", " + to + ") of " + e.count + " (" + where() + ")");
      }
      if (from == to) return e.count;
      int before = e.blocks.size();
      List<long[]> kept = new ArrayList<>(before);
      long start = 0;
      int firstChanged = -1;
      for (int b = 0; b < before; b++) {
        long[] blk = e.blocks.get(b);
        long end = start + blk.length;
        long lo = Math.max(from, start), hi = Math.min(to, end);
        if (lo < hi) {
          for (long r = lo; r < hi; r++) e.deleteFields(blk[(int) (r - start)]);
          long[] rest = new long[blk.length - (int) (hi - lo)];
          System.arraycopy(blk, 0, rest, 0, (int) (lo - start));
          System.arraycopy(blk, (int) (hi - start), rest, (int) (lo - start), (int) (end - hi));
          if (firstChanged < 0) firstChanged = kept.size();
          if (rest.length > 0) kept.add(rest);
        } else {
          kept.add(blk);
        }
        start = end;
      }
      e.blocks.clear();
      e.blocks.addAll(kept);
      for (int b = firstChanged; b < kept.size(); b++) {
        if (b < before && b < kept.size()) e.saveBlock(b);
      }
      for (int b = kept.size(); b < before; b++) e.delete(blockKey(b));
      e.saveBlockMetadata();
      long n = e.count - (to - from);
      e.putDecimal(COUNT, n);
      return n;
    });
  }

  /**
   * asebytes' {@code drop(keys=...)}: every row rewritten without these fields. Rewriting a row with the other
   * fields it already has leaves its keys as they were, so only the dropped fields' keys go; the schema keeps
   * every name (it never shrinks). One transaction.
   */
  void dropFields(List<byte[]> names) throws IOException {
    if (names.isEmpty()) return;
    write(e -> {
      for (long sk : e.base.flat) {
        byte[] prefix = prefix(sk);
        for (byte[] n : names) {
          if (prefix.length + n.length <= MAX_KEY) e.delete(concat(prefix, n));
        }
      }
      return e.count;
    });
  }

  // ------------------------------------------------------------------ helpers

  CorruptFileException corrupt(long row, long sk, String field, String problem, Throwable cause) {
    String what = (row >= 0 ? "row " + row + (sk >= 0 ? " (sort key " + Long.toUnsignedString(sk) + ")" : "") : "")
        + (field != null ? ", field '" + field + "'" : "");
    return new CorruptFileException(dir.resolve("data.mdb"), -1,
        (what.isEmpty() ? "" : what + " of ") + where() + ": " + problem, cause);
  }

  private CorruptFileException corruptMeta(String problem) {
    return new CorruptFileException(dir.resolve("data.mdb"), -1, "corrupt asebytes index of " + where() + ": " + problem);
  }

  /** {@code decimal(sk) '-'}, the start of every key of that row (sort keys are unsigned). */
  static byte[] prefix(long sk) {
    if (sk < 0) return ascii(Long.toUnsignedString(sk) + "-");
    int d = digits(sk);
    byte[] out = new byte[d + 1];
    out[d] = '-';
    for (int k = d - 1; k >= 0; k--) {
      out[k] = (byte) ('0' + sk % 10);
      sk /= 10;
    }
    return out;
  }

  static byte[] blockKey(int b) {
    return ByteBuffer.allocate(BLK.length + 4).order(ByteOrder.LITTLE_ENDIAN).put(BLK).putInt(b).array();
  }

  private static boolean startsWith(byte[] k, byte[] prefix) {
    return k.length >= prefix.length && Arrays.equals(k, 0, prefix.length, prefix, 0, prefix.length);
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static byte[] join(java.util.Collection<byte[]> names) {
    var out = new java.io.ByteArrayOutputStream();
    boolean first = true;
    for (byte[] n : names) {
      if (!first) out.write('\n');
      out.writeBytes(n);
      first = false;
    }
    return out.toByteArray();
  }

  static byte[] ascii(String s) { return s.getBytes(StandardCharsets.US_ASCII); }

  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    if (ro != null) ro.close(); // waits for liblmdb calls in flight; later reads fail with IllegalStateException
    else env.close();
  }
}
