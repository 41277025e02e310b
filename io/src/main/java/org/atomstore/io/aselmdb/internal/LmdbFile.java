package org.atomstore.io.aselmdb.internal;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.atomstore.io.aselmdb.AseLmdbException;
import org.atomstore.io.aselmdb.internal.MapRefProxy.MapRef;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.LmdbException;
import org.lmdbjava.Txn;

/**
 * One LMDB file (an environment opened with {@code MDB_NOSUBDIR}) opened read-only through lmdbjava with
 * {@code MDB_RDONLY_ENV | MDB_NOLOCK | MDB_NOTLS}: nothing is written, not even a lock file, so files in a
 * read-only folder open. Before LMDB sees the file its two meta pages are checked ({@link #checkHeader}): a
 * truncated file (LMDB would map pages past its end and fault on them) is refused with an exception. LMDB finds
 * the values; their bytes are read from this class's own read-only mapping after their range is checked against
 * the file, never through a pointer from a page that may be damaged.
 *
 * <p>A file may be read by any number of threads at once (each read is its own read transaction); {@link #close()}
 * must not race with reads.
 *
 * <pre>
 * meta page (pages 0 and 1) --> pageHeader:16 bytes (flags:u16 at 10, P_META = 0x08), magic:u32 (0xBEEFC0DE),
 *     version:u32 (1), address:u64, mapsize:u64, freeDb:48 bytes (its pad:u32 is the page size), mainDb:48 bytes,
 *     lastPage:u64, txnId:u64
 * </pre>
 */
public final class LmdbFile implements AutoCloseable {

  private static final int META_FLAGS = 10;
  private static final int META_MAGIC = 16;
  private static final int META_VERSION = 20;
  private static final int META_PAGE_SIZE = 40;
  private static final int META_MAIN_ROOT = 128;
  private static final int META_LAST_PAGE = 136;
  private static final int META_TXN_ID = 144;
  private static final int META_BYTES = 152;
  private static final int P_BRANCH = 0x01;
  private static final int P_LEAF = 0x02;
  private static final int P_META = 0x08;
  private static final int PAGE_HEADER = 16;
  private static final int NODE_HEADER = 8;
  private static final int MAX_DEPTH = 64;
  private static final int MAGIC = 0xBEEFC0DE;
  private static final int MIN_PAGE = 256;
  private static final int MAX_PAGE = 1 << 16;
  /** LMDB's limit on key size (511 bytes by default); a longer key cannot be in the file. */
  private static final int MAX_KEY = 511;

  private final Path file;
  private final long fileSize;
  private final Arena arena;
  private final MemorySegment mapped;
  private final Env<MapRef> env;
  private final Dbi<MapRef> dbi;
  private final long mapAddress;
  private volatile boolean closed;

  private LmdbFile(Path file, long fileSize, Arena arena, MemorySegment mapped, Env<MapRef> env, Dbi<MapRef> dbi,
      long mapAddress) {
    this.file = file;
    this.fileSize = fileSize;
    this.arena = arena;
    this.mapped = mapped;
    this.env = env;
    this.dbi = dbi;
    this.mapAddress = mapAddress;
  }

  /** What the meta page of the latest transaction says. */
  record Meta(long pageSize, long lastPage, long mainRoot) {}

  /** Opens {@code file} read-only; refuses a file that is not a whole LMDB environment file. */
  public static LmdbFile open(Path file) throws IOException {
    Arena arena = Arena.ofShared();
    Env<MapRef> env = null;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      Meta meta = checkHeader(file, ch, size);
      MemorySegment mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
      // The map size is the file's: LMDB maps no page past the end of the file (checked above to hold them all).
      env = Env.create(MapRefProxy.INSTANCE).setMapSize(size).setMaxDbs(1).setMaxReaders(1)
          .open(file.toFile(), EnvFlags.MDB_NOSUBDIR, EnvFlags.MDB_RDONLY_ENV, EnvFlags.MDB_NOLOCK, EnvFlags.MDB_NOTLS);
      Dbi<MapRef> dbi = env.openDbi((byte[]) null);
      return new LmdbFile(file, size, arena, mapped, env, dbi, mapAddress(file, mapped, meta, env, dbi));
    } catch (LmdbException e) {
      if (env != null) env.close();
      arena.close();
      throw new AseLmdbException(file, -1, "LMDB cannot open it: " + e.getMessage());
    } catch (IOException | RuntimeException e) {
      if (env != null) env.close();
      arena.close();
      throw e;
    }
  }

  /** Checks the two meta pages as LMDB reads them and that the file holds every page the newer one counts. */
  static Meta checkHeader(Path file, FileChannel ch, long size) throws IOException {
    if (size < 2L * MIN_PAGE) throw new AseLmdbException(file, 0, "not an LMDB file: " + size + " bytes is shorter than its two meta pages");
    ByteBuffer m0 = readMeta(ch, 0);
    long pageSize = Integer.toUnsignedLong(m0.getInt(META_PAGE_SIZE));
    checkMeta(file, m0, 0, pageSize);
    if (pageSize < MIN_PAGE || pageSize > MAX_PAGE || Long.bitCount(pageSize) != 1) {
      throw new AseLmdbException(file, META_PAGE_SIZE, "LMDB page size " + pageSize + " is not a power of two in [" + MIN_PAGE + ", " + MAX_PAGE + "]");
    }
    if (size < 2 * pageSize) throw new AseLmdbException(file, pageSize, "truncated: " + size + " bytes cannot hold two meta pages of " + pageSize + " bytes");
    ByteBuffer m1 = readMeta(ch, pageSize);
    checkMeta(file, m1, pageSize, pageSize);
    // LMDB uses the meta page of the later transaction
    ByteBuffer meta = Long.compareUnsigned(m1.getLong(META_TXN_ID), m0.getLong(META_TXN_ID)) > 0 ? m1 : m0;
    long lastPage = meta.getLong(META_LAST_PAGE);
    if (lastPage < 1 || lastPage >= size / pageSize) {
      throw new AseLmdbException(file, (meta == m1 ? pageSize : 0) + META_LAST_PAGE, "truncated: the LMDB meta page counts "
          + (lastPage < 0 ? Long.toUnsignedString(lastPage) : String.valueOf(lastPage + 1)) + " pages of " + pageSize
          + " bytes but the file has " + size + " bytes (" + size / pageSize + " pages)");
    }
    return new Meta(pageSize, lastPage, meta.getLong(META_MAIN_ROOT));
  }

  /**
   * Where LMDB mapped the file (lmdbjava does not say: {@code mdb_env_info} gives the address stored in the file).
   * LMDB's first key lies in the leaf page that the leftmost descent from the root reaches; that descent is made
   * here in this class's own mapping, so the key's address minus its offset in the file is the base of LMDB's map.
   * Any disagreement (a damaged tree) refuses the file. An empty database has no values, and no base is needed.
   */
  private static long mapAddress(Path file, MemorySegment mapped, Meta meta, Env<MapRef> env, Dbi<MapRef> dbi)
      throws AseLmdbException {
    MapRef first;
    try (Txn<MapRef> txn = env.txnRead(); Cursor<MapRef> c = dbi.openCursor(txn)) {
      if (!c.first()) return 0;
      first = c.key();
    }
    long page = meta.mainRoot();
    long ps = meta.pageSize();
    for (int depth = 0; depth < MAX_DEPTH; depth++) {
      if (page < 0 || page > meta.lastPage()) break;
      long at = page * ps;
      int flags = u16(mapped, at + 10);
      int lower = u16(mapped, at + 12);
      if (lower < PAGE_HEADER + 2 || lower > ps) break;
      long node = at + u16(mapped, at + PAGE_HEADER);
      if (node + NODE_HEADER > at + ps) break;
      if ((flags & P_BRANCH) != 0) {
        page = u16(mapped, node) | (long) u16(mapped, node + 2) << 16 | (long) u16(mapped, node + 4) << 32;
        continue;
      }
      if ((flags & P_LEAF) == 0) break;
      long key = node + NODE_HEADER;
      int keySize = u16(mapped, node + 6);
      if (keySize != first.size || key + keySize > at + ps) break;
      return first.address - key;
    }
    throw new AseLmdbException(file, -1, "damaged LMDB file: its B-tree does not lead to the first key LMDB reads");
  }

  private static int u16(MemorySegment m, long at) {
    return Short.toUnsignedInt(m.get(ValueLayout.JAVA_SHORT_UNALIGNED, at));
  }

  private static ByteBuffer readMeta(FileChannel ch, long at) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(META_BYTES).order(ByteOrder.nativeOrder());
    while (b.hasRemaining()) {
      if (ch.read(b, at + b.position()) < 0) break;
    }
    return b.clear();
  }

  private static void checkMeta(Path file, ByteBuffer m, long at, long pageSize) throws IOException {
    if ((m.getShort(META_FLAGS) & P_META) == 0 || m.getInt(META_MAGIC) != MAGIC) {
      throw new AseLmdbException(file, at, "not an LMDB file: no LMDB meta page at offset " + at
          + " (magic 0x" + Integer.toHexString(m.getInt(META_MAGIC)) + ", expected 0xbeefc0de)");
    }
    if (m.getInt(META_VERSION) != 1) {
      throw new AseLmdbException(file, at + META_VERSION, "LMDB data version " + m.getInt(META_VERSION) + " is not 1");
    }
  }

  public Path file() { return file; }

  /** The bytes stored under {@code key} (a view of the mapping, valid until {@link #close()}), or null when absent. */
  public MemorySegment get(String key, long rowId) throws IOException {
    ensureOpen();
    byte[] k = key.getBytes(StandardCharsets.US_ASCII);
    try (Arena call = Arena.ofConfined(); Txn<MapRef> txn = env.txnRead()) {
      MemorySegment ks = call.allocate(Math.max(1, k.length));
      MemorySegment.copy(k, 0, ks, ValueLayout.JAVA_BYTE, 0, k.length);
      MapRef v = dbi.get(txn, MapRef.of(ks.asSlice(0, k.length)));
      return v == null ? null : slice(v, key, rowId);
    } catch (LmdbException e) {
      throw new AseLmdbException(file, rowId, key, "LMDB: " + e.getMessage(), e);
    }
  }

  /** Number of keys in the file. */
  public long entries() throws IOException {
    ensureOpen();
    try (Txn<MapRef> txn = env.txnRead()) {
      return dbi.stat(txn).entries;
    } catch (LmdbException e) {
      throw new AseLmdbException(file, -1, null, "LMDB: " + e.getMessage(), e);
    }
  }

  /** Every key in LMDB's order (bytewise). */
  public List<String> keys() throws IOException {
    ensureOpen();
    var out = new ArrayList<String>();
    try (Txn<MapRef> txn = env.txnRead(); Cursor<MapRef> c = dbi.openCursor(txn)) {
      for (boolean more = c.first(); more; more = c.next()) {
        MapRef k = c.key();
        if (k.size > MAX_KEY) throw new AseLmdbException(file, -1, null, "an LMDB key of " + k.size + " bytes (at most " + MAX_KEY + ")");
        MemorySegment s = slice(k, "#" + out.size(), -1);
        out.add(new String(s.toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8));
      }
    } catch (LmdbException e) {
      throw new AseLmdbException(file, -1, null, "LMDB: " + e.getMessage(), e);
    }
    return out;
  }

  private MemorySegment slice(MapRef v, String key, long rowId) throws AseLmdbException {
    long offset = v.address - mapAddress;
    if (offset < 0 || v.size < 0 || offset > fileSize - v.size) {
      throw new AseLmdbException(file, rowId, key, "damaged LMDB page: a value of " + v.size + " bytes at offset "
          + offset + " lies outside the file of " + fileSize + " bytes");
    }
    return mapped.asSlice(offset, v.size);
  }

  private void ensureOpen() {
    if (closed) throw new IllegalStateException("closed: " + file);
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    try {
      env.close();
    } finally {
      arena.close();
    }
  }
}
