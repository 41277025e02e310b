package org.atomstore.data.lmdb.internal;

import static org.atomstore.data.lmdb.internal.NativeLmdb.MDB_NOLOCK;
import static org.atomstore.data.lmdb.internal.NativeLmdb.MDB_NOTFOUND;
import static org.atomstore.data.lmdb.internal.NativeLmdb.MDB_NOTLS;
import static org.atomstore.data.lmdb.internal.NativeLmdb.MDB_RDONLY;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One LMDB environment opened read-only ({@code MDB_RDONLY | MDB_NOLOCK | MDB_NOTLS}: nothing is written, not even
 * {@code lock.mdb}) through {@link NativeLmdb}, its unnamed database read by {@link Reader}s, one per thread.
 * Keys and values are not copied: a reader reports where they lie in {@link #map()}, the data file's mapped bytes,
 * after checking that LMDB's pointer and length fall inside the file.
 *
 * <p>Thread contract: {@link #reader()} may be called on any thread; each {@link Reader} is used by one thread at a
 * time. {@link #close()} may race with reads: every segment a read hands to liblmdb or reads from the map belongs to
 * one shared arena, which {@code close} closes before it frees LMDB's handles. A call in flight keeps the arena
 * alive (close waits for it); a read after that fails with {@link IllegalStateException}, never touches freed
 * memory.
 */
public final class ReadOnlyLmdb implements AutoCloseable {

  /** A liblmdb call returned an error; {@link #code()} is its status. */
  public static final class Failure extends IOException {
    private final int code;

    Failure(String what, int code) {
      super(what + ": " + NativeLmdb.strerror(code));
      this.code = code;
    }

    Failure(String what) {
      super(what);
      this.code = 0;
    }

    public int code() { return code; }
  }

  private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG;
  /** Keys are at most 511 bytes by LMDB's default; the buffer holds the longest a caller may ask for. */
  public static final int MAX_KEY = 511;

  private final Arena arena;
  private final MemorySegment env;
  private final int dbi;
  private final MemorySegment map;
  private final long mapAddress;
  private final long mapLength;
  private final List<Reader> readers = new ArrayList<>();
  private boolean closed;

  private ReadOnlyLmdb(Arena arena, MemorySegment env, int dbi, MemorySegment map) {
    this.arena = arena;
    this.env = env;
    this.dbi = dbi;
    this.map = map;
    this.mapAddress = map.address();
    this.mapLength = map.byteSize();
  }

  /**
   * Opens the environment in {@code dir}, whose {@code data.mdb} holds {@code fileSize} bytes (checked whole by the
   * caller: liblmdb trusts the file), with liblmdb's map size {@code mapSize}.
   */
  public static ReadOnlyLmdb open(Path dir, long fileSize, int pageSize, long mapSize) throws Failure {
    Arena arena = Arena.ofShared();
    MemorySegment env = MemorySegment.NULL;
    try {
      MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
      check(NativeLmdb.envCreate(out), "mdb_env_create");
      env = out.get(ValueLayout.ADDRESS, 0);
      check(NativeLmdb.envSetMapsize(env, mapSize), "mdb_env_set_mapsize");
      check(NativeLmdb.envSetMaxdbs(env, 1), "mdb_env_set_maxdbs");
      check(NativeLmdb.envOpen(env, arena.allocateFrom(dir.toString()), MDB_RDONLY | MDB_NOLOCK | MDB_NOTLS, 0644), "mdb_env_open");
      MemorySegment info = arena.allocate(64);
      check(NativeLmdb.envInfo(env, info), "mdb_env_info");
      long mapped = info.get(WORD, 8);
      if (mapped < fileSize) throw new Failure("LMDB maps " + mapped + " bytes, fewer than the " + fileSize + " of its file");
      long addr = mapAddress(env, pageSize);
      check(NativeLmdb.txnBegin(env, MemorySegment.NULL, MDB_RDONLY, out), "mdb_txn_begin");
      MemorySegment txn = out.get(ValueLayout.ADDRESS, 0);
      int rc = NativeLmdb.dbiOpen(txn, MemorySegment.NULL, 0, out);
      int dbi = out.get(ValueLayout.JAVA_INT, 0);
      NativeLmdb.txnAbort(txn); // the unnamed database's handle stays valid (it is always open)
      check(rc, "mdb_dbi_open");
      MemorySegment map = MemorySegment.ofAddress(addr).reinterpret(fileSize, arena, null);
      return new ReadOnlyLmdb(arena, env, dbi, map);
    } catch (Failure | RuntimeException e) {
      if (!env.equals(MemorySegment.NULL)) NativeLmdb.envClose(env);
      arena.close();
      throw e;
    }
  }

  /**
   * Where liblmdb mapped the data file. Its API does not say ({@code mdb_env_info}'s address is the one a
   * {@code MDB_FIXEDMAP} file asks for), so it is read from the {@code MDB_env} of liblmdb 0.9 on a 64-bit POSIX
   * system ({@code int me_fd, me_lfd, me_mfd; uint32_t me_flags; unsigned me_psize, me_os_psize, me_maxreaders;
   * int me_close_readers; MDB_dbi me_numdbs, me_maxdbs; pid_t me_pid; char *me_path, *me_map; MDB_txninfo *me_txns;
   * MDB_meta *me_metas[2]}) and trusted only when the structure agrees with itself without following a pointer:
   * the version is 0.9, the flags and page size are ours, and the two meta pointers sit 16 bytes into the first two
   * pages of that map. Then the first meta page must carry LMDB's magic.
   */
  private static long mapAddress(MemorySegment env, int pageSize) throws Failure {
    MemorySegment v = Arena.ofAuto().allocate(12);
    NativeLmdb.version(v, v.asSlice(4), v.asSlice(8));
    int major = v.get(ValueLayout.JAVA_INT, 0), minor = v.get(ValueLayout.JAVA_INT, 4);
    MemorySegment e = env.reinterpret(88);
    int flags = e.get(ValueLayout.JAVA_INT, 12);
    int psize = e.get(ValueLayout.JAVA_INT, 16);
    long map = e.get(WORD, 56);
    long meta0 = e.get(WORD, 72), meta1 = e.get(WORD, 80);
    int want = MDB_RDONLY | MDB_NOLOCK | MDB_NOTLS;
    if (major != 0 || minor != 9 || (flags & want) != want || psize != pageSize || map == 0
        || meta0 != map + 16 || meta1 != map + pageSize + 16) {
      throw new Failure("liblmdb " + major + "." + minor + " does not lay out its environment as liblmdb 0.9 does"
          + " (cannot find its map; set lmdbjava.native.lib to a liblmdb 0.9 or unset it)");
    }
    if (MemorySegment.ofAddress(map).reinterpret(20).get(ValueLayout.JAVA_INT, 16) != 0xBEEFC0DE) {
      throw new Failure("liblmdb's map does not start with an LMDB meta page");
    }
    return map;
  }

  private static void check(int rc, String what) throws Failure {
    if (rc != 0) throw new Failure(what, rc);
  }

  /** The data file's bytes as mapped; offsets reported by readers are into this segment. */
  public MemorySegment map() { return map; }

  /** A new reader (read transaction and cursor), to be used by one thread at a time until {@link #close()}. */
  public synchronized Reader reader() throws Failure {
    if (closed) throw new IllegalStateException("closed");
    MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
    check(NativeLmdb.txnBegin(env, MemorySegment.NULL, MDB_RDONLY, out), "mdb_txn_begin");
    MemorySegment txn = out.get(ValueLayout.ADDRESS, 0);
    int rc = NativeLmdb.cursorOpen(txn, dbi, out);
    if (rc != 0) {
      NativeLmdb.txnAbort(txn);
      throw new Failure("mdb_cursor_open", rc);
    }
    Reader r = new Reader(txn, out.get(ValueLayout.ADDRESS, 0));
    readers.add(r);
    return r;
  }

  /**
   * Closes the environment: first the arena (waiting, up to a minute, for liblmdb calls in flight; reads after it
   * fail with {@link IllegalStateException}), then the readers' cursors and transactions and the environment.
   * Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) return;
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (true) {
      try {
        arena.close();
        break;
      } catch (IllegalStateException inFlight) {
        // A read holds the arena for the length of one liblmdb call (microseconds): wait for it.
        if (System.nanoTime() > deadline) throw new IllegalStateException("LMDB reads still in flight after a minute", inFlight);
        Thread.onSpinWait();
      }
    }
    closed = true;
    for (Reader r : readers) {
      NativeLmdb.cursorClose(r.cursor);
      NativeLmdb.txnAbort(r.txn);
    }
    readers.clear();
    NativeLmdb.envClose(env);
  }

  /**
   * One read transaction (a snapshot: nothing writes a read-only store) and a cursor on it. After a successful
   * {@link #seek}, {@link #next} or {@link #get}, {@link #keyOffset()}/{@link #keyLength()} and
   * {@link #valueOffset()}/{@link #valueLength()} say where the key and value lie in {@link #map()}. One thread at
   * a time.
   */
  public final class Reader {
    private final MemorySegment txn;
    private final MemorySegment cursor;
    private final MemorySegment key;
    private final MemorySegment val;
    private final MemorySegment keyBuf;
    private final long keyBufAddress;
    private final Thread owner = Thread.currentThread();
    private final byte[] scratch = new byte[MAX_KEY + 1];
    private long kOff, kLen, vOff, vLen;

    private Reader(MemorySegment txn, MemorySegment cursor) {
      this.txn = txn;
      this.cursor = cursor;
      this.key = arena.allocate(NativeLmdb.VAL_SIZE, 8);
      this.val = arena.allocate(NativeLmdb.VAL_SIZE, 8);
      this.keyBuf = arena.allocate(MAX_KEY + 1);
      this.keyBufAddress = keyBuf.address();
    }

    public MemorySegment map() { return map; }

    /** The thread that made this reader (the one that uses it). */
    public Thread owner() { return owner; }

    /** A buffer of {@code MAX_KEY + 1} bytes for the owner's use (copying keys out of the map). */
    public byte[] scratch() { return scratch; }

    public long keyOffset() { return kOff; }

    public long keyLength() { return kLen; }

    public long valueOffset() { return vOff; }

    public long valueLength() { return vLen; }

    /** Positions at the first key >= {@code prefix} ({@code MDB_SET_RANGE}); false when there is none. */
    public boolean seek(byte[] prefix) throws Failure {
      setKey(prefix, null);
      return done(NativeLmdb.cursorGet(cursor, key, val, NativeLmdb.MDB_SET_RANGE), "mdb_cursor_get(MDB_SET_RANGE)", true);
    }

    /** Moves to the next key ({@code MDB_NEXT}); false past the last. */
    public boolean next() throws Failure {
      return done(NativeLmdb.cursorGet(cursor, key, val, NativeLmdb.MDB_NEXT), "mdb_cursor_get(MDB_NEXT)", true);
    }

    /**
     * Looks up the key {@code a} followed by {@code b} (null: none); false when absent. Only the value's place is
     * reported ({@link #keyOffset()} is not set).
     */
    public boolean get(byte[] a, byte[] b) throws Failure {
      setKey(a, b);
      return done(NativeLmdb.get(txn, dbi, key, val), "mdb_get", false);
    }

    /** The value of key {@code k}, copied, or null. */
    public byte[] getBytes(byte[] k) throws Failure {
      return get(k, null) ? map.asSlice(vOff, vLen).toArray(ValueLayout.JAVA_BYTE) : null;
    }

    private void setKey(byte[] a, byte[] b) {
      int n = a.length + (b == null ? 0 : b.length);
      if (n > MAX_KEY) throw new IllegalArgumentException("LMDB key of " + n + " bytes (at most " + MAX_KEY + ")");
      MemorySegment.copy(a, 0, keyBuf, ValueLayout.JAVA_BYTE, 0, a.length);
      if (b != null) MemorySegment.copy(b, 0, keyBuf, ValueLayout.JAVA_BYTE, a.length, b.length);
      key.set(WORD, 0, n);
      key.set(WORD, 8, keyBufAddress);
    }

    private boolean done(int rc, String what, boolean withKey) throws Failure {
      if (rc == MDB_NOTFOUND) return false;
      if (rc != 0) throw new Failure(what, rc);
      // LMDB's pointers are trusted only inside the data file: a corrupt page could point anywhere.
      vLen = val.get(WORD, 0);
      vOff = val.get(WORD, 8) - mapAddress;
      if (vLen < 0 || vOff < 0 || vOff > mapLength - vLen) {
        throw new Failure("LMDB " + what + " returned a value of " + vLen + " bytes outside the data file");
      }
      if (withKey) {
        kLen = key.get(WORD, 0);
        kOff = key.get(WORD, 8) - mapAddress;
        if (kLen < 0 || kOff < 0 || kOff > mapLength - kLen) {
          throw new Failure("LMDB " + what + " returned a key of " + kLen + " bytes outside the data file");
        }
      }
      return true;
    }
  }
}
