package org.atomstore.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Adler32;
import org.atomstore.codec.Compression;

/**
 * One of the two 4 KiB header slots:
 *
 * <pre>
 * HeaderSlot --&gt; magic:"ATPK" version:u32 generation:u64 dataStart:u64 indexOffset:u64 indexLen:u64
 *                numMolecules:u64 compressionType:u8 pad:u8[3] compressionLevel:i32 recordFormat:u32
 *                schemaOffset:u64 schemaLen:u64 zero:u8[4016] adler32:u32
 * </pre>
 *
 * The Adler-32 covers the first 4092 bytes. A slot is valid when magic, version and checksum match, the
 * compression type is known and the offsets it names lie inside the file.
 */
public record HeaderSlot(
    long generation,
    long dataStart,
    long indexOffset,
    long indexLen,
    long numMolecules,
    int compressionType,
    int compressionLevel,
    int recordFormat,
    long schemaOffset,
    long schemaLen) {

  /** The result of decoding a slot: its fields, checksums and every problem found (valid when none). */
  public record Decoded(
      HeaderSlot slot, boolean magicOk, int formatVersion, long storedAdler32, long computedAdler32, List<String> problems) {
    public boolean valid() { return problems.isEmpty(); }
    public boolean checksumOk() { return storedAdler32 == computedAdler32; }

    /**
     * Whether a writer wrote this slot whole: magic, version and checksum match. An intact slot that is not
     * {@link #valid()} names data the file does not hold (it was cut after the commit), whereas a slot that is
     * not intact was torn by a crash or damaged, and the other slot is then the last commit.
     */
    public boolean intact() { return magicOk && formatVersion == AtpLayout.FILE_FORMAT_VERSION && checksumOk(); }
  }

  public Compression compression() {
    Compression.Kind kind = Compression.Kind.forId(compressionType);
    if (kind == null) throw new IllegalStateException("unknown compression type " + compressionType);
    return kind == Compression.Kind.ZSTD ? Compression.zstd(compressionLevel) : new Compression(kind, 0);
  }

  public boolean hasIndex() { return indexOffset != 0 && indexLen != 0; }

  public boolean hasSchema() { return schemaOffset != 0 && schemaLen != 0; }

  /** The end of what this slot commits: the end of the index, or the data start when there is none. */
  public long committedEnd() { return hasIndex() ? indexOffset + indexLen : dataStart; }

  public static HeaderSlot empty(Compression compression, int recordFormat) {
    return new HeaderSlot(0, AtpLayout.HEADER_REGION_SIZE, 0, 0, 0, compression.kind().id(), compression.level(), recordFormat, 0, 0);
  }

  public byte[] encode() {
    ByteBuffer b = ByteBuffer.allocate(AtpLayout.HEADER_SLOT_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    b.put(AtpLayout.MAGIC).putInt(AtpLayout.FILE_FORMAT_VERSION);
    b.putLong(generation).putLong(dataStart).putLong(indexOffset).putLong(indexLen).putLong(numMolecules);
    b.put(48, (byte) compressionType);
    b.putInt(52, compressionLevel).putInt(56, recordFormat).putLong(60, schemaOffset).putLong(68, schemaLen);
    byte[] out = b.array();
    b.putInt(AtpLayout.HEADER_SLOT_SIZE - 4, (int) adler32(out));
    return out;
  }

  static long adler32(byte[] slot) {
    Adler32 a = new Adler32();
    a.update(slot, 0, AtpLayout.HEADER_SLOT_SIZE - 4);
    return a.getValue();
  }

  /** Decodes a slot and checks it against the file size, as the reference does. */
  public static Decoded decode(byte[] bytes, long fileSize) {
    if (bytes.length != AtpLayout.HEADER_SLOT_SIZE) throw new IllegalArgumentException("slot must be 4096 bytes");
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    List<String> problems = new ArrayList<>();
    boolean magicOk = Arrays.equals(Arrays.copyOf(bytes, 4), AtpLayout.MAGIC);
    if (!magicOk) problems.add("bad magic");
    int version = b.getInt(4);
    if (version != AtpLayout.FILE_FORMAT_VERSION) problems.add("unsupported format version " + version);
    long stored = Integer.toUnsignedLong(b.getInt(AtpLayout.HEADER_SLOT_SIZE - 4));
    long computed = adler32(bytes);
    if (stored != computed) problems.add("checksum mismatch: stored " + stored + ", computed " + computed);
    HeaderSlot s = new HeaderSlot(
        b.getLong(8), b.getLong(16), b.getLong(24), b.getLong(32), b.getLong(40),
        Byte.toUnsignedInt(b.get(48)), b.getInt(52), b.getInt(56), b.getLong(60), b.getLong(68));
    if (Compression.Kind.forId(s.compressionType) == null) problems.add("unknown compression type " + s.compressionType);
    if (Long.compareUnsigned(s.dataStart, AtpLayout.HEADER_REGION_SIZE) < 0 || Long.compareUnsigned(s.dataStart, fileSize) > 0) {
      problems.add("data start " + Long.toUnsignedString(s.dataStart) + " outside [8192, " + fileSize + "]");
    }
    if (s.schemaOffset == 0 || s.schemaLen == 0) {
      if (s.schemaOffset != 0 || s.schemaLen != 0) problems.add("half-set schema location");
    } else if (!inside(s.schemaOffset, s.schemaLen, s.dataStart, fileSize)) {
      problems.add("schema [" + Long.toUnsignedString(s.schemaOffset) + " +" + Long.toUnsignedString(s.schemaLen) + "] outside the file");
    }
    if (s.indexOffset == 0 || s.indexLen == 0) {
      if (s.numMolecules != 0 || s.indexOffset != 0 || s.indexLen != 0) problems.add("molecules or half-set index without an index");
    } else {
      boolean sizeOk = Long.compareUnsigned(s.numMolecules, (Long.MAX_VALUE - AtpLayout.INDEX_PREFIX_SIZE) / AtpLayout.INDEX_ENTRY_SIZE) <= 0
          && s.indexLen == AtpLayout.INDEX_PREFIX_SIZE + s.numMolecules * AtpLayout.INDEX_ENTRY_SIZE;
      if (!sizeOk) problems.add("index length " + Long.toUnsignedString(s.indexLen) + " does not fit " + Long.toUnsignedString(s.numMolecules) + " molecules");
      if (!inside(s.indexOffset, s.indexLen, s.dataStart, fileSize)) {
        problems.add("index [" + Long.toUnsignedString(s.indexOffset) + " +" + Long.toUnsignedString(s.indexLen) + "] outside the file");
      }
    }
    return new Decoded(s, magicOk, version, stored, computed, List.copyOf(problems));
  }

  private static boolean inside(long offset, long len, long dataStart, long fileSize) {
    long end = offset + len;
    boolean overflow = Long.compareUnsigned(end, offset) < 0;
    return !overflow && Long.compareUnsigned(offset, dataStart) >= 0 && Long.compareUnsigned(end, fileSize) <= 0;
  }
}
