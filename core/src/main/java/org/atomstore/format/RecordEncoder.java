package org.atomstore.format;

import static org.atomstore.format.AtpLayout.LE_DOUBLE;
import static org.atomstore.format.AtpLayout.LE_FLOAT;
import static org.atomstore.format.AtpLayout.LE_INT;
import static org.atomstore.format.AtpLayout.LE_LONG;
import static org.atomstore.format.AtpLayout.LE_SHORT;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.atomstore.model.BuiltinField;
import org.atomstore.model.Molecule;
import org.atomstore.model.StackedBatch;
import org.atomstore.model.TypeTag;
import org.atomstore.model.Value;

/**
 * Serializes molecules, or rows of a stacked batch, into records (uncompressed). The one encoder of the
 * project: both inputs fill the same section table, and one method lays the record out.
 *
 * <pre>
 * Record   --&gt; atomCount:u32 positions:(f32|f64)[atomCount*3] atomicNumbers:u8[atomCount] sectionCount:u16 Section^sectionCount
 * Section  --&gt; kind:u8 keyLen:u8 key:utf8[keyLen] typeTag:u8 payloadLen:u32 payload:u8[payloadLen]
 * Tensor payload --&gt; rank:u8 dims:u32[rank] values (row-major)
 * </pre>
 *
 * Sections come in a fixed order: builtins (in {@link BuiltinField#SECTIONS} order), then atom properties,
 * then molecule properties, the properties of each scope sorted by the UTF-8 bytes of their keys.
 *
 * <p><b>Type tags.</b> Every tag written is one the reference Atompack 0.4.0 reads in that position. Builtins
 * keep their own tags ({@link BuiltinField}). Custom properties are written as Atompack's Python API writes the
 * equivalent NumPy value, since the reference's property decoder knows tags 0-8 and 13-17 only: a 3x3 matrix
 * (tags 10, 12) as a vec3 array of three rows (tags 7, 4: shape {@code [3, 3]}), a float32 scalar (tag 11) as a
 * float64 scalar (tag 0, widened exactly), and a bool triple (tag 9) is refused with IllegalArgumentException,
 * as the Python API refuses bool arrays. See {@link TypeTag#customTag(int)}.
 *
 * <p>The encoder does not choose the record format: it reports the lowest one that holds the record
 * ({@link #lowestFormat()}), and the writer decides. One encoder belongs to one thread and reuses its buffers;
 * {@link #entries()} gives the schema entries of the last record encoded.
 */
public final class RecordEncoder {
  private static final int SECTION_OVERHEAD = 7;
  private static final long MAX_RECORD_BYTES = Integer.MAX_VALUE - 64;
  private static final BuiltinField[] SECTIONS = BuiltinField.SECTIONS.toArray(new BuiltinField[0]);
  private static final byte[][] BUILTIN_KEYS = new byte[SECTIONS.length][];

  static {
    for (BuiltinField f : SECTIONS) BUILTIN_KEYS[f.id()] = f.key().getBytes(StandardCharsets.UTF_8);
  }

  private byte[] buf = new byte[1 << 16];
  private int length;
  private final List<Schema.Entry> entries = new ArrayList<>();
  private final Map<String, byte[]> keyBytes = new HashMap<>();

  // the record being encoded: header, then the section table (struct of arrays, reused from record to record)
  private int atoms;
  private Object positions;
  private int positionsFrom;
  private byte[] numbers;
  private int numbersFrom;
  private int positionsType;
  private boolean format2Holds;
  private int sections;
  private int[] kinds = new int[16];
  private byte[][] keys = new byte[16][];
  private int[] tags = new int[16];
  /** float[], double[], int[], long[] or byte[] holding the payload values; null for a scalar in {@link #scalars}. */
  private Object[] data = new Object[16];
  private int[] from = new int[16];
  private int[] count = new int[16];
  private int[][] dims = new int[16][];
  private long[] scalars = new long[16];
  private long[] payloads = new long[16];

  public byte[] buffer() { return buf; }

  public int length() { return length; }

  /** The schema entries of the last record. */
  public List<Schema.Entry> entries() { return entries; }

  /** The positions type tag of the last record. */
  public int positionsType() { return positionsType; }

  /** The lowest record format (2 or 3) that holds the last record. */
  public int lowestFormat() { return format2Holds ? 2 : 3; }

  /**
   * The lowest record format (2 or 3) that holds the molecule, asked without encoding it (a writer choosing
   * the format for a list before writing any of it). Agrees with {@link #lowestFormat()} after {@link #encode(Molecule)}.
   */
  public static int lowestFormat(Molecule m) {
    if (m.positions() != null && !BuiltinField.POSITIONS.format2Holds(m.positions().typeTag())) return 3;
    for (BuiltinField f : SECTIONS) {
      Value v = f == BuiltinField.NAME ? null : m.builtin(f);
      if (v != null && !f.format2Holds(v.typeTag())) return 3;
    }
    return 2;
  }

  /**
   * Encodes one molecule.
   *
   * @throws IllegalArgumentException when the molecule cannot be stored (nothing is kept of it)
   */
  public int encode(Molecule m) {
    if (m.positions() == null || m.atomicNumbers() == null) {
      throw new IllegalArgumentException("a molecule needs positions and atomic numbers to be written");
    }
    Value p = m.positions();
    begin(m.atomCount(), p instanceof Value.Vec3Float64 d ? d.values() : ((Value.Vec3Float32) p).values(), 0, m.atomicNumbers(), 0);
    for (BuiltinField f : SECTIONS) {
      if (f == BuiltinField.NAME) {
        if (m.name() != null) bytesSection(AtpLayout.KIND_BUILTIN, BUILTIN_KEYS[f.id()], f.key(), TypeTag.STRING, m.name());
      } else {
        Value v = m.builtin(f);
        if (v != null) builtin(f, v);
      }
    }
    customs(AtpLayout.KIND_ATOM_PROPERTY, m.atomProperties());
    customs(AtpLayout.KIND_MOLECULE_PROPERTY, m.properties());
    return finish();
  }

  /**
   * Encodes row {@code row} of a stacked batch, giving the same bytes as the equivalent Molecule.
   *
   * @throws IllegalArgumentException when the row cannot be stored
   */
  public int encode(StackedBatch b, int row) {
    int n = b.atomsPerMolecule();
    begin(n, b.positions(), row * n * 3, b.atomicNumbers(), row * n);
    for (BuiltinField f : SECTIONS) {
      switch (f) {
        case NAME -> {
          String[] names = b.names();
          if (names != null && names[row] != null) bytesSection(AtpLayout.KIND_BUILTIN, BUILTIN_KEYS[f.id()], f.key(), TypeTag.STRING, names[row]);
        }
        case PBC -> {
          boolean[] p = b.pbc();
          if (p != null) builtin(f, TypeTag.BOOL3, null, 0, 0, bool3(p[3 * row], p[3 * row + 1], p[3 * row + 2]));
        }
        default -> {
          Object a = b.builtin(f);
          if (a != null) {
            int tag = f.tag(a instanceof double[]);
            int per = TypeTag.elementBytes(tag) / elementSize(a) * (f.perAtom() ? n : 1);
            builtin(f, tag, a, row * per, per, 0);
          }
        }
      }
    }
    columns(b.atomProperties(), AtpLayout.KIND_ATOM_PROPERTY, row, n);
    columns(b.properties(), AtpLayout.KIND_MOLECULE_PROPERTY, row, n);
    return finish();
  }

  private void begin(int n, Object positions, int positionsFrom, byte[] numbers, int numbersFrom) {
    atoms = n;
    this.positions = positions;
    this.positionsFrom = positionsFrom;
    this.numbers = numbers;
    this.numbersFrom = numbersFrom;
    positionsType = BuiltinField.POSITIONS.tag(positions instanceof double[]);
    format2Holds = BuiltinField.POSITIONS.format2Holds(positionsType);
    sections = 0;
    entries.clear();
  }

  // ---- builtins ------------------------------------------------------------------------------

  private void builtin(BuiltinField f, Value v) {
    // instanceof rather than a pattern switch for the common values: cheaper to warm up, and this runs per section
    if (v instanceof Value.Vec3Float32 a) builtin(f, TypeTag.VEC3_F32, a.values(), 0, a.values().length, 0);
    else if (v instanceof Value.Vec3Float64 a) builtin(f, TypeTag.VEC3_F64, a.values(), 0, a.values().length, 0);
    else if (v instanceof Value.Float64 x) builtin(f, TypeTag.FLOAT64, null, 0, 0, Double.doubleToRawLongBits(x.value()));
    else if (v instanceof Value.Mat3Float64 a) builtin(f, TypeTag.MAT3_F64, a.values(), 0, 9, 0);
    else if (v instanceof Value.Bool3 x) builtin(f, TypeTag.BOOL3, null, 0, 0, bool3(x.a(), x.b(), x.c()));
    else if (v instanceof Value.Float64Array a) builtin(f, TypeTag.F64_ARRAY, a.values(), 0, a.values().length, 0);
    else if (v instanceof Value.Float32Array a) builtin(f, TypeTag.F32_ARRAY, a.values(), 0, a.values().length, 0);
    else if (v instanceof Value.Mat3Float32 a) builtin(f, TypeTag.MAT3_F32, a.values(), 0, 9, 0);
    else if (v instanceof Value.Float32 x) builtin(f, TypeTag.FLOAT32, null, 0, 0, Float.floatToRawIntBits(x.value()));
    else throw new IllegalArgumentException("builtin '" + f.key() + "' cannot hold " + v.getClass().getSimpleName());
  }

  private void builtin(BuiltinField f, int tag, Object array, int off, int n, long scalar) {
    f.checkWritable(tag);
    if (!f.format2Holds(tag)) format2Holds = false;
    add(AtpLayout.KIND_BUILTIN, BUILTIN_KEYS[f.id()], f.key(), tag, array, off, n, null, scalar);
  }

  private static long bool3(boolean a, boolean b, boolean c) {
    return (a ? 1 : 0) | (b ? 1 << 8 : 0) | (c ? 1 << 16 : 0);
  }

  // ---- custom properties ---------------------------------------------------------------------

  private void customs(int kind, Map<String, Value> props) {
    if (props.isEmpty()) return;
    for (var e : props.entrySet()) custom(kind, e.getKey(), e.getValue());
  }

  private void custom(int kind, String key, Value v) {
    byte[] k = keyBytes(key);
    switch (v) {
      case Value.Float64 x -> custom(kind, k, key, TypeTag.FLOAT64, null, 0, 1, null, Double.doubleToRawLongBits(x.value()));
      case Value.Float32 x -> custom(kind, k, key, TypeTag.FLOAT32, null, 0, 1, null, Float.floatToRawIntBits(x.value()));
      case Value.Int64 x -> custom(kind, k, key, TypeTag.INT64, null, 0, 1, null, x.value());
      case Value.Text t -> bytesSection(kind, k, key, TypeTag.STRING, t.value());
      case Value.Null x -> custom(kind, k, key, TypeTag.NONE, null, 0, 0, null, 0);
      case Value.Bool3 x -> custom(kind, k, key, TypeTag.BOOL3, null, 0, 0, null, 0);
      case Value.Float64Array a -> custom(kind, k, key, TypeTag.F64_ARRAY, a.values(), 0, a.values().length, null, 0);
      case Value.Float32Array a -> custom(kind, k, key, TypeTag.F32_ARRAY, a.values(), 0, a.values().length, null, 0);
      case Value.Int64Array a -> custom(kind, k, key, TypeTag.I64_ARRAY, a.values(), 0, a.values().length, null, 0);
      case Value.Int32Array a -> custom(kind, k, key, TypeTag.I32_ARRAY, a.values(), 0, a.values().length, null, 0);
      case Value.Vec3Float32 a -> custom(kind, k, key, TypeTag.VEC3_F32, a.values(), 0, a.values().length, null, 0);
      case Value.Vec3Float64 a -> custom(kind, k, key, TypeTag.VEC3_F64, a.values(), 0, a.values().length, null, 0);
      case Value.Mat3Float64 a -> custom(kind, k, key, TypeTag.MAT3_F64, a.values(), 0, 9, null, 0);
      case Value.Mat3Float32 a -> custom(kind, k, key, TypeTag.MAT3_F32, a.values(), 0, 9, null, 0);
      case Value.TensorFloat32 t -> custom(kind, k, key, TypeTag.TENSOR_F32, t.values(), 0, t.values().length, t.dims(), 0);
      case Value.TensorFloat64 t -> custom(kind, k, key, TypeTag.TENSOR_F64, t.values(), 0, t.values().length, t.dims(), 0);
      case Value.TensorInt32 t -> custom(kind, k, key, TypeTag.TENSOR_I32, t.values(), 0, t.values().length, t.dims(), 0);
      case Value.TensorInt64 t -> custom(kind, k, key, TypeTag.TENSOR_I64, t.values(), 0, t.values().length, t.dims(), 0);
    }
  }

  private void columns(SortedMap<String, StackedBatch.Column> cols, int kind, int row, int n) {
    if (cols.isEmpty()) return;
    for (var e : cols.entrySet()) {
      StackedBatch.Column c = e.getValue();
      int per = c.rowElements(n);
      int[] d = null;
      if (TypeTag.isTensor(c.typeTag())) {
        d = new int[c.inner().length + (c.perAtom() ? 1 : 0)];
        int i = 0;
        if (c.perAtom()) d[i++] = n;
        for (int x : c.inner()) d[i++] = x;
      }
      Object a = c.data();
      int off = row * per;
      switch (c.typeTag()) {
        // scalars are written from their bits, as those of a Molecule
        case TypeTag.FLOAT64 -> custom(kind, keyBytes(e.getKey()), e.getKey(), TypeTag.FLOAT64, null, 0, 1, null, Double.doubleToRawLongBits(((double[]) a)[off]));
        case TypeTag.FLOAT32 -> custom(kind, keyBytes(e.getKey()), e.getKey(), TypeTag.FLOAT32, null, 0, 1, null, Float.floatToRawIntBits(((float[]) a)[off]));
        case TypeTag.INT64 -> custom(kind, keyBytes(e.getKey()), e.getKey(), TypeTag.INT64, null, 0, 1, null, ((long[]) a)[off]);
        default -> custom(kind, keyBytes(e.getKey()), e.getKey(), c.typeTag(), a, off, per, d, 0);
      }
    }
  }

  /** Adds a custom section after applying the reference's rule for custom tags ({@link TypeTag#customTag}). */
  private void custom(int kind, byte[] k, String key, int tag, Object array, int off, int n, int[] tensorDims, long scalar) {
    int written = TypeTag.customTag(tag);
    if (written < 0) {
      throw new IllegalArgumentException("custom property '" + key + "' is a bool triple (type tag " + tag
          + "), which the reference reads only as the builtin pbc; store it as Int64Array or Int32Array");
    }
    if (kind == AtpLayout.KIND_ATOM_PROPERTY && written != tag && (tag == TypeTag.MAT3_F64 || tag == TypeTag.MAT3_F32) && atoms != 3) {
      throw new IllegalArgumentException("atom property '" + key + "' is a 3x3 matrix, stored as three vec3 rows (one per atom),"
          + " but the molecule has " + atoms + " atoms; store a per-atom 3x3 as a tensor of shape [" + atoms + ", 3, 3]");
    }
    long bits = scalar;
    if (tag == TypeTag.FLOAT32) bits = Double.doubleToRawLongBits(Float.intBitsToFloat((int) scalar));
    add(kind, k, key, written, array, off, n, tensorDims, bits);
  }

  private void bytesSection(int kind, byte[] k, String key, int tag, String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    add(kind, k, key, tag, b, 0, b.length, null, 0);
  }

  private byte[] keyBytes(String key) {
    byte[] k = keyBytes.get(key);
    if (k == null) {
      Molecule.checkKey(key);
      k = key.getBytes(StandardCharsets.UTF_8);
      if (keyBytes.size() > 4096) keyBytes.clear();
      keyBytes.put(key, k);
    }
    return k;
  }

  // ---- the section table and the layout ------------------------------------------------------

  private void add(int kind, byte[] k, String key, int tag, Object array, int off, int n, int[] tensorDims, long scalar) {
    long payload = array == null ? scalarBytes(tag) : (long) n * elementSize(array);
    if (tensorDims != null) payload += 1 + 4L * tensorDims.length;
    if (payload > 0xFFFF_FFFFL) throw new IllegalArgumentException("section '" + key + "' payload of " + payload + " bytes exceeds 4 GiB");
    entries.add(Schema.entryFor(kind, key, tag, payload, tensorDims, atoms));
    int i = sections;
    if (i == kinds.length) grow();
    kinds[i] = kind;
    keys[i] = k;
    tags[i] = tag;
    data[i] = array;
    from[i] = off;
    count[i] = n;
    dims[i] = tensorDims;
    scalars[i] = scalar;
    payloads[i] = payload;
    sections = i + 1;
  }

  private static int scalarBytes(int tag) {
    return switch (tag) {
      case TypeTag.FLOAT64, TypeTag.INT64 -> 8;
      case TypeTag.FLOAT32 -> 4;
      case TypeTag.BOOL3 -> 3;
      default -> 0; // none
    };
  }

  private void grow() {
    int cap = kinds.length * 2;
    kinds = Arrays.copyOf(kinds, cap);
    keys = Arrays.copyOf(keys, cap);
    tags = Arrays.copyOf(tags, cap);
    data = Arrays.copyOf(data, cap);
    from = Arrays.copyOf(from, cap);
    count = Arrays.copyOf(count, cap);
    dims = Arrays.copyOf(dims, cap);
    scalars = Arrays.copyOf(scalars, cap);
    payloads = Arrays.copyOf(payloads, cap);
  }

  /** Lays the record out in the buffer and returns its length. */
  private int finish() {
    int n = atoms;
    if (sections > 0xFFFF) throw new IllegalArgumentException("a record holds at most 65535 sections, got " + sections);
    long size = 4 + (long) n * (positionsType == TypeTag.VEC3_F32 ? 12 : 24) + n + 2;
    for (int i = 0; i < sections; i++) size += SECTION_OVERHEAD + keys[i].length + payloads[i];
    if (size > MAX_RECORD_BYTES) throw new IllegalArgumentException("record of " + size + " bytes is too large");
    if (buf.length < size) buf = new byte[(int) Math.min(MAX_RECORD_BYTES, Math.max(size, buf.length * 2L))];
    MemorySegment seg = MemorySegment.ofArray(buf);
    seg.set(LE_INT, 0, n);
    long pos = copy(seg, 4, positions, positionsFrom, 3 * n);
    MemorySegment.copy(numbers, numbersFrom, seg, AtpLayout.BYTE, pos, n);
    pos += n;
    seg.set(LE_SHORT, pos, (short) sections);
    pos += 2;
    for (int i = 0; i < sections; i++) pos = writeSection(seg, pos, i);
    if (pos != size) throw new IllegalStateException("record size mismatch: " + pos + " != " + size);
    length = (int) pos;
    return length;
  }

  private long writeSection(MemorySegment seg, long pos, int i) {
    byte[] key = keys[i];
    seg.set(AtpLayout.BYTE, pos++, (byte) kinds[i]);
    seg.set(AtpLayout.BYTE, pos++, (byte) key.length);
    MemorySegment.copy(key, 0, seg, AtpLayout.BYTE, pos, key.length);
    pos += key.length;
    seg.set(AtpLayout.BYTE, pos++, (byte) tags[i]);
    seg.set(LE_INT, pos, (int) payloads[i]);
    pos += 4;
    Object a = data[i];
    if (a == null) return scalar(seg, pos, tags[i], scalars[i]);
    if (dims[i] != null) pos = dims(seg, pos, dims[i]);
    return copy(seg, pos, a, from[i], count[i]);
  }

  private static long scalar(MemorySegment seg, long pos, int tag, long bits) {
    switch (tag) {
      case TypeTag.FLOAT64, TypeTag.INT64 -> seg.set(LE_LONG, pos, bits);
      case TypeTag.FLOAT32 -> seg.set(LE_INT, pos, (int) bits);
      case TypeTag.BOOL3 -> {
        seg.set(AtpLayout.BYTE, pos, (byte) bits);
        seg.set(AtpLayout.BYTE, pos + 1, (byte) (bits >>> 8));
        seg.set(AtpLayout.BYTE, pos + 2, (byte) (bits >>> 16));
      }
      default -> { } // none: no payload
    }
    return pos + scalarBytes(tag);
  }

  private static long dims(MemorySegment seg, long pos, int[] dims) {
    seg.set(AtpLayout.BYTE, pos, (byte) dims.length);
    MemorySegment.copy(dims, 0, seg, LE_INT, pos + 1, dims.length);
    return pos + 1 + 4L * dims.length;
  }

  private static int elementSize(Object array) {
    return array instanceof double[] || array instanceof long[] ? 8 : array instanceof byte[] ? 1 : 4;
  }

  private static long copy(MemorySegment seg, long pos, Object array, int off, int n) {
    // instanceof rather than a pattern switch: cheaper to warm up, and this runs per section
    if (array instanceof float[] a) MemorySegment.copy(a, off, seg, LE_FLOAT, pos, n);
    else if (array instanceof double[] a) MemorySegment.copy(a, off, seg, LE_DOUBLE, pos, n);
    else if (array instanceof byte[] a) MemorySegment.copy(a, off, seg, AtpLayout.BYTE, pos, n);
    else if (array instanceof int[] a) MemorySegment.copy(a, off, seg, LE_INT, pos, n);
    else if (array instanceof long[] a) MemorySegment.copy(a, off, seg, LE_LONG, pos, n);
    else throw new IllegalArgumentException("unsupported array " + array.getClass().getSimpleName());
    return pos + (long) n * elementSize(array);
  }

  /** A copy of the last record's bytes. */
  public byte[] toByteArray() { return Arrays.copyOf(buf, length); }
}
