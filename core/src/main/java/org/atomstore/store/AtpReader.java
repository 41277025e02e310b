package org.atomstore.store;

import static org.atomstore.format.AtpLayout.LE_INT;
import static org.atomstore.format.AtpLayout.LE_LONG;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.atomstore.codec.Codec;
import org.atomstore.codec.Compression;
import org.atomstore.format.AtpLayout;
import org.atomstore.format.RecordFormat;
import org.atomstore.format.RecordFormatException;
import org.atomstore.format.Schema;
import org.atomstore.format.SectionCursor;
import org.atomstore.model.Molecule;

/**
 * Read-only access to a committed {@code .atp} file through a memory mapping of the whole file (any
 * size). Opening reads the two header slots and the schema blob; the index is read in place, so
 * {@link #get(long)} is O(1) and open cost does not grow with the molecule count. A reader sees the
 * generation that was committed when it was opened, even while a writer appends to the file.
 *
 * <p>A reader may be shared by any number of threads. Each thread gets its own decompression context
 * and scratch buffer. {@link #close()} unmaps the file; reads racing with close fail with
 * IllegalStateException, never with a crash.
 */
public final class AtpReader implements AtpFile {
  /** Largest decoded record accepted; lengths claimed by the file above this are reported as corrupt. */
  static final long MAX_RECORD_BYTES = Math.min(1L << 30, Runtime.getRuntime().maxMemory() / 4);
  private static final int PARALLEL_THRESHOLD = 512;
  /** Molecules whose index entries and record starts are loaded together before decoding. */
  private static final int TOUCH_GROUP = 16;
  private final FileHeader header;
  private final Arena arena;
  private final MemorySegment map;
  private final Compression compression;
  private final RecordFormat format;
  private final int positionsType;
  /** Bytes a record needs per atom at least: its position and its atomic number. */
  private final int atomBytes;
  private final long count;
  private final long indexBase;
  private final long dataStart;
  private final long recordsEnd;
  /**
   * When the records seem to be all of one stored size (the first and last index entries agree with records of
   * that size laid end to end), record {@code i} is probably at {@code strideBase + i * stride}; else stride is
   * 0. Only a guess, used to start loading a record while its index entry is still on its way from memory; what
   * is decoded is always what the index entry says.
   */
  private final long strideBase;
  private final long stride;
  private final ThreadLocal<Scratch> scratch;
  private volatile boolean closed;

  /** Per-thread decoding state. */
  static final class Scratch {
    final Codec codec;
    final SectionCursor cursor = new SectionCursor();
    MemorySegment buffer = MemorySegment.NULL;
    /** The record found by the last {@link #locate}: bytes [base, base + length) of seg. */
    MemorySegment seg;
    long base;
    long length;
    /**
     * Where {@link #fetchLines} and {@link #touch} leave what they loaded, so the JIT keeps the loads. A plain
     * field of this thread's: a volatile store would fence and serialize the very loads it is meant to overlap,
     * and a field shared by the threads would move its cache line between their cores.
     */
    long sink;
    /** The molecule {@link #fetchLines} last ran for in this thread. */
    long lastRead = -2;

    Scratch(Compression c) { codec = Codec.forCompression(c); }

    MemorySegment ensure(long size) {
      if (buffer.byteSize() < size) buffer = Arena.ofAuto().allocate(Math.max(size, Math.min(MAX_RECORD_BYTES, buffer.byteSize() * 2)), 16);
      return buffer;
    }
  }

  private AtpReader(FileHeader header, Arena arena, MemorySegment map) {
    this.header = header;
    this.arena = arena;
    this.map = map;
    this.compression = header.slot().compression();
    this.format = header.format();
    this.positionsType = header.positionsType();
    this.atomBytes = (positionsType == org.atomstore.model.TypeTag.VEC3_F64 ? 24 : 12) + 1;
    this.count = header.slot().numMolecules();
    this.indexBase = header.slot().indexOffset() + AtpLayout.INDEX_PREFIX_SIZE;
    this.dataStart = header.slot().dataStart();
    this.recordsEnd = header.recordsEnd();
    long base = 0;
    long step = 0;
    if (count >= 2 && compression.kind() == Compression.Kind.NONE) {
      long last = indexBase + (count - 1) * AtpLayout.INDEX_ENTRY_SIZE;
      long first = map.get(LE_LONG, indexBase);
      long size = Integer.toUnsignedLong(map.get(LE_INT, indexBase + 8));
      long lastOffset = map.get(LE_LONG, last);
      if (size > 0 && size == Integer.toUnsignedLong(map.get(LE_INT, last + 8)) && first >= dataStart
          && size <= (recordsEnd - dataStart) / (count - 1) && lastOffset - first == (count - 1) * size
          && lastOffset + size <= recordsEnd) {
        base = first;
        step = size;
      }
    }
    this.strideBase = base;
    this.stride = step;
    this.scratch = ThreadLocal.withInitial(() -> new Scratch(compression));
  }

  /**
   * Opens a file read-only at its last commit. Beside a writer that commits meanwhile, the reader sees at
   * least the generation committed before this call began. Fails with CorruptFileException when the file
   * is damaged or cut short after a commit (see {@link FileHeader}).
   */
  public static AtpReader open(Path path) throws IOException {
    Arena arena = Arena.ofShared();
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      FileHeader h = FileHeader.read(path, ch);
      // Only what the selected slot commits is mapped: a writer reopening the file for append may cut the
      // uncommitted tail at any moment, and a mapping past the end of the file cannot be made (or read).
      MemorySegment map = map(path, ch, h.committedSize(), arena);
      return new AtpReader(h, arena, map);
    } catch (IOException e) {
      arena.close();
      throw namingFile(path, e);
    } catch (RuntimeException e) {
      arena.close();
      throw e;
    }
  }

  /** The exception itself when it names the file, else one that does, with it as cause. */
  static IOException namingFile(Path path, IOException e) {
    if (e instanceof CorruptFileException || e instanceof FileSystemException) return e;
    FileSystemException named = new FileSystemException(path.toString(), null, String.valueOf(e.getMessage()));
    named.initCause(e);
    return named;
  }

  private static MemorySegment map(Path path, FileChannel ch, long size, Arena arena) throws IOException {
    try {
      return ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
    } catch (IOException e) {
      long now = ch.size();
      if (now < size) {
        throw new CorruptFileException(path, now, "file shrank to " + now + " bytes while being opened, below its committed "
            + size + " bytes", e);
      }
      throw new FileSystemException(path.toString(), null, "cannot map " + size + " bytes: " + e.getMessage());
    }
  }

  public Path path() { return header.path(); }

  @Override
  public long fileSize() { return header.fileSize(); }

  @Override
  public String source() { return header.path().toString(); }

  /** The record size this reader guesses all records have (0: none); for tests. */
  long strideGuess() { return stride; }

  /** Number of committed molecules. */
  public long size() { return count; }

  public Compression compression() { return compression; }

  public int recordFormat() { return format.number(); }

  /**
   * The file's schema as an immutable value, empty when the file has no schema blob (a file written by record
   * format 2 before any custom field, or with no molecules); a snapshot made on each call, so no caller can
   * change what another thread reads.
   */
  public Optional<FileSchema> fileSchema() { return FileSchema.of(header.schema()); }

  /**
   * The file's fields as the schema model ({@link org.atomstore.table.TableSchema}): from the schema blob, or from
   * the first records when the file has none.
   */
  @Override
  public org.atomstore.table.TableSchema schema() throws IOException {
    Optional<FileSchema> s = fileSchema();
    return s.isPresent() && !s.get().isEmpty() ? org.atomstore.table.TableSchema.of(s.get()) : AtpFile.super.schema();
  }

  /** The commit generation of the header slot this reader opened. */
  public long generation() { return header.slot().generation(); }

  /** The header slot this reader opened: {@code 'A'} or {@code 'B'}. */
  public char headerSlot() { return header.selectedSlot(); }

  /** Bytes past the last commit (an uncommitted tail, ignored by readers); 0 for a cleanly closed file. */
  public long uncommittedBytes() { return header.uncommittedBytes(); }

  /** The positions type tag: 4 (float32) or 7 (float64). */
  public int positionsType() { return positionsType; }

  FileHeader header() { return header; }

  /** The index entry of molecule {@code i} as stored. */
  public IndexEntry indexEntry(long i) {
    checkIndex(i);
    long e = indexBase + i * AtpLayout.INDEX_ENTRY_SIZE;
    return new IndexEntry(map.get(LE_LONG, e), Integer.toUnsignedLong(map.get(LE_INT, e + 8)),
        Integer.toUnsignedLong(map.get(LE_INT, e + 12)), Integer.toUnsignedLong(map.get(LE_INT, e + 16)));
  }

  /**
   * Atom count of molecule {@code i}, from the index (no decoding), after checking it against the decoded size
   * the same index entry states (one more load from the same bytes; {@link #readBatch} checks the whole entry).
   */
  public int atomCount(long i) throws CorruptFileException {
    checkIndex(i);
    long e = indexBase + i * AtpLayout.INDEX_ENTRY_SIZE;
    long usize = Integer.toUnsignedLong(map.get(LE_INT, e + 12));
    long n = Integer.toUnsignedLong(map.get(LE_INT, e + 16));
    if (RECORD_FIXED_BYTES + n * atomBytes > usize) throw tooManyAtoms(i, e, n, usize);
    return (int) n;
  }

  public Molecule get(long i) throws IOException {
    return get(i, FieldSet.ALL);
  }

  /** Reads molecule {@code i}, decoding only the requested fields. */
  public Molecule get(long i, FieldSet fields) throws IOException {
    Scratch s = scratch.get();
    if (stride > 0 && fields.positions) {
      // load the record where it probably is while the index entry, which says where it is, is loading too
      ensureOpen();
      fetchLines(s, i, map, strideBase + Math.min(Math.max(i, 0), count - 1) * stride, stride);
      locate(i, s);
    } else {
      locate(i, s);
      if (fields.positions && s.seg == map && s.length > 0) fetchLines(s, i, map, s.base, s.length);
    }
    try {
      Molecule m = RecordDecoder.decode(s.cursor, s.seg, s.base, s.length, positionsType, fields);
      checkAtomCount(i, m.atomCount());
      return m;
    } catch (RecordFormatException e) {
      throw corruptRecord(i, e, s.base);
    }
  }

  /**
   * Loads one byte of each of the first {@link #FETCH_LINES} cache lines of a mapped record, so that the memory
   * system fetches them together instead of one after another as the decoder reaches them: a record read at
   * random is in no cache, and each line waited for costs a trip to memory. For the record after the one
   * this thread read last, every load goes to the record's first line instead (the hardware prefetcher streams
   * sequential reads). Branch-free on purpose: a branch that sequential reads never take would be compiled
   * as a trap, and the first random read after them would send {@code get} back to the interpreter.
   */
  private static void fetchLines(Scratch s, long i, MemorySegment seg, long base, long length) {
    long d = i - s.lastRead - 1;
    long spread = -((d | -d) >>> 63); // all ones unless i follows the last read, else zero
    s.lastRead = i;
    long last = length - 1;
    int acc = 0;
    for (int k = 0; k < FETCH_LINES; k++) acc |= seg.get(AtpLayout.BYTE, base + (Math.min((long) k * CACHE_LINE, last) & spread));
    s.sink = acc;
  }

  private static final int CACHE_LINE = 64;
  private static final int FETCH_LINES = 32;

  /** Reads many molecules; large requests are spread over the common fork-join pool. */
  public List<Molecule> get(long[] indices) throws IOException {
    return get(indices, FieldSet.ALL);
  }

  public List<Molecule> get(long[] indices, FieldSet fields) throws IOException {
    Molecule[] out = new Molecule[indices.length];
    if (indices.length < PARALLEL_THRESHOLD) {
      for (int k = 0; k < indices.length; k++) {
        if (k % TOUCH_GROUP == 0) touch(indices, k, Math.min(indices.length, k + TOUCH_GROUP));
        out[k] = get(indices[k], fields);
      }
    } else {
      int chunk = 256;
      try {
        IntStream.range(0, (indices.length + chunk - 1) / chunk).parallel().forEach(c -> {
          int end = Math.min(indices.length, (c + 1) * chunk);
          for (int k = c * chunk; k < end; k++) {
            if (k % TOUCH_GROUP == 0) touch(indices, k, Math.min(end, k + TOUCH_GROUP));
            try {
              out[k] = get(indices[k], fields);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
        });
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
    }
    return Arrays.asList(out);
  }

  /** Reads the molecules as flat, training-ready arrays (see {@link FlatBatch}). */
  public FlatBatch readBatch(long[] indices, FieldSet fields, boolean float64) throws IOException {
    AtpReader[] readers = new AtpReader[indices.length];
    Arrays.fill(readers, this);
    return readBatch(readers, indices, indices, fields, float64);
  }


  /**
   * Reads row {@code k} from molecule {@code local[k]} of {@code readers[k]}: one flat batch over several
   * files (the shards of a dataset), whose {@link FlatBatch#indices()} are {@code indices}. Readers may
   * repeat and may differ in compression, record format and positions type.
   */
  public static FlatBatch readBatch(AtpReader[] readers, long[] local, long[] indices, FieldSet fields, boolean float64)
      throws IOException {
    if (readers.length != local.length || local.length != indices.length) {
      throw new IllegalArgumentException("readers, local and indices differ in length");
    }
    FlatBatch.Builder b = new FlatBatch.Builder(indices, fields, float64);
    int[] counts = new int[local.length];
    long total = 0;
    for (int k = 0; k < local.length; k++) {
      counts[k] = readers[k].boundedAtomCount(local[k]);
      total += counts[k];
    }
    // Each count fits its record's stated size; a compressed record's size is only a claim until it is
    // decompressed, so before a large allocation the counts of compressed records are confirmed first.
    if (b.perAtomBytes(total) > CONFIRM_COUNTS_ABOVE_BYTES) confirmAtomCounts(readers, local, counts);
    if (b.perAtomBytes(total) > Runtime.getRuntime().maxMemory()) {
      throw new IllegalArgumentException("a batch of " + local.length + " molecules with " + total + " atoms needs "
          + b.perAtomBytes(total) + " bytes of arrays, more than the heap (" + Runtime.getRuntime().maxMemory() + ")");
    }
    b.allocate(counts);
    AtpReader r = null;
    Scratch s = null;
    for (int k = 0; k < local.length; k++) {
      if (k % TOUCH_GROUP == 0) touch(readers, local, k, Math.min(local.length, k + TOUCH_GROUP));
      if (readers[k] != r) {
        r = readers[k];
        s = r.scratch.get();
      }
      r.locate(local[k], s);
      try {
        b.fill(k, s.cursor, s.seg, s.base, s.length, r.positionsType);
      } catch (RecordFormatException e) {
        throw r.corruptRecord(local[k], e, s.base);
      }
    }
    return b.build();
  }

  /** Per-atom batch arrays larger than this are allocated only after the atom counts were read from the records. */
  static final long CONFIRM_COUNTS_ABOVE_BYTES = Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 16);

  /**
   * Decompresses the compressed records of a batch and checks the atom count at the start of each against the
   * index, before arrays are sized from the index. Uncompressed records need not be: their stated size is their
   * size in the file, checked against the count by {@link #boundedAtomCount}.
   */
  private static void confirmAtomCounts(AtpReader[] readers, long[] local, int[] counts) throws CorruptFileException {
    for (int k = 0; k < local.length; k++) {
      AtpReader r = readers[k];
      if (r.compression.kind() == Compression.Kind.NONE) continue;
      Scratch s = r.scratch.get();
      r.locate(local[k], s);
      long n = Integer.toUnsignedLong(s.seg.get(LE_INT, s.base)); // boundedAtomCount made sure the record has 4 bytes
      if (n != counts[k]) {
        throw r.corrupt(local[k], r.indexBase + local[k] * AtpLayout.INDEX_ENTRY_SIZE + 16,
            "index gives " + counts[k] + " atoms for record " + local[k] + " but the record holds " + n);
      }
    }
  }

  /**
   * The atom count of molecule {@code i} from the index, after checking its index entry against what the file
   * can hold: the record lies among the records, and its stated decoded size (exact for uncompressed records; for
   * compressed ones at most what its compressed bytes can expand to) holds the positions and atomic numbers of
   * that many atoms. So nothing sized from the count is larger than the data behind it.
   */
  int boundedAtomCount(long i) throws CorruptFileException {
    ensureOpen();
    checkIndex(i);
    long e = indexBase + i * AtpLayout.INDEX_ENTRY_SIZE;
    long off = map.get(LE_LONG, e);
    long csize = Integer.toUnsignedLong(map.get(LE_INT, e + 8));
    long usize = Integer.toUnsignedLong(map.get(LE_INT, e + 12));
    long n = Integer.toUnsignedLong(map.get(LE_INT, e + 16));
    checkPlace(i, e, off, csize);
    checkDecodedSize(i, e, csize, usize);
    if (RECORD_FIXED_BYTES + n * atomBytes > usize) throw tooManyAtoms(i, e, n, usize);
    return (int) n;
  }

  private CorruptFileException tooManyAtoms(long i, long e, long n, long usize) {
    return corrupt(i, e + 16, "index entry " + i + " claims " + n + " atoms, whose positions and atomic numbers need "
        + (RECORD_FIXED_BYTES + n * atomBytes) + " bytes, but gives record " + i + " " + usize + " decoded bytes");
  }

  /** Bytes of a record besides positions and atomic numbers: atom count (u32) and section count (u16). */
  private static final int RECORD_FIXED_BYTES = 6;

  /** Most bytes zstd can decode from one compressed byte (a run-length block: 4 bytes for 128 KiB), rounded up. */
  private static final long ZSTD_MAX_EXPANSION = 1L << 15;
  /** Most bytes an LZ4 block can decode from one compressed byte (each length byte adds at most 255). */
  private static final long LZ4_MAX_EXPANSION = 256;

  private void checkPlace(long i, long e, long off, long csize) throws CorruptFileException {
    if (off < dataStart || off > recordsEnd || csize > recordsEnd - off) {
      throw corrupt(i, e, "index entry " + i + " points outside the records: offset=" + Long.toUnsignedString(off)
          + " length=" + csize + " (records lie in [" + dataStart + ", " + recordsEnd + "))");
    }
  }

  private void checkDecodedSize(long i, long e, long csize, long usize) throws CorruptFileException {
    switch (compression.kind()) {
      case NONE -> {
        if (usize != csize) throw corrupt(i, e + 12, "uncompressed record with sizes " + csize + " != " + usize);
      }
      case ZSTD, LZ4 -> {
        long most = Math.min(MAX_RECORD_BYTES, 64 + csize * (compression.kind() == Compression.Kind.ZSTD ? ZSTD_MAX_EXPANSION : LZ4_MAX_EXPANSION));
        if (usize > most) {
          throw corrupt(i, e + 12, "record " + i + " claims " + usize + " decoded bytes, more than its " + csize + " "
              + compression.kindName() + " bytes can hold or this reader accepts (at most " + most + ")");
        }
      }
    }
  }

  /**
   * Loads the index entries, then the first byte of each record, of molecules {@code [from, to)} in tight
   * independent loops, so that their cache and TLB misses overlap instead of coming one at a time during
   * decoding. Out-of-range entries are skipped here and reported by the read itself.
   */
  private void touch(long[] indices, int from, int to) {
    long sink = 0;
    for (int k = from; k < to; k++) sink += touchIndex(indices[k]);
    for (int k = from; k < to; k++) sink += touchRecord(indices[k]);
    scratch.get().sink = sink;
  }

  private static void touch(AtpReader[] readers, long[] local, int from, int to) {
    long sink = 0;
    for (int k = from; k < to; k++) sink += readers[k].touchIndex(local[k]);
    for (int k = from; k < to; k++) sink += readers[k].touchRecord(local[k]);
    readers[from].scratch.get().sink = sink;
  }

  private long touchIndex(long i) {
    return closed || i < 0 || i >= count ? 0 : map.get(LE_LONG, indexBase + i * AtpLayout.INDEX_ENTRY_SIZE);
  }

  private long touchRecord(long i) {
    if (closed || i < 0 || i >= count) return 0;
    long off = map.get(LE_LONG, indexBase + i * AtpLayout.INDEX_ENTRY_SIZE);
    return off >= dataStart && off < recordsEnd ? map.get(AtpLayout.BYTE, off) : 0;
  }

  /**
   * The decoded bytes of record {@code i}: a slice of the mapping for uncompressed files, else the calling
   * thread's scratch buffer (valid until its next read).
   */
  MemorySegment record(long i, Scratch s) throws CorruptFileException {
    locate(i, s);
    return s.seg.asSlice(s.base, s.length);
  }

  /**
   * Finds record {@code i}, checks its index entry, decompresses it when needed, and leaves its place in
   * {@code s.seg}/{@code s.base}/{@code s.length}: the mapping itself for uncompressed files (no copy, no
   * slice), else the thread's scratch buffer (valid until its next read).
   */
  void locate(long i, Scratch s) throws CorruptFileException {
    ensureOpen();
    checkIndex(i);
    long e = indexBase + i * AtpLayout.INDEX_ENTRY_SIZE;
    long off = map.get(LE_LONG, e);
    long csize = Integer.toUnsignedLong(map.get(LE_INT, e + 8));
    long usize = Integer.toUnsignedLong(map.get(LE_INT, e + 12));
    checkPlace(i, e, off, csize);
    if (compression.kind() == Compression.Kind.NONE) {
      if (usize != csize) throw corrupt(i, e + 12, "uncompressed record with sizes " + csize + " != " + usize);
      s.seg = map;
      s.base = off;
      s.length = csize;
      return;
    }
    checkDecodedSize(i, e, csize, usize);
    MemorySegment dst = s.ensure(Math.max(usize, 1));
    long got = s.codec.decompress(map.asSlice(off, csize), dst, (int) usize);
    if (got != usize) {
      throw corrupt(i, off, compression.kindName() + " data of record " + i + " is corrupt or does not decode to the "
          + usize + " bytes the index gives" + (got >= 0 ? " (got " + got + ")" : ""));
    }
    s.seg = dst;
    s.base = 0;
    s.length = usize;
  }

  private void checkAtomCount(long i, int decoded) throws CorruptFileException {
    long e = indexBase + i * AtpLayout.INDEX_ENTRY_SIZE + 16;
    long indexed = Integer.toUnsignedLong(map.get(LE_INT, e));
    if (indexed != decoded) throw corrupt(i, e, "index gives " + indexed + " atoms for record " + i + " but the record holds " + decoded);
  }

  private void checkIndex(long i) {
    if (i < 0 || i >= count) throw new IndexOutOfBoundsException("molecule " + i + " of " + count + " in " + header.path());
  }

  private void ensureOpen() {
    if (closed) throw new IllegalStateException("reader is closed: " + header.path());
  }

  private CorruptFileException corrupt(long i, long offset, String problem) {
    return new CorruptFileException(header.path(), offset, problem);
  }

  /** A record's format problem as a CorruptFileException; {@code base} is where the record started in its segment. */
  CorruptFileException corruptRecord(long i, RecordFormatException e, long base) {
    long off = map.get(LE_LONG, indexBase + i * AtpLayout.INDEX_ENTRY_SIZE);
    long inRecord = e.position() - base;
    String where = compression.kind() == Compression.Kind.NONE ? "" : " (byte " + inRecord + " of the decoded record)";
    long at = off + (compression.kind() == Compression.Kind.NONE ? inRecord : 0);
    return new CorruptFileException(header.path(), at, "record " + i + ": " + e.getMessage() + where);
  }

  /** Checks every record and the schema; returns the problems found (empty when the file is sound). */
  public List<String> verify(int maxProblems) {
    List<String> problems = new ArrayList<>();
    Verifier.verify(this, problems, maxProblems);
    return problems;
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    arena.close();
  }

  /**
   * Record {@code i} as stored in the file (compressed unless the file is not): its index entry checked against
   * what the file can hold, its bytes copied into {@code dst} (grown when too small, returned). For copying
   * records between files without decoding them ({@link AtpWriter}'s record copy).
   */
  byte[] storedRecord(long i, byte[] dst) throws CorruptFileException {
    boundedAtomCount(i);
    long e = indexBase + i * AtpLayout.INDEX_ENTRY_SIZE;
    long off = map.get(LE_LONG, e);
    long stored = Integer.toUnsignedLong(map.get(LE_INT, e + 8));
    if (stored > Integer.MAX_VALUE - 16) throw corrupt(i, e + 8, "record " + i + " of " + stored + " bytes is too large to copy");
    int csize = (int) stored;
    byte[] out = dst.length >= csize ? dst : new byte[Math.max(csize, dst.length * 2)];
    MemorySegment.copy(map, AtpLayout.BYTE, off, out, 0, csize);
    return out;
  }

  /** One index entry as stored. */
  public record IndexEntry(long offset, long compressedSize, long uncompressedSize, long atomCount) {}
}
