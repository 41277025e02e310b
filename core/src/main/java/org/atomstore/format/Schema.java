package org.atomstore.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.atomstore.model.BuiltinField;
import org.atomstore.model.Molecule;
import org.atomstore.model.TypeTag;

/**
 * The schema lock of a file: the positions type and, for every section key ever written, its type and
 * size rules. Records must agree with it; a new key may appear in any later record.
 *
 * <pre>
 * Schema       --&gt; version:u32(=1) positionsType:u8(255 = none) count:u32 SchemaEntry^count
 * SchemaEntry  --&gt; kind:u8 typeTag:u8 perAtom:u8 keyLen:u16 elemBytes:u32 slotBytes:u32 key:utf8[keyLen]
 * </pre>
 *
 * Entries are stored sorted by kind, then by the UTF-8 bytes of the key. A Schema is owned by one thread.
 */
public final class Schema {
  public static final int BLOB_VERSION = 1;
  public static final int NO_POSITIONS_TYPE = 255;
  private static final int ENTRY_FIXED_BYTES = 13;

  /** One section's rules. {@code slotBytes} is 0 for strings, null and tensors (their size varies). */
  public record Entry(int kind, String key, int typeTag, boolean perAtom, long elemBytes, long slotBytes) {}

  private int positionsType = NO_POSITIONS_TYPE;
  /** Entries of the three known kinds (builtin, atom property, molecule property), by key. */
  private final List<Map<String, Entry>> byKind = List.of(new HashMap<>(), new HashMap<>(), new HashMap<>());
  private final Map<Integer, Map<String, Entry>> otherKinds = new HashMap<>();

  public Schema() {}

  public Schema copy() {
    Schema s = new Schema();
    s.positionsType = positionsType;
    for (Entry e : entries()) s.put(e);
    return s;
  }

  /** The positions type tag (4 or 7), or -1 when no record has fixed it yet. */
  public int positionsType() { return positionsType == NO_POSITIONS_TYPE ? -1 : positionsType; }

  public boolean isEmpty() { return positionsType == NO_POSITIONS_TYPE && entries().isEmpty(); }

  public Entry get(int kind, String key) {
    Map<String, Entry> m = kind >= 0 && kind < 3 ? byKind.get(kind) : otherKinds.get(kind);
    return m == null ? null : m.get(key);
  }

  /** All entries in on-disk order. */
  public List<Entry> entries() {
    List<Entry> out = new ArrayList<>();
    for (Map<String, Entry> m : byKind) out.addAll(m.values());
    otherKinds.values().forEach(m -> out.addAll(m.values()));
    out.sort((a, b) -> a.kind != b.kind ? Integer.compare(a.kind, b.kind) : Molecule.UTF8_ORDER.compare(a.key, b.key));
    return out;
  }

  private void put(Entry e) {
    Map<String, Entry> m = e.kind >= 0 && e.kind < 3 ? byKind.get(e.kind) : otherKinds.computeIfAbsent(e.kind, k -> new HashMap<>());
    m.put(e.key, e);
  }

  /**
   * The rule the reference derives for a section: whether it is per atom, its element size and its
   * fixed size ("slot"), after checking the payload against the atom count.
   *
   * @param tensorDims the dims of a tensor payload, null for other types
   * @throws IllegalArgumentException when the section cannot be stored ({@link #entryProblem} says why)
   */
  public static Entry entryFor(int kind, String key, int typeTag, long payloadLen, int[] tensorDims, int atomCount) {
    boolean perAtom = isPerAtom(kind, key);
    int elem = TypeTag.elementBytes(typeTag);
    String problem = entryProblem(key, typeTag, payloadLen, tensorDims, atomCount, perAtom, elem);
    if (problem != null) throw new IllegalArgumentException(problem);
    boolean tensor = TypeTag.isTensor(typeTag);
    long slot;
    if (typeTag == TypeTag.STRING || typeTag == TypeTag.NONE || tensor) {
      slot = 0;
    } else if (perAtom) {
      slot = switch (typeTag) {
        case TypeTag.F64_ARRAY, TypeTag.I64_ARRAY, TypeTag.F32_ARRAY, TypeTag.I32_ARRAY, TypeTag.VEC3_F32, TypeTag.VEC3_F64 -> elem;
        default -> payloadLen / Math.max(atomCount, 1);
      };
    } else {
      slot = payloadLen;
    }
    return new Entry(kind, key, typeTag, perAtom, elem, slot);
  }

  /** Why {@link #entryFor} cannot derive a rule for this section (it cannot be stored), or null when it can. */
  public static String entryProblem(int kind, String key, int typeTag, long payloadLen, int[] tensorDims, int atomCount) {
    return entryProblem(key, typeTag, payloadLen, tensorDims, atomCount, isPerAtom(kind, key), TypeTag.elementBytes(typeTag));
  }

  private static String entryProblem(String key, int typeTag, long payloadLen, int[] tensorDims, int atomCount,
      boolean perAtom, int elem) {
    if (elem < 0) return "unsupported section type tag " + typeTag + " for '" + key + "'";
    if (perAtom && TypeTag.isTensor(typeTag)) {
      if (tensorDims == null || tensorDims.length == 0) return "atom tensor property '" + key + "' must have at least one dimension";
      if (tensorDims[0] != atomCount) {
        return "atom tensor property '" + key + "' first dimension (" + tensorDims[0] + ") doesn't match atom count (" + atomCount + ")";
      }
    } else if (perAtom && payloadLen != (long) elem * atomCount) {
      return "section '" + key + "' payload length " + payloadLen + " does not match expected " + ((long) elem * atomCount);
    }
    return null;
  }

  private static boolean isPerAtom(int kind, String key) {
    return kind == AtpLayout.KIND_ATOM_PROPERTY || (kind == AtpLayout.KIND_BUILTIN && perAtomBuiltin(key));
  }

  private static boolean perAtomBuiltin(String key) {
    BuiltinField f = BuiltinField.section(key);
    return f != null && f.perAtom();
  }

  /**
   * The rule of the cursor's current section, as {@link #entryFor} derives it.
   *
   * @throws IllegalArgumentException when {@link #entryProblemAt} names a problem
   */
  public static Entry entryAt(SectionCursor c) {
    return entryFor(c.kind(), c.key(), c.typeTag(), c.payloadLength(), tensorDimsAt(c), c.atomCount());
  }

  /** Why {@link #entryAt} cannot derive a rule for the cursor's current section, or null when it can. */
  public static String entryProblemAt(SectionCursor c) {
    return entryProblem(c.kind(), c.key(), c.typeTag(), c.payloadLength(), tensorDimsAt(c), c.atomCount());
  }

  private static int[] tensorDimsAt(SectionCursor c) {
    return TypeTag.isTensor(c.typeTag())
        ? PayloadDecoder.tensorDims(c.segment(), c.payloadOffset(), c.payloadLength(), c.typeTag()) : null;
  }

  /**
   * Checks that a record's positions type and entries agree with this schema (nothing is changed).
   *
   * @throws IllegalArgumentException when {@link #checkProblem} names a problem
   */
  public void check(int recordPositionsType, List<Entry> recordEntries) {
    String problem = checkProblem(recordPositionsType, recordEntries);
    if (problem != null) throw new IllegalArgumentException(problem);
  }

  /** Why a record's positions type and entries disagree with this schema, or null when they agree. */
  public String checkProblem(int recordPositionsType, List<Entry> recordEntries) {
    if (positionsType != NO_POSITIONS_TYPE && recordPositionsType >= 0 && recordPositionsType != positionsType) {
      return "position dtype mismatch: the file has type tag " + positionsType + ", the record " + recordPositionsType;
    }
    for (Entry e : recordEntries) {
      Entry have = get(e.kind, e.key);
      if (have != null && !have.equals(e)) {
        return "schema mismatch for section '" + e.key + "': expected " + describe(have) + ", got " + describe(e);
      }
    }
    return null;
  }

  /**
   * Adds a record's entries after {@link #check} accepted them.
   *
   * @throws IllegalArgumentException when they disagree with this schema (nothing is changed)
   */
  public void merge(int recordPositionsType, List<Entry> recordEntries) {
    String problem = tryMerge(recordPositionsType, recordEntries);
    if (problem != null) throw new IllegalArgumentException(problem);
  }

  /** Adds a record's entries when they agree with this schema and returns null; else returns why not, changing nothing. */
  public String tryMerge(int recordPositionsType, List<Entry> recordEntries) {
    // Records of a file mostly repeat one layout: the same entries as the last merge were accepted then and still are
    // (entries are never changed once added), so they are compared in order instead of looked up again.
    if (recordPositionsType == lastMergedPositionsType && recordEntries.equals(lastMerged)) return null;
    String problem = checkProblem(recordPositionsType, recordEntries);
    if (problem != null) return problem;
    if (positionsType == NO_POSITIONS_TYPE && recordPositionsType >= 0) positionsType = recordPositionsType;
    for (Entry e : recordEntries) {
      if (get(e.kind, e.key) == null) put(e);
    }
    lastMerged = List.copyOf(recordEntries);
    lastMergedPositionsType = recordPositionsType;
    return null;
  }

  private List<Entry> lastMerged = List.of();
  private int lastMergedPositionsType = Integer.MIN_VALUE;

  private static String describe(Entry e) {
    return "type " + e.typeTag + (e.slotBytes != 0 ? " of " + e.slotBytes + " bytes" : "") + (e.perAtom ? " per atom" : "");
  }

  public byte[] encode() {
    List<Entry> entries = entries();
    int size = 9;
    List<byte[]> keys = new ArrayList<>(entries.size());
    for (Entry e : entries) {
      byte[] k = e.key.getBytes(StandardCharsets.UTF_8);
      keys.add(k);
      size += ENTRY_FIXED_BYTES + k.length;
    }
    ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(BLOB_VERSION).put((byte) positionsType).putInt(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      b.put((byte) e.kind).put((byte) e.typeTag).put((byte) (e.perAtom ? 1 : 0)).putShort((short) keys.get(i).length)
          .putInt((int) e.elemBytes).putInt((int) e.slotBytes).put(keys.get(i));
    }
    return b.array();
  }

  /** A decoded schema blob: the schema, or why the blob is not one (then {@code schema} is null). */
  public record Decoded(Schema schema, String problem) {
    static Decoded bad(String problem) { return new Decoded(null, problem); }
  }

  /** Decodes a schema blob read from a file, returning the schema or why the bytes are not one. */
  public static Decoded read(byte[] bytes) {
    if (bytes.length < 9) return Decoded.bad("schema blob too small (" + bytes.length + " bytes)");
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int version = b.getInt();
    if (version != BLOB_VERSION) return Decoded.bad("unsupported schema blob version " + version);
    Schema s = new Schema();
    int pt = Byte.toUnsignedInt(b.get());
    if (pt != NO_POSITIONS_TYPE && pt != TypeTag.VEC3_F32 && pt != TypeTag.VEC3_F64) {
      return Decoded.bad("unsupported schema positions type tag " + pt);
    }
    s.positionsType = pt;
    long count = Integer.toUnsignedLong(b.getInt());
    if (count > (bytes.length - 9L) / ENTRY_FIXED_BYTES) {
      return Decoded.bad("schema blob claims " + count + " entries but has only " + bytes.length + " bytes");
    }
    StrictUtf8 utf8 = new StrictUtf8();
    for (long i = 0; i < count; i++) {
      if (b.remaining() < ENTRY_FIXED_BYTES) return Decoded.bad("schema blob truncated at entry " + i);
      int kind = Byte.toUnsignedInt(b.get());
      int tag = Byte.toUnsignedInt(b.get());
      int perAtom = Byte.toUnsignedInt(b.get());
      if (perAtom > 1) return Decoded.bad("invalid schema per_atom flag " + perAtom + " at entry " + i);
      int keyLen = Short.toUnsignedInt(b.getShort());
      long elem = Integer.toUnsignedLong(b.getInt());
      long slot = Integer.toUnsignedLong(b.getInt());
      if (b.remaining() < keyLen) return Decoded.bad("schema blob truncated at key of entry " + i);
      String key = utf8.decode(b.slice(b.position(), keyLen));
      if (key == null) return Decoded.bad("invalid UTF-8 in schema key of entry " + i);
      b.position(b.position() + keyLen);
      s.put(new Entry(kind, key, tag, perAtom == 1, elem, slot));
    }
    if (b.hasRemaining()) return Decoded.bad("schema blob has " + b.remaining() + " trailing bytes");
    return new Decoded(s, null);
  }
}
