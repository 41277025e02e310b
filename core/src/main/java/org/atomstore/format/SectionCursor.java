package org.atomstore.format;

import static org.atomstore.format.AtpLayout.BYTE;
import static org.atomstore.format.AtpLayout.LE_INT;
import static org.atomstore.format.AtpLayout.LE_SHORT;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.atomstore.model.BuiltinField;
import org.atomstore.model.TypeTag;

/**
 * Walks one decoded record (see {@link RecordEncoder} for the layout) without allocating: the header
 * first, then one section at a time. Every length is checked against the record's end before use; a
 * problem raises {@link RecordFormatException} with the byte position in the record. One cursor belongs to
 * one thread and may be reused for many records.
 */
public final class SectionCursor {
  /** The builtin section names by section id, from {@link BuiltinField#SECTIONS}. */
  public static final String[] BUILTIN_NAMES = BuiltinField.SECTIONS.stream().map(BuiltinField::key).toArray(String[]::new);
  private static final byte[][] BUILTIN_BYTES = new byte[BUILTIN_NAMES.length][];

  /** The first (up to) 8 bytes of each builtin name as a little-endian long, for one-read comparisons. */
  private static final long[] BUILTIN_HEAD = new long[BUILTIN_NAMES.length];

  private static final int MIN_BUILTIN_LENGTH = BuiltinField.SECTIONS.stream().mapToInt(f -> f.key().length()).min().orElseThrow();
  private static final int MAX_BUILTIN_LENGTH = BuiltinField.SECTIONS.stream().mapToInt(f -> f.key().length()).max().orElseThrow();

  /**
   * The one builtin id a key's first byte and length can name, or -1: the first test of {@link #builtinId}, one
   * table read instead of comparing names (no two builtin names share both).
   */
  private static final byte[] ID_BY_FIRST_AND_LENGTH = new byte[256 * (MAX_BUILTIN_LENGTH + 1)];

  static {
    java.util.Arrays.fill(ID_BY_FIRST_AND_LENGTH, (byte) -1);
    for (BuiltinField f : BuiltinField.SECTIONS) {
      int slot = (f.key().charAt(0) & 0xFF) * (MAX_BUILTIN_LENGTH + 1) + f.key().length();
      if (ID_BY_FIRST_AND_LENGTH[slot] >= 0) throw new AssertionError("builtin names share first byte and length: " + f.key());
      ID_BY_FIRST_AND_LENGTH[slot] = (byte) f.id();
    }
    for (int i = 0; i < BUILTIN_NAMES.length; i++) {
      BUILTIN_BYTES[i] = BUILTIN_NAMES[i].getBytes(StandardCharsets.US_ASCII);
      long head = 0;
      for (int k = Math.min(8, BUILTIN_BYTES[i].length) - 1; k >= 0; k--) head = (head << 8) | (BUILTIN_BYTES[i][k] & 0xFF);
      BUILTIN_HEAD[i] = head;
    }
  }

  private MemorySegment seg;
  private long base;
  private long limit;
  private long pos;
  private int sectionsLeft;

  private int atomCount;
  private int positionsStride;
  private long positionsOffset;
  private long numbersOffset;
  private int sectionCount;

  private int kind;
  private int keyLength;
  private long keyOffset;
  private int typeTag;
  private long payloadOffset;
  private long payloadLength;

  /** The id (0..7) of a builtin name, or -1. */
  public static int builtinId(String name) {
    BuiltinField f = BuiltinField.section(name);
    return f == null ? -1 : f.id();
  }

  /** Starts on a record of {@code length} bytes at the start of {@code record}. */
  public SectionCursor reset(MemorySegment record, long length, int positionsType) {
    return reset(record, 0, length, positionsType);
  }

  /**
   * Starts on a record of {@code length} bytes at offset {@code base} of {@code seg} (for example a whole file
   * mapping, so that no slice is made per record). Offsets this cursor returns, and the positions of the
   * exceptions it raises, are offsets in {@code seg}.
   *
   * @param positionsType 4 (float32) or 7 (float64)
   */
  public SectionCursor reset(MemorySegment seg, long base, long length, int positionsType) {
    this.seg = seg;
    this.base = base;
    this.limit = base + length;
    if (length < 6) throw new RecordFormatException("record too small (" + length + " bytes)", base);
    long n = Integer.toUnsignedLong(seg.get(LE_INT, base));
    positionsStride = positionsType == TypeTag.VEC3_F64 ? 24 : 12;
    long posEnd = base + 4 + n * positionsStride; // n < 2^32, so no overflow
    if (posEnd > limit) {
      throw new RecordFormatException("record truncated at positions: " + n + " atoms need " + (n * positionsStride)
          + " bytes, the record has " + length, base);
    }
    if (posEnd + n + 2 > limit) throw new RecordFormatException("record truncated at atomic numbers of " + n + " atoms", posEnd);
    atomCount = (int) n;
    positionsOffset = base + 4;
    numbersOffset = posEnd;
    pos = posEnd + n;
    sectionCount = Short.toUnsignedInt(seg.get(LE_SHORT, pos));
    sectionsLeft = sectionCount;
    pos += 2;
    return this;
  }

  /** Where the current record starts in {@link #segment()}. */
  public long base() { return base; }

  public int atomCount() { return atomCount; }
  public long positionsOffset() { return positionsOffset; }
  public long numbersOffset() { return numbersOffset; }
  public int sectionCount() { return sectionCount; }
  public MemorySegment segment() { return seg; }

  /** Advances to the next section; false after the last. */
  public boolean next() {
    if (sectionsLeft == 0) return false;
    if (pos + 7 > limit) throw new RecordFormatException("section header truncated", pos);
    kind = Byte.toUnsignedInt(seg.get(BYTE, pos));
    keyLength = Byte.toUnsignedInt(seg.get(BYTE, pos + 1));
    keyOffset = pos + 2;
    long p = keyOffset + keyLength;
    if (p + 5 > limit) throw new RecordFormatException("section key truncated", pos);
    typeTag = Byte.toUnsignedInt(seg.get(BYTE, p));
    payloadLength = Integer.toUnsignedLong(seg.get(LE_INT, p + 1));
    payloadOffset = p + 5;
    if (payloadOffset + payloadLength > limit) {
      throw new RecordFormatException("section payload truncated: " + payloadLength + " bytes announced, "
          + (limit - payloadOffset) + " left", p + 1);
    }
    pos = payloadOffset + payloadLength;
    sectionsLeft--;
    return true;
  }

  /** Bytes after the last section (the reference ignores them; verify reports them). */
  public long trailingBytes() { return limit - pos; }

  public int kind() { return kind; }
  public int typeTag() { return typeTag; }
  public long payloadOffset() { return payloadOffset; }
  public long payloadLength() { return payloadLength; }
  public long keyOffset() { return keyOffset; }

  /** The builtin id (0..7) of the current section's key, or -1 for an unknown key. */
  public int builtinId() {
    if (keyLength < MIN_BUILTIN_LENGTH || keyLength > MAX_BUILTIN_LENGTH) return -1;
    int id = ID_BY_FIRST_AND_LENGTH[(seg.get(BYTE, keyOffset) & 0xFF) * (MAX_BUILTIN_LENGTH + 1) + keyLength];
    if (id < 0) return -1;
    // keys are followed by at least 5 bytes (type tag, payload length), so an 8-byte read stays in the record
    long head = seg.get(AtpLayout.LE_LONG, keyOffset);
    if (keyLength < 8) head &= (1L << (8 * keyLength)) - 1;
    if (head != BUILTIN_HEAD[id]) return -1;
    for (int k = 8; k < keyLength; k++) if (seg.get(BYTE, keyOffset + k) != BUILTIN_BYTES[id][k]) return -1;
    return id;
  }

  public boolean keyEquals(byte[] key) {
    if (key.length != keyLength) return false;
    for (int i = 0; i < keyLength; i++) if (seg.get(BYTE, keyOffset + i) != key[i]) return false;
    return true;
  }

  /** The key, decoded strictly as UTF-8 (repeated keys come from a small per-cursor cache). */
  public String key() {
    int h = (keyLength * 31 + (keyLength > 0 ? seg.get(BYTE, keyOffset) * 7 + seg.get(BYTE, keyOffset + keyLength - 1) : 0)) & (KEY_CACHE - 1);
    byte[] cached = keyCacheBytes[h];
    if (cached != null && keyEquals(cached)) return keyCache[h];
    byte[] b = new byte[keyLength];
    MemorySegment.copy(seg, BYTE, keyOffset, b, 0, keyLength);
    String k = decode(b, keyOffset, "section key");
    keyCacheBytes[h] = b;
    keyCache[h] = k;
    return k;
  }

  /** Bytes of the record decoded strictly as UTF-8. */
  public String utf8(long offset, long length, String what) {
    byte[] b = new byte[Math.toIntExact(length)];
    MemorySegment.copy(seg, BYTE, offset, b, 0, b.length);
    return decode(b, offset, what);
  }

  private String decode(byte[] b, long offset, String what) {
    boolean ascii = true;
    for (byte x : b) {
      if (x < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) return new String(b, StandardCharsets.ISO_8859_1);
    if (utf8 == null) utf8 = new StrictUtf8();
    String s = utf8.decode(ByteBuffer.wrap(b));
    if (s == null) throw new RecordFormatException("invalid UTF-8 in " + what, offset);
    return s;
  }

  private static final int KEY_CACHE = 64;
  private final String[] keyCache = new String[KEY_CACHE];
  private final byte[][] keyCacheBytes = new byte[KEY_CACHE][];
  private StrictUtf8 utf8;
}
