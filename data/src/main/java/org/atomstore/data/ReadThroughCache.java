package org.atomstore.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import org.atomstore.codec.Compression;
import org.atomstore.model.Molecule;
import org.atomstore.store.AtpReader;
import org.atomstore.store.AtpWriter;
import org.atomstore.store.FieldSet;
import org.atomstore.table.Table;

/**
 * A read-through cache in front of a slow or remote {@link Table}: the first read of a row goes to the source and
 * appends the molecule to a local {@code .atp} file; later reads (later epochs, later runs) are served from the
 * file. The file's record order is the order rows were first read; a sidecar {@code FILE.map} (little-endian
 * {@code sourceSize:u64, then per cached record its source index:u64}) says which record holds which row, and is
 * replaced atomically at each {@link #flush()}. Reads of a row with a projection fetch the whole row once.
 * {@link #cachedRows()} says how much is cached.
 *
 * <p>Thread contract: reads may run on several threads (fills are serialized); close must not race with them.
 * Owns the source table: closing the cache closes it.
 */
public final class ReadThroughCache implements Table {
  /** Fills committed to the file before later reads see them from it. */
  private static final int FLUSH_EVERY = 1024;

  private final Table source;
  private final Path file;
  private final Path mapFile;
  private final long size;
  /** Cache record of each source row, or -1. */
  private final long[] slot;
  private long[] order;
  private int cached;
  private AtpWriter writer;
  private volatile AtpReader reader;
  /** Guards {@link #reader}: reads of the file hold the read lock, a flush swaps the reader under the write lock. */
  private final java.util.concurrent.locks.ReentrantReadWriteLock swap = new java.util.concurrent.locks.ReentrantReadWriteLock();
  /** Rows appended since the last flush, by cache record - committed (served from memory until flushed). */
  private final java.util.Map<Long, Molecule> pending = new java.util.HashMap<>();
  private boolean closed;

  private ReadThroughCache(Table source, Path file, long size, long[] slot, long[] order, int cached, AtpWriter writer, AtpReader reader) {
    this.source = source;
    this.file = file;
    this.mapFile = file.resolveSibling(file.getFileName() + ".map");
    this.size = size;
    this.slot = slot;
    this.order = order;
    this.cached = cached;
    this.writer = writer;
    this.reader = reader;
  }

  /**
   * Opens a cache of {@code source} in {@code file} (created when absent; kept and reused when it caches a source of
   * the same size). A cache file of another source size is started afresh.
   */
  public static ReadThroughCache open(Table source, Path file) throws IOException {
    long size = source.size();
    if (size > Integer.MAX_VALUE - 16) throw new IllegalArgumentException(source.source() + " has too many rows for one cache file: " + size);
    Path map = file.resolveSibling(file.getFileName() + ".map");
    long[] slot = new long[(int) size];
    Arrays.fill(slot, -1);
    long[] order = new long[16];
    int cached = 0;
    if (Files.isRegularFile(file) && Files.isRegularFile(map)) {
      byte[] b = Files.readAllBytes(map);
      ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
      long committed;
      try (AtpReader r = AtpReader.open(file)) {
        committed = r.size();
      }
      if (b.length >= 8 && b.length % 8 == 0 && bb.getLong(0) == size) {
        int n = (int) Math.min(b.length / 8 - 1, committed);
        order = new long[Math.max(16, n)];
        for (int k = 0; k < n; k++) {
          long i = bb.getLong(8 * (k + 1));
          if (i < 0 || i >= size || slot[(int) i] >= 0) throw new org.atomstore.store.CorruptFileException(map, 8L * (k + 1), "cache map entry " + k + " names row " + i + " of " + size + " or repeats it");
          slot[(int) i] = k;
          order[k] = i;
        }
        cached = n;
        if (n == committed) {
          return new ReadThroughCache(source, file, size, slot, order, cached, AtpWriter.openForAppend(file), AtpReader.open(file));
        }
      }
      // another source, or records the map does not list: start afresh
      Arrays.fill(slot, -1);
      cached = 0;
    }
    AtpWriter w = AtpWriter.create(file, Compression.NONE);
    w.flush();
    writeMap(map, size, order, 0);
    return new ReadThroughCache(source, file, size, slot, order, 0, w, AtpReader.open(file));
  }

  /** The source table. */
  public Table sourceTable() { return source; }

  /** The cache file. */
  public Path file() { return file; }

  /** How many of the source's rows are cached. */
  public synchronized long cachedRows() { return cached; }

  /** The cached share of the source's rows, 0 to 1. */
  public double cachedFraction() { return size == 0 ? 1 : (double) cachedRows() / size; }

  @Override
  public String source() { return source.source(); }

  @Override
  public long size() { return size; }

  @Override
  public Molecule get(long index, FieldSet fields) throws IOException {
    if (index < 0 || index >= size) throw new IndexOutOfBoundsException("row " + index + " outside [0, " + size + ")");
    long s;
    synchronized (this) {
      if (closed) throw new IllegalStateException("cache of " + source.source() + " is closed");
      s = slot[(int) index];
      // not yet flushed: served from memory (flush swaps the reader and clears this under the same monitor)
      if (s >= 0 && pending.containsKey(s)) return pending.get(s);
    }
    if (s >= 0) {
      swap.readLock().lock();
      try {
        return reader.get(s, fields);
      } finally {
        swap.readLock().unlock();
      }
    }
    Molecule m = source.get(index);
    if (m == null) return null; // a placeholder is not cached: the file has no place for one
    fill(index, m);
    return m;
  }

  private synchronized void fill(long index, Molecule m) throws IOException {
    if (slot[(int) index] >= 0) return; // another thread filled it meanwhile
    try {
      writer.add(m);
    } catch (IllegalArgumentException e) {
      return; // a molecule the file cannot hold (a key of another type than before) is served from the source each time
    }
    if (cached == order.length) order = Arrays.copyOf(order, cached * 2);
    order[cached] = index;
    slot[(int) index] = cached;
    pending.put((long) cached, m);
    cached++;
    if (pending.size() >= FLUSH_EVERY) flush();
  }

  /** Commits the rows cached so far to the file and its map. */
  public synchronized void flush() throws IOException {
    if (closed) return;
    writer.flush();
    writeMap(mapFile, size, order, cached);
    AtpReader fresh = AtpReader.open(file);
    swap.writeLock().lock(); // reads of the file finish before the old mapping is closed
    try {
      AtpReader old = reader;
      reader = fresh;
      old.close();
    } finally {
      swap.writeLock().unlock();
    }
    pending.clear();
  }

  private static void writeMap(Path map, long size, long[] order, int n) throws IOException {
    ByteBuffer bb = ByteBuffer.allocate(8 * (n + 1)).order(ByteOrder.LITTLE_ENDIAN);
    bb.putLong(size);
    for (int k = 0; k < n; k++) bb.putLong(order[k]);
    Path tmp = map.resolveSibling(map.getFileName() + ".tmp");
    Files.write(tmp, bb.array());
    Files.move(tmp, map, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Flushes, then closes the file and the source. Idempotent. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) return;
    try {
      flush();
    } finally {
      closed = true;
      writer.close();
      swap.writeLock().lock();
      try {
        reader.close();
      } finally {
        swap.writeLock().unlock();
      }
      source.close();
    }
  }
}
