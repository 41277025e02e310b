package org.atomstore.store;

import static org.atomstore.format.AtpLayout.LE_INT;
import static org.atomstore.format.AtpLayout.LE_LONG;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.atomstore.codec.Compression;
import org.atomstore.format.AtpLayout;
import org.atomstore.format.RecordFormatException;
import org.atomstore.model.Molecule;
import org.atomstore.model.TypeTag;
import org.atomstore.source.ByteSource;

/**
 * Read-only access to a committed {@code .atp} file through a {@link ByteSource} that cannot be mapped: a file
 * on an HTTP server, in S3, or behind a cache. The answers and exceptions are those of {@link AtpReader} for the
 * same bytes: the header, schema and records are decoded by the same classes, only the bytes arrive by range
 * reads.
 *
 * <p>Opening takes at most three reads of the source whatever the file's size (its size, the header slots,
 * then the schema blob together with the start of the index). The index is read lazily in pages of
 * {@value #PAGE_ENTRIES} entries and kept. {@link #readBatch} reads the index pages and then the records a
 * batch needs, nearby records coalesced into one range, all of a file's ranges handed to its source at once
 * (which keeps several requests in flight: {@link ByteSource#read(List)}), several files at once; reads in index
 * order ({@link #get(long)} one after another, {@link #verify}) read ahead.
 *
 * <p>Thread contract: a reader may be shared by any number of threads; {@link #close()} must not race with
 * reads (a read after close fails with IllegalStateException). The source stays owned by the caller unless
 * the reader was opened with {@code owns}.
 */
public final class RangedAtpReader implements AtpFile {
  /** Index entries per page: 80 KiB of index per read. */
  static final int PAGE_ENTRIES = 4096;
  /** Index pages kept at most (80 MiB); beyond, pages are dropped and read again when needed. */
  static final int MAX_PAGES = 1024;
  /** Records at most this far apart are read as one range: a request costs more than these bytes. */
  static final long COALESCE_GAP = 8 << 10;
  /** Largest coalesced range. */
  static final long MAX_RANGE = 8 << 20;
  /** Bytes read ahead when records are read in order. */
  static final long READ_AHEAD = 1 << 20;

  private final ByteSource source;
  private final boolean ownsSource;
  private final String name;
  private final FileHeader header;
  private final Compression compression;
  private final int positionsType;
  private final int atomBytes;
  private final long count;
  private final long indexBase;
  private final long dataStart;
  private final long recordsEnd;
  private final ConcurrentHashMap<Long, MemorySegment> pages = new ConcurrentHashMap<>();
  private final ThreadLocal<AtpReader.Scratch> scratch;
  /** Bytes read ahead of the last record read in order, and the index of that record. */
  private volatile Window window = new Window(0, MemorySegment.NULL);
  private final AtomicLong lastRead = new AtomicLong(-2);
  private final AtomicLong bytesRead = new AtomicLong();
  private volatile boolean closed;

  private record Window(long offset, MemorySegment bytes) {
    boolean covers(long off, long len) {
      return off >= offset && off + len <= offset + bytes.byteSize();
    }
  }

  private RangedAtpReader(ByteSource source, boolean owns, FileHeader header, OpeningBytes opened) {
    this.source = source;
    this.ownsSource = owns;
    this.name = source.name();
    this.header = header;
    this.compression = header.slot().compression();
    this.positionsType = header.positionsType();
    this.atomBytes = (positionsType == TypeTag.VEC3_F64 ? 24 : 12) + 1;
    this.count = header.slot().numMolecules();
    this.indexBase = header.slot().indexOffset() + AtpLayout.INDEX_PREFIX_SIZE;
    this.dataStart = header.slot().dataStart();
    this.recordsEnd = header.recordsEnd();
    this.scratch = ThreadLocal.withInitial(() -> new AtpReader.Scratch(compression));
    this.bytesRead.set(opened.fetched);
    // the first index page usually came with the schema blob
    if (count > 0) {
      long len = pageLength(0);
      for (Window w : opened.windows) {
        if (w.covers(indexBase, len)) pages.put(0L, w.bytes().asSlice(indexBase - w.offset(), len));
      }
    }
  }

  /** Opens the file {@code source} holds; the source stays the caller's to close. */
  public static RangedAtpReader open(ByteSource source) throws IOException {
    return open(source, false);
  }

  /**
   * Opens the file {@code source} holds; with {@code owns}, closing the reader (or a failed open) closes the
   * source.
   *
   * @throws CorruptFileException naming {@link ByteSource#name()} when the file is damaged, as
   *     {@link AtpReader#open} does
   */
  public static RangedAtpReader open(ByteSource source, boolean owns) throws IOException {
    try {
      OpeningBytes bytes = new OpeningBytes(source);
      FileHeader h = FileHeader.read(source.name(), bytes);
      return new RangedAtpReader(source, owns, h, bytes);
    } catch (IOException | RuntimeException e) {
      if (owns) {
        try {
          source.close();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  /**
   * The header's reads: the first one fetches both header slots whole, a later one (the schema blob) fetches
   * the first index page with it, and reads inside what was fetched are served from it. So a header takes two
   * reads of the source.
   */
  private static final class OpeningBytes implements FileHeader.Bytes {
    private final ByteSource source;
    private final long size;
    final List<Window> windows = new ArrayList<>();
    long fetched;

    OpeningBytes(ByteSource source) {
      this.source = source;
      this.size = source.size();
    }

    @Override
    public long size() { return size; }

    @Override
    public boolean live() { return false; }

    @Override
    public boolean read(ByteBuffer b, long offset) throws IOException {
      int len = b.remaining();
      for (Window w : windows) {
        if (w.covers(offset, Math.min(len, Math.max(0, size - offset)))) return copy(w, b, offset);
      }
      long end = offset < AtpLayout.HEADER_REGION_SIZE
          ? Math.max(offset + len, AtpLayout.HEADER_REGION_SIZE)
          : offset + len + AtpLayout.INDEX_PREFIX_SIZE + (long) PAGE_ENTRIES * AtpLayout.INDEX_ENTRY_SIZE;
      long from = Math.min(offset, size);
      MemorySegment got = Arena.ofAuto().allocate(Math.max(0, Math.min(end, size) - from));
      source.read(from, got);
      fetched += got.byteSize();
      Window w = new Window(from, got);
      windows.add(w);
      return copy(w, b, offset);
    }

    /** Copies what the window holds from {@code offset}; false when the file ends before {@code b} is full. */
    private static boolean copy(Window w, ByteBuffer b, long offset) {
      long avail = Math.max(0, w.offset() + w.bytes().byteSize() - offset);
      int n = (int) Math.min(b.remaining(), avail);
      if (n > 0) {
        MemorySegment.copy(w.bytes(), offset - w.offset(), MemorySegment.ofBuffer(b), 0, n);
        b.position(b.position() + n);
      }
      return !b.hasRemaining();
    }
  }

  @Override
  public String source() { return name; }

  @Override
  public long fileSize() { return header.fileSize(); }

  @Override
  public long size() { return count; }

  @Override
  public Compression compression() { return compression; }

  @Override
  public int recordFormat() { return header.format().number(); }

  @Override
  public Optional<FileSchema> fileSchema() { return FileSchema.of(header.schema()); }

  /** The file's fields as the schema model, as {@link AtpReader#schema()} gives them. */
  @Override
  public org.atomstore.table.TableSchema schema() throws IOException {
    Optional<FileSchema> s = fileSchema();
    return s.isPresent() && !s.get().isEmpty() ? org.atomstore.table.TableSchema.of(s.get()) : AtpFile.super.schema();
  }

  @Override
  public long generation() { return header.slot().generation(); }

  @Override
  public char headerSlot() { return header.selectedSlot(); }

  @Override
  public long uncommittedBytes() { return header.uncommittedBytes(); }

  @Override
  public int positionsType() { return positionsType; }

  /** Bytes read from the source so far (header, index pages and records); for measurements. */
  public long bytesRead() { return bytesRead.get(); }

  /** Index pages held now; for tests. */
  int cachedPages() { return pages.size(); }

  @Override
  public AtpReader.IndexEntry indexEntry(long i) throws IOException {
    checkIndex(i);
    MemorySegment p = page(i / PAGE_ENTRIES);
    long e = (i % PAGE_ENTRIES) * AtpLayout.INDEX_ENTRY_SIZE;
    return new AtpReader.IndexEntry(p.get(LE_LONG, e), Integer.toUnsignedLong(p.get(LE_INT, e + 8)),
        Integer.toUnsignedLong(p.get(LE_INT, e + 12)), Integer.toUnsignedLong(p.get(LE_INT, e + 16)));
  }

  @Override
  public int atomCount(long i) throws IOException {
    AtpReader.IndexEntry e = indexEntry(i);
    if (RECORD_FIXED_BYTES + e.atomCount() * atomBytes > e.uncompressedSize()) {
      throw tooManyAtoms(i, e.atomCount(), e.uncompressedSize());
    }
    return (int) e.atomCount();
  }

  @Override
  public Molecule get(long i, FieldSet fields) throws IOException {
    AtpReader.Scratch s = scratch.get();
    Located r = locate(i, s, fetchRecord(i, checkedEntry(i, false)));
    try {
      Molecule m = RecordDecoder.decode(s.cursor, r.seg, r.base, r.length, positionsType, fields);
      long indexed = indexEntry(i).atomCount();
      if (indexed != m.atomCount()) {
        throw corrupt(entryOffset(i) + 16, "index gives " + indexed + " atoms for record " + i + " but the record holds " + m.atomCount());
      }
      return m;
    } catch (RecordFormatException e) {
      throw corruptRecord(i, e, r.base);
    }
  }

  @Override
  public FlatBatch readBatch(long[] indices, FieldSet fields, boolean float64) throws IOException {
    RangedAtpReader[] readers = new RangedAtpReader[indices.length];
    Arrays.fill(readers, this);
    return readBatch(readers, indices, indices, fields, float64);
  }

  /**
   * Reads row {@code k} from molecule {@code local[k]} of {@code readers[k]}: one flat batch over several files
   * (the shards of a remote dataset), whose {@link FlatBatch#indices()} are {@code indices}. The index pages of
   * each file are read first, then every record of the batch, every file's ranges in one batch read of its source,
   * the files at once.
   */
  public static FlatBatch readBatch(RangedAtpReader[] readers, long[] local, long[] indices, FieldSet fields, boolean float64)
      throws IOException {
    if (readers.length != local.length || local.length != indices.length) {
      throw new IllegalArgumentException("readers, local and indices differ in length");
    }
    int n = local.length;
    java.util.Map<RangedAtpReader, List<Long>> byReader = new java.util.IdentityHashMap<>();
    for (int k = 0; k < n; k++) {
      readers[k].ensureOpen();
      readers[k].checkIndex(local[k]);
      byReader.computeIfAbsent(readers[k], r -> new ArrayList<>()).add(local[k]);
    }
    for (var e : byReader.entrySet()) e.getKey().loadPages(e.getValue().stream().mapToLong(Long::longValue).toArray());
    FlatBatch.Builder b = new FlatBatch.Builder(indices, fields, float64);
    AtpReader.IndexEntry[] entries = new AtpReader.IndexEntry[n];
    int[] counts = new int[n];
    long total = 0;
    for (int k = 0; k < n; k++) {
      entries[k] = readers[k].checkedEntry(local[k], true);
      counts[k] = (int) entries[k].atomCount();
      total += counts[k];
    }
    MemorySegment[] recs = fetchRecords(readers, entries);
    if (b.perAtomBytes(total) > AtpReader.CONFIRM_COUNTS_ABOVE_BYTES) {
      for (int k = 0; k < n; k++) {
        RangedAtpReader r = readers[k];
        if (r.compression.kind() == Compression.Kind.NONE) continue;
        Located at = r.locate(local[k], r.scratch.get(), recs[k]);
        long got = Integer.toUnsignedLong(at.seg.get(LE_INT, at.base));
        if (got != counts[k]) {
          throw r.corrupt(r.entryOffset(local[k]) + 16, "index gives " + counts[k] + " atoms for record " + local[k] + " but the record holds " + got);
        }
      }
    }
    if (b.perAtomBytes(total) > Runtime.getRuntime().maxMemory()) {
      throw new IllegalArgumentException("a batch of " + n + " molecules with " + total + " atoms needs "
          + b.perAtomBytes(total) + " bytes of arrays, more than the heap (" + Runtime.getRuntime().maxMemory() + ")");
    }
    b.allocate(counts);
    for (int k = 0; k < n; k++) {
      RangedAtpReader r = readers[k];
      AtpReader.Scratch s = r.scratch.get();
      Located at = r.locate(local[k], s, recs[k]);
      try {
        b.fill(k, s.cursor, at.seg, at.base, at.length, r.positionsType);
      } catch (RecordFormatException e) {
        throw r.corruptRecord(local[k], e, at.base);
      }
    }
    return b.build();
  }

  /** Checks every record and the schema, reading the file in order; returns the problems found. */
  @Override
  public List<String> verify(int maxProblems) {
    List<String> problems = new ArrayList<>();
    Verifier.verify(new Verifier.Records() {
      @Override public FileHeader header() { return header; }
      @Override public Compression compression() { return compression; }
      @Override public long size() { return count; }
      @Override public int positionsType() { return positionsType; }
      @Override public AtpReader.IndexEntry indexEntry(long i) throws IOException { return RangedAtpReader.this.indexEntry(i); }
      @Override public MemorySegment record(long i, AtpReader.Scratch s) throws IOException {
        Located r = locate(i, s, fetchRecord(i, checkedEntry(i, false)));
        return r.seg.asSlice(r.base, r.length);
      }
    }, problems, maxProblems);
    return problems;
  }

  /** Where a record's decoded bytes are: {@code [base, base + length)} of {@code seg}. */
  private record Located(MemorySegment seg, long base, long length) {}

  /** The decoded bytes of record {@code i}, given its stored bytes: those, or the thread's scratch buffer. */
  private Located locate(long i, AtpReader.Scratch s, MemorySegment stored) throws CorruptFileException {
    if (compression.kind() == Compression.Kind.NONE) return new Located(stored, 0, stored.byteSize());
    AtpReader.IndexEntry e = entryUnchecked(i);
    int usize = (int) e.uncompressedSize();
    MemorySegment dst = s.ensure(Math.max(usize, 1));
    long got = s.codec.decompress(stored, dst, usize);
    if (got != usize) {
      throw corrupt(e.offset(), compression.kindName() + " data of record " + i + " is corrupt or does not decode to the "
          + usize + " bytes the index gives" + (got >= 0 ? " (got " + got + ")" : ""));
    }
    return new Located(dst, 0, usize);
  }

  /**
   * The index entry of {@code i} after the checks {@link AtpReader} makes before it reads a record; with
   * {@code atoms}, also the atom count against the decoded size (as before sizing a batch from it).
   */
  private AtpReader.IndexEntry checkedEntry(long i, boolean atoms) throws IOException {
    ensureOpen();
    AtpReader.IndexEntry e = indexEntry(i);
    long at = entryOffset(i);
    if (e.offset() < dataStart || e.offset() > recordsEnd || e.compressedSize() > recordsEnd - e.offset()) {
      throw corrupt(at, "index entry " + i + " points outside the records: offset=" + Long.toUnsignedString(e.offset())
          + " length=" + e.compressedSize() + " (records lie in [" + dataStart + ", " + recordsEnd + "))");
    }
    long csize = e.compressedSize();
    long usize = e.uncompressedSize();
    switch (compression.kind()) {
      case NONE -> {
        if (usize != csize) throw corrupt(at + 12, "uncompressed record with sizes " + csize + " != " + usize);
      }
      case ZSTD, LZ4 -> {
        long most = Math.min(AtpReader.MAX_RECORD_BYTES, 64 + csize * (compression.kind() == Compression.Kind.ZSTD ? 1L << 15 : 256));
        if (usize > most) {
          throw corrupt(at + 12, "record " + i + " claims " + usize + " decoded bytes, more than its " + csize + " "
              + compression.kindName() + " bytes can hold or this reader accepts (at most " + most + ")");
        }
      }
    }
    if (atoms && RECORD_FIXED_BYTES + e.atomCount() * atomBytes > usize) throw tooManyAtoms(i, e.atomCount(), usize);
    return e;
  }

  private static final int RECORD_FIXED_BYTES = 6;

  private CorruptFileException tooManyAtoms(long i, long n, long usize) {
    return corrupt(entryOffset(i) + 16, "index entry " + i + " claims " + n + " atoms, whose positions and atomic numbers need "
        + (RECORD_FIXED_BYTES + n * atomBytes) + " bytes, but gives record " + i + " " + usize + " decoded bytes");
  }

  private AtpReader.IndexEntry entryUnchecked(long i) throws CorruptFileException {
    try {
      return indexEntry(i);
    } catch (CorruptFileException e) {
      throw e;
    } catch (IOException e) {
      throw new CorruptFileException(name, entryOffset(i), "index entry " + i + " cannot be read again: " + e.getMessage(), e);
    }
  }

  /** The stored bytes of one record, from the read-ahead window when records are read in order. */
  private MemorySegment fetchRecord(long i, AtpReader.IndexEntry e) throws IOException {
    long off = e.offset();
    long len = e.compressedSize();
    Window w = window;
    if (w.covers(off, len)) {
      lastRead.set(i);
      return w.bytes().asSlice(off - w.offset(), len);
    }
    boolean inOrder = lastRead.getAndSet(i) == i - 1;
    long want = inOrder ? Math.max(len, Math.min(READ_AHEAD, recordsEnd - off)) : len;
    MemorySegment got = Arena.ofAuto().allocate(Math.max(want, 1));
    if (want > 0) read(off, got.asSlice(0, want));
    if (inOrder) window = new Window(off, got.asSlice(0, want));
    return got.asSlice(0, len);
  }

  /**
   * The stored bytes of the records {@code entries} name in the files of {@code readers}, read with coalesced
   * ranges, several in flight; element {@code k} is record {@code k}'s bytes.
   */
  private static MemorySegment[] fetchRecords(RangedAtpReader[] readers, AtpReader.IndexEntry[] entries) throws IOException {
    int n = entries.length;
    Integer[] order = new Integer[n];
    for (int k = 0; k < n; k++) order[k] = k;
    Arrays.sort(order, (a, b) -> {
      int c = Integer.compare(System.identityHashCode(readers[a]), System.identityHashCode(readers[b]));
      return c != 0 ? c : Long.compare(entries[a].offset(), entries[b].offset());
    });
    MemorySegment[] out = new MemorySegment[n];
    List<Fetch> fetches = new ArrayList<>();
    int k = 0;
    while (k < n) {
      RangedAtpReader r = readers[order[k]];
      long start = entries[order[k]].offset();
      long end = start + entries[order[k]].compressedSize();
      int first = k++;
      while (k < n && readers[order[k]] == r) {
        AtpReader.IndexEntry e = entries[order[k]];
        long eEnd = Math.max(end, e.offset() + e.compressedSize());
        if (e.offset() - end > COALESCE_GAP || eEnd - start > MAX_RANGE) break;
        end = eEnd;
        k++;
      }
      MemorySegment buf = Arena.ofAuto().allocate(Math.max(end - start, 1));
      for (int j = first; j < k; j++) {
        AtpReader.IndexEntry e = entries[order[j]];
        out[order[j]] = buf.asSlice(e.offset() - start, e.compressedSize());
      }
      if (end > start) fetches.add(new Fetch(r, new ByteSource.Range(start, buf.asSlice(0, end - start))));
    }
    readAll(fetches);
    return out;
  }

  /** One range to read from one reader's source. */
  private record Fetch(RangedAtpReader reader, ByteSource.Range range) {}

  /** Reads the index pages the indices need that are not held yet, all at once. */
  private void loadPages(long[] indices) throws IOException {
    List<Long> missing = new ArrayList<>();
    for (long i : indices) {
      long p = i / PAGE_ENTRIES;
      if (!pages.containsKey(p) && !missing.contains(p)) missing.add(p);
    }
    if (missing.isEmpty()) return;
    List<Fetch> ranges = new ArrayList<>();
    List<MemorySegment> segs = new ArrayList<>();
    for (long p : missing) {
      MemorySegment seg = Arena.ofAuto().allocate(pageLength(p));
      segs.add(seg);
      ranges.add(new Fetch(this, new ByteSource.Range(indexBase + p * PAGE_ENTRIES * AtpLayout.INDEX_ENTRY_SIZE, seg)));
    }
    readAll(ranges);
    for (int j = 0; j < missing.size(); j++) keep(missing.get(j), segs.get(j));
  }

  private MemorySegment page(long p) throws IOException {
    MemorySegment seg = pages.get(p);
    if (seg != null) return seg;
    ensureOpen();
    seg = Arena.ofAuto().allocate(pageLength(p));
    read(indexBase + p * PAGE_ENTRIES * AtpLayout.INDEX_ENTRY_SIZE, seg);
    keep(p, seg);
    return seg;
  }

  private void keep(long p, MemorySegment seg) {
    if (pages.size() >= MAX_PAGES) {
      // any page will do: a shuffled epoch touches all of them about equally
      for (Long key : pages.keySet()) {
        if (pages.size() < MAX_PAGES) break;
        pages.remove(key);
      }
    }
    pages.put(p, seg);
  }

  private long pageLength(long p) {
    return Math.min(PAGE_ENTRIES, count - p * PAGE_ENTRIES) * AtpLayout.INDEX_ENTRY_SIZE;
  }

  private void read(long offset, MemorySegment dst) throws IOException {
    source.read(offset, dst);
    bytesRead.addAndGet(dst.byteSize());
  }

  /**
   * Reads the ranges: each source gets all of its ranges in one {@link ByteSource#read(List)} call, which
   * coalesces them and keeps several requests in flight (HTTP, S3), or fetches each missing cache block once (a
   * block cache: ranges of one block split over several calls would fetch it several times); the sources of
   * several files are read at once, on virtual threads.
   */
  private static void readAll(List<Fetch> fetches) throws IOException {
    java.util.Map<RangedAtpReader, List<ByteSource.Range>> bySource = new java.util.IdentityHashMap<>();
    for (Fetch f : fetches) bySource.computeIfAbsent(f.reader, r -> new ArrayList<>()).add(f.range);
    if (bySource.size() == 1) {
      var e = bySource.entrySet().iterator().next();
      e.getKey().readRanges(e.getValue());
      return;
    }
    List<Future<?>> running = new ArrayList<>();
    for (var e : bySource.entrySet()) {
      running.add(FETCHERS.submit(() -> {
        try {
          e.getKey().readRanges(e.getValue());
        } catch (IOException x) {
          throw new UncheckedIOException(x);
        }
        return null;
      }));
    }
    IOException failed = null;
    for (Future<?> f : running) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        for (Future<?> other : running) other.cancel(true);
        throw new InterruptedIOException("interrupted while reading " + fetches.get(0).reader.name);
      } catch (ExecutionException e) {
        IOException io = e.getCause() instanceof UncheckedIOException u ? u.getCause() : null;
        if (io == null) throw new IllegalStateException("reading " + fetches.get(0).reader.name + " failed", e.getCause());
        if (failed == null) failed = io;
        else failed.addSuppressed(io);
      }
    }
    if (failed != null) throw failed;
  }

  private void readRanges(List<ByteSource.Range> ranges) throws IOException {
    if (ranges.size() == 1) {
      read(ranges.get(0).offset(), ranges.get(0).dst());
      return;
    }
    source.read(ranges);
    long n = 0;
    for (ByteSource.Range r : ranges) n += r.dst().byteSize();
    bytesRead.addAndGet(n);
  }

  /** Virtual threads for the reads in flight; a virtual thread costs nothing while it waits for its bytes. */
  private static final ExecutorService FETCHERS = Executors.newVirtualThreadPerTaskExecutor();

  private long entryOffset(long i) {
    return indexBase + i * AtpLayout.INDEX_ENTRY_SIZE;
  }

  private void checkIndex(long i) {
    if (i < 0 || i >= count) throw new IndexOutOfBoundsException("molecule " + i + " of " + count + " in " + name);
  }

  private void ensureOpen() {
    if (closed) throw new IllegalStateException("reader is closed: " + name);
  }

  private CorruptFileException corrupt(long offset, String problem) {
    return new CorruptFileException(name, offset, problem);
  }

  private CorruptFileException corruptRecord(long i, RecordFormatException e, long base) {
    long off = entryUnchecked0(i);
    long inRecord = e.position() - base;
    String where = compression.kind() == Compression.Kind.NONE ? "" : " (byte " + inRecord + " of the decoded record)";
    long at = off + (compression.kind() == Compression.Kind.NONE ? inRecord : 0);
    return new CorruptFileException(name, at, "record " + i + ": " + e.getMessage() + where);
  }

  private long entryUnchecked0(long i) {
    MemorySegment p = pages.get(i / PAGE_ENTRIES);
    return p == null ? -1 : p.get(LE_LONG, (i % PAGE_ENTRIES) * AtpLayout.INDEX_ENTRY_SIZE);
  }

  /** Closes the reader (and the source when it owns it); idempotent. */
  @Override
  public void close() throws IOException {
    if (closed) return;
    closed = true;
    pages.clear();
    if (ownsSource) source.close();
  }
}
