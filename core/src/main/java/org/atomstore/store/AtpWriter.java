package org.atomstore.store;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.function.BiFunction;
import java.util.stream.IntStream;
import org.atomstore.codec.Codec;
import org.atomstore.codec.Compression;
import org.atomstore.format.AtpLayout;
import org.atomstore.format.HeaderSlot;
import org.atomstore.format.RecordEncoder;
import org.atomstore.format.RecordFormat;
import org.atomstore.format.RecordFormatException;
import org.atomstore.format.Schema;
import org.atomstore.format.SectionCursor;
import org.atomstore.format.v2.RecordFormatV2;
import org.atomstore.model.Molecule;
import org.atomstore.model.StackedBatch;
import org.atomstore.store.internal.AtpWriters;
import org.atomstore.store.internal.EncodedRecord;
import org.atomstore.store.internal.RecordPacker;

/**
 * Appends molecules to an {@code .atp} file. Records are written as they come; {@link #flush()} commits
 * them by appending the schema blob and the whole index, syncing, and then publishing them in the header
 * slot of the next generation (synced again). Until then readers, and a reopen after a crash, see the
 * previous generation: nothing half-written ever becomes visible.
 *
 * <p>Everything written is readable by the reference Atompack 0.4.0: builtins keep their types, custom properties
 * are stored with the type tags the reference reads there (a 3x3 as a vec3 array of three rows, a float32 scalar
 * as float64; see {@link org.atomstore.model.Value} and {@link org.atomstore.model.TypeTag#customTag}), and a
 * value no position can hold (a bool triple in a custom property) is refused with IllegalArgumentException
 * before anything of its molecule is written. The record format (2, or 3 for float64 positions and float32
 * builtins) is chosen in one place, {@code formatFor}: a new file is promoted to format 3 by its first records, as
 * the reference does; a file holding records keeps its format.
 *
 * <p>A writer belongs to one thread. It keeps the index in memory (20 bytes per molecule).
 * {@link #close()} flushes what was added since the last flush. After an I/O error the writer refuses
 * further work; the file still holds its last committed generation.
 */
public final class AtpWriter implements AutoCloseable {
  private static final int WRITE_BUFFER = 4 << 20;
  /** Compressed batches at least this long are encoded and compressed in parallel. */
  private static final int PARALLEL_MIN_RECORDS = 256;

  private final Path path;
  private final FileChannel ch;
  private final Compression compression;
  private final Codec codec;
  private final Codec.Buffer compressed = new Codec.Buffer(1 << 16);
  private final RecordEncoder encoder = new RecordEncoder();
  private final ByteBuffer out = ByteBuffer.allocateDirect(WRITE_BUFFER).order(ByteOrder.LITTLE_ENDIAN);

  private RecordFormat format;
  private Schema schema;
  private long generation;
  private long committedEnd;
  private boolean truncatePending;
  private long appendPos;
  private boolean dirty;
  private boolean closed;
  private Throwable failure;

  private long[] offsets = new long[1024];
  private int[] compressedSizes = new int[1024];
  private int[] uncompressedSizes = new int[1024];
  private int[] atomCounts = new int[1024];
  private int count;

  private AtpWriter(Path path, FileChannel ch, Compression compression, RecordFormat format, Schema schema, long generation, long committedEnd) {
    this.path = path;
    this.ch = ch;
    this.compression = compression;
    this.codec = Codec.forCompression(compression);
    this.format = format;
    this.schema = schema;
    this.generation = generation;
    this.committedEnd = committedEnd;
    this.appendPos = committedEnd;
  }

  /** Creates (or truncates) {@code path} as an empty database: two identical generation-0 header slots. */
  public static AtpWriter create(Path path, Compression compression) throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      byte[] slot = HeaderSlot.empty(compression, RecordFormatV2.INSTANCE.number()).encode();
      ByteBuffer b = ByteBuffer.allocate(2 * AtpLayout.HEADER_SLOT_SIZE).put(slot).put(slot).flip();
      writeFully(ch, b, 0);
      ch.force(true);
      return new AtpWriter(path, ch, compression, RecordFormatV2.INSTANCE, null, 0, AtpLayout.HEADER_REGION_SIZE);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /**
   * Opens an existing database to append to it. An uncommitted tail left by a crash is cut back to the
   * last commit before the first write, as the reference does.
   */
  public static AtpWriter openForAppend(Path path) throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      FileHeader h = FileHeader.read(path, ch);
      HeaderSlot s = h.slot();
      AtpWriter w = new AtpWriter(path, ch, s.compression(), h.format(), h.schema(), s.generation(), s.committedEnd());
      w.loadIndex(s);
      w.truncatePending = h.fileSize() > s.committedEnd();
      if (w.schema == null && w.count > 0) w.schema = w.rebuildSchema(h);
      return w;
    } catch (IOException e) {
      ch.close();
      throw AtpReader.namingFile(path, e);
    } catch (RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  private void loadIndex(HeaderSlot s) throws IOException {
    long n = s.numMolecules();
    if (n > Integer.MAX_VALUE - 16) throw new CorruptFileException(path, s.indexOffset(), "index of " + n + " molecules is too large to append to");
    grow((int) n);
    ByteBuffer b = ByteBuffer.allocate(AtpLayout.INDEX_ENTRY_SIZE * 4096).order(ByteOrder.LITTLE_ENDIAN);
    long pos = s.indexOffset() + AtpLayout.INDEX_PREFIX_SIZE;
    int i = 0;
    while (i < n) {
      int batch = (int) Math.min(4096, n - i);
      b.clear().limit(batch * AtpLayout.INDEX_ENTRY_SIZE);
      while (b.hasRemaining()) {
        int r = ch.read(b, pos + b.position());
        if (r < 0) throw new CorruptFileException(path, pos, "index truncated");
      }
      b.flip();
      for (int k = 0; k < batch; k++, i++) {
        offsets[i] = b.getLong();
        compressedSizes[i] = b.getInt();
        uncompressedSizes[i] = b.getInt();
        atomCounts[i] = b.getInt();
      }
      pos += (long) batch * AtpLayout.INDEX_ENTRY_SIZE;
    }
    count = (int) n;
  }

  /** Files without a schema blob (written before it existed): derive it from the records. */
  private Schema rebuildSchema(FileHeader h) throws IOException {
    Schema s = new Schema();
    try (AtpReader r = AtpReader.open(path)) {
      AtpReader.Scratch scratch = new AtpReader.Scratch(compression);
      SectionCursor c = scratch.cursor;
      java.util.ArrayList<Schema.Entry> entries = new java.util.ArrayList<>();
      for (long i = 0; i < r.size(); i++) {
        MemorySegment rec = r.record(i, scratch);
        String problem = null;
        try {
          c.reset(rec, rec.byteSize(), r.positionsType());
          entries.clear();
          while (problem == null && c.next()) {
            problem = Schema.entryProblemAt(c);
            if (problem == null) entries.add(Schema.entryAt(c));
          }
          if (problem == null) problem = s.tryMerge(r.positionsType(), entries);
        } catch (RecordFormatException e) {
          throw r.corruptRecord(i, e, 0);
        }
        if (problem != null) throw new CorruptFileException(path, -1, "record " + i + ": " + problem);
      }
      scratch.codec.close();
    }
    return s;
  }

  public Path path() { return path; }

  public Compression compression() { return compression; }

  public int recordFormat() { return format.number(); }

  /** Molecules written so far (committed or not). */
  public long size() { return count; }

  /** The generation of the last commit. */
  public long generation() { return generation; }

  /**
   * Adds one molecule.
   *
   * @throws IllegalArgumentException when the molecule cannot be stored: a value its position cannot hold (see
   *     {@link org.atomstore.format.RecordEncoder} for the type rules), a builtin dtype the file's record format
   *     does not allow, or a key whose type differs from the schema's. Nothing of the molecule is written.
   */
  public void add(Molecule m) throws IOException {
    ensureUsable();
    int len = encoder.encode(m);
    commit(formatFor(encoder.lowestFormat()), encoder.lowestFormat(), encoder.positionsType(), encoder.entries());
    append(encoder.buffer(), len, m.atomCount());
  }

  /**
   * Adds molecules in order; the record format is chosen for the whole list, as the reference does. For
   * compressed files, long lists are encoded and compressed on all cores (same bytes). When a molecule cannot
   * be stored ({@link #add}), the ones before it are added and the call fails with the reason; nothing of the
   * refused molecule is written.
   */
  public void addAll(List<Molecule> molecules) throws IOException {
    ensureUsable();
    if (molecules.isEmpty()) return;
    if (parallel(molecules.size())) {
      addPacked(molecules.size(), (packer, i) -> packer.pack(molecules.get(i)));
      return;
    }
    int lowest = 2;
    for (Molecule m : molecules) lowest = Math.max(lowest, RecordEncoder.lowestFormat(m));
    RecordFormat target = formatFor(lowest);
    for (Molecule m : molecules) {
      int len = encoder.encode(m);
      commit(target, encoder.lowestFormat(), encoder.positionsType(), encoder.entries());
      append(encoder.buffer(), len, m.atomCount());
    }
  }

  /**
   * Adds every row of a stacked batch, encoding records straight from the arrays. For compressed files, large
   * batches are encoded and compressed on all cores (same bytes). When a row cannot be stored ({@link #add}), the
   * rows before it are added and the call fails with the reason.
   */
  public void addBatch(StackedBatch b) throws IOException {
    ensureUsable();
    if (b.batchSize() == 0) return;
    if (parallel(b.batchSize())) {
      addPacked(b.batchSize(), (packer, row) -> packer.pack(b, row));
      return;
    }
    RecordFormat target = null;
    for (int row = 0; row < b.batchSize(); row++) {
      int len = encoder.encode(b, row);
      // every row has the same builtin dtypes, so the first row's lowest format is the batch's
      if (target == null) target = formatFor(encoder.lowestFormat());
      commit(target, encoder.lowestFormat(), encoder.positionsType(), encoder.entries());
      append(encoder.buffer(), len, b.atomsPerMolecule());
    }
  }

  static {
    // internal types stay off the exported API: the command line and conversion reach these through store.internal
    AtpWriters.register(new AtpWriters.Access() {
      @Override
      public void addEncoded(AtpWriter writer, List<EncodedRecord> records) throws IOException {
        writer.addEncoded(records);
      }

      @Override
      public void copyRecords(AtpWriter writer, AtpReader reader, long from, long to) throws IOException {
        writer.copyRecords(reader, from, to);
      }

      @Override
      public String copyProblem(AtpWriter writer, List<AtpReader> readers) {
        return writer.copyProblem(readers);
      }
    });
  }

  /** See {@link AtpWriters#copyProblem}. */
  private String copyProblem(List<AtpReader> readers) {
    Schema merged = schema == null ? new Schema() : schema.copy();
    RecordFormat f = format;
    long n = count;
    for (AtpReader r : readers) {
      if (!r.compression().equals(compression)) {
        return r.path() + " is compressed with " + r.compression() + ", the output with " + compression;
      }
      if (r.size() == 0) continue;
      Schema fileSchema = r.header().schema();
      if (fileSchema == null) return r.path() + " has no schema blob";
      // as formatFor and commit would choose and check, on copies
      RecordFormat target = r.recordFormat() > f.number() && n == 0 && merged.isEmpty() ? RecordFormat.of(r.recordFormat()) : f;
      if (r.recordFormat() > target.number()) return target.problem(r.positionsType(), fileSchema.entries());
      String problem = merged.tryMerge(r.positionsType(), fileSchema.entries());
      if (problem != null) return r.path() + ": " + problem;
      f = target;
      n += r.size();
    }
    return null;
  }

  /** See {@link AtpWriters#copyRecords}. */
  private void copyRecords(AtpReader r, long from, long to) throws IOException {
    ensureUsable();
    if (from < 0 || to > r.size() || from > to) {
      throw new IndexOutOfBoundsException("records [" + from + ", " + to + ") of " + r.size() + " in " + r.path());
    }
    if (!r.compression().equals(compression)) {
      throw new IllegalArgumentException("records of " + r.path() + " are compressed with " + r.compression() + ", this file uses " + compression);
    }
    if (from == to) return;
    Schema fileSchema = r.header().schema();
    RecordFormat target = formatFor(r.recordFormat());
    // the source's whole schema first: a disagreement is refused before anything is written
    if (fileSchema != null) commit(target, r.recordFormat(), r.positionsType(), fileSchema.entries());
    AtpReader.Scratch scratch = new AtpReader.Scratch(r.compression());
    try {
      SectionCursor c = scratch.cursor;
      java.util.ArrayList<Schema.Entry> entries = new java.util.ArrayList<>();
      byte[] stored = new byte[1 << 12];
      for (long i = from; i < to; i++) {
        // each record's layout is checked as verify checks it (decompressed when it is compressed), its values are
        // not decoded, and its stored bytes are copied
        MemorySegment rec = r.record(i, scratch);
        entries.clear();
        try {
          c.reset(rec, rec.byteSize(), r.positionsType());
          while (c.next()) {
            String problem = Schema.entryProblemAt(c);
            if (problem != null) throw new CorruptFileException(r.path(), -1, "record " + i + ": " + problem);
            entries.add(Schema.entryAt(c));
          }
        } catch (RecordFormatException e) {
          throw r.corruptRecord(i, e, 0);
        }
        AtpReader.IndexEntry e = r.indexEntry(i);
        if (c.atomCount() != e.atomCount()) {
          throw new CorruptFileException(r.path(), -1, "index gives " + e.atomCount() + " atoms for record " + i
              + " but the record holds " + c.atomCount());
        }
        try {
          commit(target, r.recordFormat(), r.positionsType(), entries);
        } catch (IllegalArgumentException disagrees) {
          if (fileSchema == null) throw disagrees;
          throw new CorruptFileException(r.path(), -1, "record " + i + " disagrees with its file's schema: " + disagrees.getMessage());
        }
        stored = r.storedRecord(i, stored);
        store(stored, (int) e.compressedSize(), (int) e.uncompressedSize(), (int) e.atomCount());
      }
    } finally {
      scratch.codec.close();
    }
  }

  /** See {@link AtpWriters#addEncoded}. */
  private void addEncoded(List<EncodedRecord> records) throws IOException {
    ensureUsable();
    if (records.isEmpty()) return;
    int lowest = 2;
    for (EncodedRecord r : records) lowest = Math.max(lowest, r.lowestFormat());
    RecordFormat target = formatFor(lowest);
    for (EncodedRecord r : records) {
      if (!r.compression().equals(compression)) {
        throw new IllegalArgumentException("record compressed with " + r.compression() + ", file uses " + compression);
      }
      commit(target, r.lowestFormat(), r.positionsType(), r.entries());
      store(r.bytes(), r.bytes().length, r.uncompressedLength(), r.atomCount());
    }
  }

  private boolean parallel(int records) {
    return compression.kind() != Compression.Kind.NONE && records >= PARALLEL_MIN_RECORDS
        && ForkJoinPool.getCommonPoolParallelism() > 1;
  }

  /** Packs {@code n} records on the common pool, one packer per chunk, then appends them in order. */
  private void addPacked(int n, BiFunction<RecordPacker, Integer, EncodedRecord> pack) throws IOException {
    EncodedRecord[] packed = new EncodedRecord[n];
    RuntimeException[] errors = new RuntimeException[n];
    int chunks = Math.min(n / 64, 4 * ForkJoinPool.getCommonPoolParallelism());
    IntStream.range(0, chunks).parallel().forEach(c -> {
      try (RecordPacker packer = new RecordPacker(compression)) {
        for (int i = (int) ((long) n * c / chunks), end = (int) ((long) n * (c + 1) / chunks); i < end; i++) {
          try {
            packed[i] = pack.apply(packer, i);
          } catch (RuntimeException e) {
            errors[i] = e;
            break;
          }
        }
      }
    });
    int firstError = 0;
    while (firstError < n && errors[firstError] == null) firstError++;
    addEncoded(Arrays.asList(packed).subList(0, firstError));
    if (firstError < n) throw errors[firstError];
  }

  /**
   * The record format for records whose lowest format is {@code lowest}: the file's own, or a higher one while the
   * file can still be promoted (no record and no schema yet, as the reference does). The one place the record
   * format is chosen; {@link #commit} then checks that it holds each record.
   */
  private RecordFormat formatFor(int lowest) {
    return lowest > format.number() && count == 0 && schema == null ? RecordFormat.of(lowest) : format;
  }

  /**
   * Checks an encoded record against the target format and the schema, then merges it into the schema; the file's
   * format becomes the target only then. Throws IllegalArgumentException, changing nothing, when the record does not fit.
   */
  private void commit(RecordFormat target, int lowest, int positionsType, List<Schema.Entry> entries) {
    if (lowest > target.number()) throw new IllegalArgumentException(target.problem(positionsType, entries));
    Schema s = schema == null ? new Schema() : schema;
    s.merge(positionsType, entries);
    schema = s;
    format = target;
  }

  private void append(byte[] record, int len, int atoms) throws IOException {
    byte[] bytes = record;
    int clen = len;
    if (compression.kind() != Compression.Kind.NONE) {
      clen = codec.compress(record, len, compressed);
      bytes = compressed.bytes;
    }
    store(bytes, clen, len, atoms);
  }

  /** Writes a record as stored (compressed) and indexes it. */
  private void store(byte[] bytes, int clen, int len, int atoms) throws IOException {
    try {
      if (truncatePending) {
        ch.truncate(committedEnd);
        truncatePending = false;
      }
      if (out.remaining() < clen) drain();
      long offset;
      if (clen > out.capacity()) { // larger than the buffer, which is empty now
        offset = appendPos;
        writeFully(ch, ByteBuffer.wrap(bytes, 0, clen), appendPos);
        appendPos += clen;
      } else {
        offset = appendPos + out.position();
        out.put(bytes, 0, clen);
      }
      if (count == offsets.length) grow(count + 1);
      offsets[count] = offset;
      compressedSizes[count] = clen;
      uncompressedSizes[count] = len;
      atomCounts[count] = atoms;
      count++;
      dirty = true;
    } catch (IOException | RuntimeException e) {
      failure = e;
      throw e;
    }
  }

  private void drain() throws IOException {
    out.flip();
    writeFully(ch, out, appendPos);
    appendPos += out.limit();
    out.clear();
  }

  private void grow(int min) {
    int cap = Math.max(min, (int) Math.min(Integer.MAX_VALUE - 16, offsets.length * 2L));
    offsets = Arrays.copyOf(offsets, cap);
    compressedSizes = Arrays.copyOf(compressedSizes, cap);
    uncompressedSizes = Arrays.copyOf(uncompressedSizes, cap);
    atomCounts = Arrays.copyOf(atomCounts, cap);
  }

  /**
   * The size the file would have if it were committed now, leaving out the schema blob: header, records
   * written or buffered so far, and the index. A sharded writer rolls over on it.
   */
  public long estimatedFileSize() {
    return appendPos + out.position() + AtpLayout.INDEX_PREFIX_SIZE + (long) count * AtpLayout.INDEX_ENTRY_SIZE;
  }

  /** Commits everything added so far: schema, index, sync, header slot, sync. */
  public void flush() throws IOException {
    ensureUsable();
    try {
      if (truncatePending) {
        ch.truncate(committedEnd);
        truncatePending = false;
      }
      drain();
      long schemaOffset = appendPos;
      long schemaLen = 0;
      if (schema != null) {
        byte[] blob = schema.encode();
        writeBuffered(blob);
        schemaLen = blob.length;
      }
      long indexOffset = appendPos + out.position();
      out.putLong(count);
      for (int i = 0; i < count; i++) {
        if (out.remaining() < AtpLayout.INDEX_ENTRY_SIZE) drain();
        out.putLong(offsets[i]).putInt(compressedSizes[i]).putInt(uncompressedSizes[i]).putInt(atomCounts[i]);
      }
      drain();
      long indexLen = AtpLayout.INDEX_PREFIX_SIZE + (long) count * AtpLayout.INDEX_ENTRY_SIZE;
      ch.force(false);
      long next = generation + 1;
      HeaderSlot slot = new HeaderSlot(next, AtpLayout.HEADER_REGION_SIZE, indexOffset, indexLen, count,
          compression.kind().id(), compression.level(), format.number(), schemaLen > 0 ? schemaOffset : 0, schemaLen);
      writeFully(ch, ByteBuffer.wrap(slot.encode()), AtpLayout.slotOffsetForGeneration(next));
      ch.force(true);
      generation = next;
      committedEnd = indexOffset + indexLen;
      appendPos = committedEnd;
      dirty = false;
    } catch (IOException | RuntimeException e) {
      failure = e;
      throw e;
    }
  }

  private void writeBuffered(byte[] b) throws IOException {
    int at = 0;
    while (at < b.length) {
      if (!out.hasRemaining()) drain();
      int n = Math.min(out.remaining(), b.length - at);
      out.put(b, at, n);
      at += n;
    }
  }

  private static void writeFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
    while (b.hasRemaining()) pos += ch.write(b, pos);
  }

  private void ensureUsable() {
    if (closed) throw new IllegalStateException("writer is closed: " + path);
    if (failure != null) throw new IllegalStateException("writer failed earlier and refuses further work: " + failure, failure);
  }

  /** Flushes what was added since the last flush, then closes the file. */
  @Override
  public void close() throws IOException {
    if (closed) return;
    try {
      if (failure == null && dirty) flush();
    } finally {
      closed = true;
      codec.close();
      ch.close();
    }
  }

  /**
   * Writes out buffered records and closes without committing them: they stay in the file as an
   * uncommitted tail, invisible to readers, as when a process dies before {@link #flush()}.
   */
  public void abandon() throws IOException {
    if (closed) return;
    closed = true;
    try {
      if (failure == null) drain();
    } finally {
      codec.close();
      ch.close();
    }
  }

}
