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

/**
 * What opening a file establishes: both decoded slots, the selected one (the valid slot with the higher
 * generation, A on a tie), the record format and the schema blob.
 */
record FileHeader(
    Path path, long fileSize, HeaderSlot.Decoded slotA, HeaderSlot.Decoded slotB, char selectedSlot,
    HeaderSlot slot, RecordFormat format, Schema schema) {

  /**
   * Largest schema blob accepted. A schema holds one entry of 13 bytes plus a key of at most 255 bytes per
   * distinct field, so real ones are a few kilobytes; the bound keeps a hostile header from allocating much.
   */
  static final long MAX_SCHEMA_BYTES = 16L << 20;

  public HeaderSlot.Decoded selected() { return selectedSlot == 'A' ? slotA : slotB; }

  /** Bytes past the committed end (an uncommitted tail). */
  public long uncommittedBytes() { return fileSize - slot.committedEnd(); }

  /** The end of the record region: records lie in [dataStart, recordsEnd). */
  public long recordsEnd() { return slot.hasSchema() ? slot.schemaOffset() : slot.hasIndex() ? slot.indexOffset() : fileSize; }

  static FileHeader read(Path path, FileChannel ch) throws IOException {
    long size = ch.size();
    if (size < 8) throw new CorruptFileException(path, 0, "not an Atompack file: only " + size + " bytes (Invalid file format)");
    ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    readFully(ch, prefix, 0, path);
    if (!Arrays.equals(Arrays.copyOf(prefix.array(), 4), AtpLayout.MAGIC)) {
      throw new CorruptFileException(path, 0, "not an Atompack file: bad magic (Invalid file format)");
    }
    int version = prefix.getInt(4);
    if (version != AtpLayout.FILE_FORMAT_VERSION) {
      throw new UnsupportedFormatVersionException(path, 4,
          "unsupported file format version " + Integer.toUnsignedString(version) + " (expected " + AtpLayout.FILE_FORMAT_VERSION + ")");
    }
    if (size < AtpLayout.HEADER_REGION_SIZE) {
      throw new CorruptFileException(path, size, "file is truncated: " + size + " bytes, shorter than the two 4096-byte header slots");
    }
    HeaderSlot.Decoded a = HeaderSlot.decode(readBytes(ch, AtpLayout.SLOT_A_OFFSET, AtpLayout.HEADER_SLOT_SIZE, path), size);
    HeaderSlot.Decoded b = HeaderSlot.decode(readBytes(ch, AtpLayout.SLOT_B_OFFSET, AtpLayout.HEADER_SLOT_SIZE, path), size);
    char sel;
    if (a.valid() && b.valid()) sel = Long.compareUnsigned(a.slot().generation(), b.slot().generation()) >= 0 ? 'A' : 'B';
    else if (a.valid()) sel = 'A';
    else if (b.valid()) sel = 'B';
    else {
      throw new CorruptFileException(path, 0, "invalid or corrupted header: no valid header slot (slot A: "
          + String.join(", ", a.problems()) + "; slot B: " + String.join(", ", b.problems()) + ")");
    }
    HeaderSlot slot = (sel == 'A' ? a : b).slot();
    long slotOffset = sel == 'A' ? AtpLayout.SLOT_A_OFFSET : AtpLayout.SLOT_B_OFFSET;
    if (!RecordFormat.isSupported(slot.recordFormat())) {
      throw new UnsupportedFormatVersionException(path, slotOffset + 56, "unsupported record format " + Integer.toUnsignedString(slot.recordFormat()));
    }
    RecordFormat format = RecordFormat.of(slot.recordFormat());
    Schema schema = null;
    if (slot.hasSchema()) {
      if (slot.schemaLen() > MAX_SCHEMA_BYTES) {
        throw new CorruptFileException(path, slot.schemaOffset(), "schema blob of " + slot.schemaLen()
            + " bytes is implausibly large (at most " + MAX_SCHEMA_BYTES + " accepted)");
      }
      try {
        schema = Schema.decode(readBytes(ch, slot.schemaOffset(), (int) slot.schemaLen(), path));
        format.positionsType(schema.positionsType());
      } catch (IllegalArgumentException e) {
        throw new CorruptFileException(path, slot.schemaOffset(), "bad schema blob: " + e.getMessage());
      }
    } else if (format.number() == 3 && slot.numMolecules() > 0) {
      throw new CorruptFileException(path, slotOffset, "record format 3 file without a schema blob: the positions dtype is unknown");
    }
    if (slot.hasIndex()) {
      long count = readBytesBuffer(ch, slot.indexOffset(), 8, path).getLong(0);
      if (count != slot.numMolecules()) {
        throw new CorruptFileException(path, slot.indexOffset(), "index count " + Long.toUnsignedString(count)
            + " disagrees with the header's " + slot.numMolecules() + " molecules");
      }
    }
    return new FileHeader(path, size, a, b, sel, slot, format, schema);
  }

  static byte[] readBytes(FileChannel ch, long offset, int len, Path path) throws IOException {
    return readBytesBuffer(ch, offset, len, path).array();
  }

  private static ByteBuffer readBytesBuffer(FileChannel ch, long offset, int len, Path path) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
    readFully(ch, b, offset, path);
    return b;
  }

  private static void readFully(FileChannel ch, ByteBuffer b, long offset, Path path) throws IOException {
    long pos = offset;
    while (b.hasRemaining()) {
      int n = ch.read(b, pos);
      if (n < 0) throw new CorruptFileException(path, pos, "unexpected end of file");
      pos += n;
    }
  }
}
