package org.atomstore.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import org.atomstore.format.AtpLayout;
import org.atomstore.format.HeaderSlot;
import org.atomstore.format.RecordFormat;
import org.atomstore.format.Schema;
import org.atomstore.model.TypeTag;

/**
 * What opening a file establishes: both decoded slots, the selected one (the valid slot with the higher
 * generation, A on a tie), the record format, the schema blob and the positions type tag records are read
 * with (4 or 7; 4 for an empty file whose format leaves it open). {@code path} is the local file, or null for a
 * file read through a {@link ByteSource} (then {@code source} is its address); errors name {@code source}.
 */
record FileHeader(
    Path path, String source, long fileSize, HeaderSlot.Decoded slotA, HeaderSlot.Decoded slotB, char selectedSlot,
    HeaderSlot slot, RecordFormat format, Schema schema, int positionsType) {

  /**
   * Largest schema blob accepted. A schema holds one entry of 13 bytes plus a key of at most 255 bytes per
   * distinct field, so real ones are a few kilobytes; the bound keeps a hostile header from allocating much.
   */
  static final long MAX_SCHEMA_BYTES = 16L << 20;

  public HeaderSlot.Decoded selected() { return selectedSlot == 'A' ? slotA : slotB; }

  /** Bytes past the committed end (an uncommitted tail). */
  public long uncommittedBytes() { return fileSize - slot.committedEnd(); }

  /** The end of the record region: records lie in [dataStart, recordsEnd). */
  public long recordsEnd() { return slot.hasSchema() ? slot.schemaOffset() : slot.hasIndex() ? slot.indexOffset() : slot.dataStart(); }

  /** The end of everything the selected slot commits (records, schema blob, index): what a reader maps. */
  public long committedSize() {
    long end = slot.committedEnd();
    return slot.hasSchema() ? Math.max(end, slot.schemaOffset() + slot.schemaLen()) : end;
  }

  /** Attempts at a consistent view of slots and size while a writer commits, before the last view decides. */
  private static final int MAX_ATTEMPTS = 64;

  /**
   * Reads the header slots, then the file size, and selects the slot to read, as the reference does, with two
   * differences. A writer writes a commit's data before its slot, and the file never shrinks below a commit (a
   * writer reopening for append cuts only the uncommitted tail), so slots read before the size always fit in
   * it: a size read first could predate a commit whose slot is then read, which made a healthy file look as
   * if no slot were valid. And an intact slot (checksum good) newer than the one selected, whose data lies
   * past the end of the file, means the file was cut after that commit: the reference then reads the older
   * generation (often 0 molecules) as if nothing were lost; this refuses to open, naming what is missing.
   * When no slot is valid or an intact one does not fit, the slots and size are read again until two reads
   * agree, so that a slot torn by a writer that is rewriting it at that moment is not taken for damage.
   */
  static FileHeader read(Path path, FileChannel ch) throws IOException {
    return read(new Origin(path, path.toString()), new ChannelBytes(ch, path));
  }

  /**
   * Reads the header of a file through a byte source (a remote file, read with range requests): what
   * {@link #read(Path, FileChannel)} does, with errors naming {@code source}. The bytes of a source do not
   * change while it is open, so a failed selection is not read again.
   */
  static FileHeader read(String source, Bytes bytes) throws IOException {
    return read(new Origin(null, source), bytes);
  }

  /** Positioned reads of a file's bytes: a local channel, or a byte source behind a remote reader. */
  interface Bytes {
    /** The file's size now. */
    long size() throws IOException;

    /** Fills {@code b} from {@code offset}; false when the file ends first. */
    boolean read(ByteBuffer b, long offset) throws IOException;

    /** Whether the bytes may change while the file is open (a local file a writer appends to). */
    default boolean live() { return true; }
  }

  /** The path and name errors carry. */
  record Origin(Path path, String name) {
    CorruptFileException corrupt(long offset, String problem) {
      return path != null ? new CorruptFileException(path, offset, problem) : new CorruptFileException(name, offset, problem);
    }

    CorruptFileException unsupported(long offset, String problem) {
      return path != null ? new UnsupportedFormatVersionException(path, offset, problem) : new UnsupportedFormatVersionException(name, offset, problem);
    }

    CorruptFileException lost(long offset, String problem) {
      return path != null ? new LostCommitException(path, offset, problem) : new LostCommitException(name, offset, problem);
    }
  }

  private record ChannelBytes(FileChannel ch, Path path) implements Bytes {
    @Override
    public long size() throws IOException { return ch.size(); }

    @Override
    public boolean read(ByteBuffer b, long offset) throws IOException {
      long pos = offset;
      while (b.hasRemaining()) {
        int n = ch.read(b, pos);
        if (n < 0) return false;
        pos += n;
      }
      return true;
    }
  }

  private static FileHeader read(Origin origin, Bytes ch) throws IOException {
    long size = ch.size();
    if (size < 8) throw origin.corrupt(0, "not an Atompack file: only " + size + " bytes (Invalid file format)");
    ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    readFully(origin, ch, prefix, 0);
    if (!Arrays.equals(Arrays.copyOf(prefix.array(), 4), AtpLayout.MAGIC)) {
      throw origin.corrupt(0, "not an Atompack file: bad magic (Invalid file format)");
    }
    int version = prefix.getInt(4);
    if (version != AtpLayout.FILE_FORMAT_VERSION) {
      throw origin.unsupported(4,
          "unsupported file format version " + Integer.toUnsignedString(version) + " (expected " + AtpLayout.FILE_FORMAT_VERSION + ")");
    }
    byte[] previous = null;
    long previousSize = -1;
    for (int attempt = 1; ; attempt++) {
      byte[] slots = readSlots(ch);
      size = ch.size();
      if (slots == null || size < AtpLayout.HEADER_REGION_SIZE) {
        throw origin.corrupt(size, "file is truncated: " + size + " bytes, shorter than the two 4096-byte header slots");
      }
      HeaderSlot.Decoded a = HeaderSlot.decode(Arrays.copyOfRange(slots, 0, AtpLayout.HEADER_SLOT_SIZE), size);
      HeaderSlot.Decoded b = HeaderSlot.decode(Arrays.copyOfRange(slots, AtpLayout.HEADER_SLOT_SIZE, slots.length), size);
      String problem = selectionProblem(a, b, size);
      if (problem == null) return complete(origin, ch, size, a, b);
      // a source whose bytes cannot change (a remote file) gives the same slots when read again
      boolean settled = !ch.live() || size == previousSize && Arrays.equals(slots, previous);
      if (settled || attempt == MAX_ATTEMPTS) throw origin.lost(0, problem);
      previous = slots;
      previousSize = size;
      Thread.onSpinWait();
    }
  }

  /** The slot the reference selects: the valid one with the higher generation, A on a tie; null when none. */
  private static HeaderSlot.Decoded selected(HeaderSlot.Decoded a, HeaderSlot.Decoded b) {
    if (a.valid() && b.valid()) return Long.compareUnsigned(a.slot().generation(), b.slot().generation()) >= 0 ? a : b;
    return a.valid() ? a : b.valid() ? b : null;
  }

  /** Why these slots cannot be opened, or null when they can. */
  private static String selectionProblem(HeaderSlot.Decoded a, HeaderSlot.Decoded b, long size) {
    HeaderSlot.Decoded sel = selected(a, b);
    if (sel == null) {
      String lost = lostCommit(a, 'A', null, size);
      if (lost == null) lost = lostCommit(b, 'B', null, size);
      if (lost != null) return lost;
      return "invalid or corrupted header: no valid header slot (slot A: " + String.join(", ", a.problems())
          + "; slot B: " + String.join(", ", b.problems()) + ")";
    }
    String lost = lostCommit(a, 'A', sel, size);
    return lost != null ? lost : lostCommit(b, 'B', sel, size);
  }

  /** The committed data an intact slot names but the file lacks, when it is newer than {@code sel}; else null. */
  private static String lostCommit(HeaderSlot.Decoded d, char name, HeaderSlot.Decoded sel, long size) {
    if (d == sel || !d.intact() || d.valid()) return null;
    if (sel != null && Long.compareUnsigned(d.slot().generation(), sel.slot().generation()) <= 0) return null;
    return "committed data missing: header slot " + name + " (generation " + Long.toUnsignedString(d.slot().generation())
        + ", " + Long.toUnsignedString(d.slot().numMolecules()) + " molecules) is intact but unusable: "
        + String.join(", ", d.problems()) + "; the file (" + size + " bytes) was cut or damaged after that commit"
        + (sel == null ? "" : "; refusing to fall back silently to generation " + Long.toUnsignedString(sel.slot().generation())
            + " (" + Long.toUnsignedString(sel.slot().numMolecules()) + " molecules)");
  }

  /** Both slots as one array, or null when the file ends inside them. */
  private static byte[] readSlots(Bytes ch) throws IOException {
    ByteBuffer b = ByteBuffer.allocate((int) AtpLayout.HEADER_REGION_SIZE);
    return ch.read(b, 0) ? b.array() : null;
  }

  private static FileHeader complete(Origin origin, Bytes ch, long size, HeaderSlot.Decoded a, HeaderSlot.Decoded b)
      throws IOException {
    HeaderSlot.Decoded selected = selected(a, b);
    char sel = selected == a ? 'A' : 'B';
    HeaderSlot slot = selected.slot();
    long slotOffset = sel == 'A' ? AtpLayout.SLOT_A_OFFSET : AtpLayout.SLOT_B_OFFSET;
    if (!RecordFormat.isSupported(slot.recordFormat())) {
      throw origin.unsupported(slotOffset + 56, "unsupported record format " + Integer.toUnsignedString(slot.recordFormat()));
    }
    RecordFormat format = RecordFormat.of(slot.recordFormat());
    Schema schema = null;
    if (slot.hasSchema()) {
      if (slot.schemaLen() > MAX_SCHEMA_BYTES) {
        throw origin.corrupt(slot.schemaOffset(), "schema blob of " + slot.schemaLen()
            + " bytes is implausibly large (at most " + MAX_SCHEMA_BYTES + " accepted)");
      }
      Schema.Decoded d = Schema.read(readBytes(origin, ch, slot.schemaOffset(), (int) slot.schemaLen()));
      if (d.problem() != null) throw origin.corrupt(slot.schemaOffset(), "bad schema blob: " + d.problem());
      schema = d.schema();
    }
    int schemaPositionsType = schema == null ? -1 : schema.positionsType();
    String positionsProblem = format.positionsTypeProblem(schemaPositionsType);
    int positionsType;
    if (positionsProblem == null) {
      positionsType = format.positionsType(schemaPositionsType);
    } else if (slot.numMolecules() > 0) {
      // Like the reference, a file whose positions dtype cannot be resolved opens when it holds no molecule
      // (there is nothing to decode); with molecules every read would fail, so it is refused here.
      throw origin.corrupt(schema == null ? slotOffset : slot.schemaOffset(),
          positionsProblem + " (" + slot.numMolecules() + " molecules cannot be decoded)");
    } else {
      positionsType = TypeTag.VEC3_F32;
    }
    if (slot.hasIndex()) {
      long count = readBytesBuffer(origin, ch, slot.indexOffset(), 8).getLong(0);
      if (count != slot.numMolecules()) {
        throw origin.corrupt(slot.indexOffset(), "index count " + Long.toUnsignedString(count)
            + " disagrees with the header's " + slot.numMolecules() + " molecules");
      }
    }
    return new FileHeader(origin.path(), origin.name(), size, a, b, sel, slot, format, schema, positionsType);
  }

  static byte[] readBytes(Origin origin, Bytes ch, long offset, int len) throws IOException {
    return readBytesBuffer(origin, ch, offset, len).array();
  }

  private static ByteBuffer readBytesBuffer(Origin origin, Bytes ch, long offset, int len) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
    readFully(origin, ch, b, offset);
    return b;
  }

  private static void readFully(Origin origin, Bytes ch, ByteBuffer b, long offset) throws IOException {
    if (!ch.read(b, offset)) throw origin.corrupt(offset + b.position(), "unexpected end of file");
  }
}
