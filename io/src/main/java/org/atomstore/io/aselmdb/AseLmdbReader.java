package org.atomstore.io.aselmdb;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import org.atomstore.io.ase.PyValue;
import org.atomstore.io.aselmdb.internal.LmdbFile;
import org.atomstore.io.aselmdb.internal.RowDecoder;
import org.atomstore.io.aselmdb.internal.ZlibJson;
import org.atomstore.io.asedb.AseRow;

/**
 * Reads fairchem's ASE-LMDB databases ({@code .aselmdb}: OMat24, OC20, OMol), as fairchem's
 * {@code LMDBDatabase(path, readonly=True)} reads them, through lmdbjava, read-only (nothing is written, not even
 * a lock file). The file is one LMDB environment ({@code subdir=False}) whose values are
 * {@code zlib.compress(orjson.dumps(obj))}:
 *
 * <pre>
 * key "nextid"      --> int: the id the next write gets (1 when absent)
 * key "deleted_ids" --> [int...]: deleted ids, in deletion order (absent until a delete)
 * key "metadata"    --> {...}: db.metadata (absent until set)
 * key "ID" (decimal) --> {numbers, positions, unique_id, pbc, cell, arrays..., calculator, results..., ctime, user,
 *                        mtime, key_value_pairs, data, constraints}: one row
 * </pre>
 *
 * The ids of the rows are {@code 1 .. nextid-1} without {@code deleted_ids}, and row <i>i</i> is the <i>i</i>-th of
 * them. Every value is bounded ({@link #DEFAULT_MAX_VALUE_BYTES} inflated, {@link #DEFAULT_MAX_VALUES} values), and
 * every problem is an {@link AseLmdbException} naming the file, the row id (or key) and the problem.
 *
 * <p>A reader may be shared by any number of threads; {@link #close()} is idempotent and must not race with reads.
 */
public final class AseLmdbReader implements AutoCloseable {

  /** The default limit on one inflated value (JSON text): 64 MiB. */
  public static final long DEFAULT_MAX_VALUE_BYTES = 64L << 20;
  /** The default limit on the numbers (and 8x the other values) in one value: 8 Mi. */
  public static final long DEFAULT_MAX_VALUES = 8L << 20;

  private final Path file;
  private final LmdbFile lmdb;
  private final long maxValueBytes;
  private final long maxValues;
  private final long nextId;
  private final long[] deleted; // null when the key is absent
  private final long[] ids; // null when no id is deleted: then ids are 1 .. nextId-1

  private AseLmdbReader(Path file, LmdbFile lmdb, long maxValueBytes, long maxValues) throws IOException {
    this.file = file;
    this.lmdb = lmdb;
    this.maxValueBytes = maxValueBytes;
    this.maxValues = maxValues;
    PyValue next = value("nextid", -1);
    if (next == null) nextId = 1;
    else if (next instanceof PyValue.PyInt i && i.value() >= 1) nextId = i.value();
    else throw new AseLmdbException(file, -1, "nextid", "not a positive integer: " + RowDecoderKinds.describe(next));
    PyValue del = value("deleted_ids", -1);
    deleted = del == null ? null : longs(del);
    long entries = lmdb.entries();
    long[] sortedDeleted = deleted == null ? new long[0] : deleted.clone();
    Arrays.sort(sortedDeleted);
    long inRange = Arrays.stream(sortedDeleted).distinct().filter(x -> x >= 1 && x < nextId).count();
    long count = nextId - 1 - inRange;
    // every id needs its own key: a nextid beyond the keys in the file is refused before any list of ids is made
    if (count > entries) {
      throw new AseLmdbException(file, -1, "nextid", "nextid " + nextId + " and " + inRange + " deleted ids give "
          + count + " rows, but the file holds " + entries + " keys");
    }
    if (inRange == 0) {
      ids = null;
    } else {
      ids = new long[(int) count];
      int k = 0;
      int j = 0;
      for (long id = 1; id < nextId; id++) {
        while (j < sortedDeleted.length && sortedDeleted[j] < id) j++;
        if (j < sortedDeleted.length && sortedDeleted[j] == id) continue;
        ids[k++] = id;
      }
    }
  }

  /** Helper for messages about a value's JSON kind. */
  private static final class RowDecoderKinds {
    static String describe(PyValue v) {
      return v instanceof PyValue.NdArray a ? "a list of numbers " + Arrays.toString(a.shape()) : String.valueOf(v);
    }
  }

  private long[] longs(PyValue v) throws AseLmdbException {
    if (v instanceof PyValue.PyList l && l.items().isEmpty()) return new long[0];
    if (v instanceof PyValue.NdArray a && a.data() instanceof long[] l && a.shape().length == 1) return l;
    throw new AseLmdbException(file, -1, "deleted_ids", "not a list of integers: " + RowDecoderKinds.describe(v));
  }

  /** Opens {@code file} read-only with the default limits. */
  public static AseLmdbReader open(Path file) throws IOException {
    return open(file, DEFAULT_MAX_VALUE_BYTES, DEFAULT_MAX_VALUES);
  }

  /**
   * Opens {@code file} read-only; a value that inflates past {@code maxValueBytes} bytes of JSON or holds more
   * than {@code maxValues} numbers is refused.
   */
  public static AseLmdbReader open(Path file, long maxValueBytes, long maxValues) throws IOException {
    if (maxValueBytes < 1 || maxValues < 1) throw new IllegalArgumentException("limits must be positive");
    if (!Files.isRegularFile(file)) {
      if (Files.isDirectory(file)) throw new AseLmdbException(file, -1, "a directory: an .aselmdb is one LMDB file (subdir=False)");
      throw new NoSuchFileException(file.toString());
    }
    LmdbFile lmdb = LmdbFile.open(file);
    try {
      return new AseLmdbReader(file, lmdb, maxValueBytes, maxValues);
    } catch (IOException | RuntimeException e) {
      lmdb.close();
      throw e;
    }
  }

  public Path file() { return file; }

  /** The value of {@code nextid} (1 when the key is absent). */
  public long nextId() { return nextId; }

  /** The value of {@code deleted_ids} as stored (deletion order), or null when the key is absent. */
  public long[] deletedIds() { return deleted == null ? null : deleted.clone(); }

  /** Number of rows ({@code db.count()}). */
  public long count() { return ids == null ? nextId - 1 : ids.length; }

  /** The id of row {@code index} ({@code db.ids[index]}). */
  public long idAt(long index) {
    if (index < 0 || index >= count()) throw new IndexOutOfBoundsException("row " + index + " of " + count() + " (" + file + ")");
    return ids == null ? index + 1 : ids[(int) index];
  }

  /** The ids in order ({@code db.ids}). */
  public long[] ids() {
    long n = count();
    if (ids != null) return ids.clone();
    long[] out = new long[(int) n];
    for (int i = 0; i < n; i++) out[i] = i + 1;
    return out;
  }

  /** Every LMDB key of the file, in LMDB's order. */
  public List<String> keys() throws IOException {
    return lmdb.keys();
  }

  /** {@code db.metadata}: the stored dict as fairchem's reader holds it (lists as lists); an empty dict when absent. */
  public PyValue metadata() throws IOException {
    PyValue v = value("metadata", -1);
    return v == null ? new PyValue.PyDict(new LinkedHashMap<>()) : ZlibJson.unpack(v);
  }

  /** Row {@code index} (0-based, in id order). */
  public AseLmdbRow rowAt(long index) throws IOException {
    return row(idAt(index));
  }

  /** The row with id {@code id}; an {@link AseLmdbException} when the file has no such row. */
  public AseLmdbRow row(long id) throws IOException {
    String key = Long.toString(id);
    PyValue v = value(key, id);
    if (v == null) throw new AseLmdbException(file, id, key, "missing from the database (no LMDB key '" + key + "')");
    if (!(v instanceof PyValue.PyDict dict)) throw new AseLmdbException(file, id, key, "the row is not a JSON object");
    try {
      AseRow row = RowDecoder.decode(id, dict);
      return new AseLmdbRow(id, dict, row);
    } catch (RowDecoder.BadRowException e) {
      throw new AseLmdbException(file, id, key, e.getMessage());
    }
  }

  /** Callback for {@link #forEach}. */
  public interface RowConsumer {
    void accept(AseLmdbRow row) throws IOException;
  }

  /** The rows in id order ({@code db.select()}), one at a time. */
  public void forEach(RowConsumer consumer) throws IOException {
    long n = count();
    for (long i = 0; i < n; i++) consumer.accept(rowAt(i));
  }

  /**
   * The rows in id order, as {@link #forEach(RowConsumer)}, with the rows inflated and decoded ahead on
   * {@code threads} threads (at most {@code 8 * threads} chunks of rows in flight); {@code consumer} runs on the
   * calling thread, in order. The first problem is thrown as the sequential loop would throw it.
   */
  public void forEach(RowConsumer consumer, int threads) throws IOException {
    if (threads <= 1) {
      forEach(consumer);
      return;
    }
    long n = count();
    int chunk = PARALLEL_CHUNK;
    var pool = java.util.concurrent.Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "aselmdb-decode");
      t.setDaemon(true);
      return t;
    });
    var inFlight = new java.util.ArrayDeque<java.util.concurrent.Future<Chunk>>();
    try {
      long next = 0;
      while (next < n || !inFlight.isEmpty()) {
        while (next < n && inFlight.size() < 8 * threads) {
          long from = next;
          int len = (int) Math.min(chunk, n - from);
          inFlight.add(pool.submit(() -> {
            var rows = new AseLmdbRow[len];
            for (int k = 0; k < len; k++) {
              try {
                rows[k] = rowAt(from + k);
              } catch (IOException | RuntimeException e) {
                return new Chunk(rows, k, e); // the rows before it are still delivered, as the plain loop does
              }
            }
            return new Chunk(rows, len, null);
          }));
          next += len;
        }
        Chunk rows;
        try {
          rows = inFlight.removeFirst().get();
        } catch (java.util.concurrent.ExecutionException e) {
          if (e.getCause() instanceof IOException io) throw io;
          if (e.getCause() instanceof RuntimeException re) throw re;
          throw new IOException(e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("interrupted reading " + file);
        }
        for (int k = 0; k < rows.count(); k++) consumer.accept(rows.rows()[k]);
        if (rows.error() instanceof IOException io) throw io;
        if (rows.error() instanceof RuntimeException re) throw re;
      }
    } finally {
      for (var f : inFlight) f.cancel(false);
      pool.shutdown();
      // a decode still running must end before the caller may close the file under it
      boolean interrupted = false;
      while (true) {
        try {
          if (pool.awaitTermination(1, java.util.concurrent.TimeUnit.SECONDS)) break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  private static final int PARALLEL_CHUNK = 64;

  /** Rows decoded by one task: the first {@code count}, then the problem that stopped it, if any. */
  private record Chunk(AseLmdbRow[] rows, int count, Exception error) {}

  private PyValue value(String key, long rowId) throws IOException {
    MemorySegment bytes = lmdb.get(key, rowId);
    if (bytes == null) return null;
    try {
      return ZlibJson.decode(bytes, maxValueBytes, maxValues);
    } catch (ZlibJson.BadValueException e) {
      throw new AseLmdbException(file, rowId, key, e.getMessage());
    }
  }

  @Override
  public void close() {
    lmdb.close();
  }
}
