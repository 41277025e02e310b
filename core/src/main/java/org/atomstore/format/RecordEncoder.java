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
import org.atomstore.model.Molecule;
import org.atomstore.model.StackedBatch;
import org.atomstore.model.TypeTag;
import org.atomstore.model.Value;

/**
 * Serializes molecules into records (uncompressed):
 *
 * <pre>
 * Record   --&gt; atomCount:u32 positions:(f32|f64)[atomCount*3] atomicNumbers:u8[atomCount] sectionCount:u16 Section^sectionCount
 * Section  --&gt; kind:u8 keyLen:u8 key:utf8[keyLen] typeTag:u8 payloadLen:u32 payload:u8[payloadLen]
 * Tensor payload --&gt; rank:u8 dims:u32[rank] values (row-major)
 * </pre>
 *
 * Sections come in a fixed order: builtins (charges, cell, energy, forces, name, pbc, stress,
 * velocities), then atom properties, then molecule properties, each sorted by the UTF-8 bytes of the key.
 * One encoder belongs to one thread and reuses its buffer; {@link #entries()} gives the schema entries of
 * the last record encoded.
 */
public final class RecordEncoder {
  private static final int SECTION_OVERHEAD = 7;
  private static final long MAX_RECORD_BYTES = Integer.MAX_VALUE - 64;

  private byte[] buf = new byte[1 << 16];
  private int length;
  private final List<Schema.Entry> entries = new ArrayList<>();
  private final Map<String, byte[]> keyBytes = new HashMap<>();
  private final List<byte[]> texts = new ArrayList<>();
  private int positionsType;

  public byte[] buffer() { return buf; }

  public int length() { return length; }

  /** The schema entries of the last record. */
  public List<Schema.Entry> entries() { return entries; }

  /** The positions type tag of the last record. */
  public int positionsType() { return positionsType; }

  /**
   * Encodes one molecule after checking it against the record format.
   *
   * @throws IllegalArgumentException when the molecule cannot be stored in this format
   */
  public int encode(Molecule m, RecordFormat format) {
    if (m.positions() == null || m.atomicNumbers() == null) {
      throw new IllegalArgumentException("a molecule needs positions and atomic numbers to be written");
    }
    int n = m.atomCount();
    positionsType = m.positions().typeTag();
    format.positionsType(positionsType);
    entries.clear();
    texts.clear();
    Map<String, Value> builtins = m.builtins();
    long size = 4 + (long) n * (positionsType == TypeTag.VEC3_F32 ? 12 : 24) + n + 2;
    size += sizeBuiltins(builtins, format, n);
    size += sizeCustom(m.atomProperties(), AtpLayout.KIND_ATOM_PROPERTY, n);
    size += sizeCustom(m.properties(), AtpLayout.KIND_MOLECULE_PROPERTY, n);
    int sections = builtins.size() + m.atomProperties().size() + m.properties().size();
    if (sections > 0xFFFF) throw new IllegalArgumentException("a record holds at most 65535 sections, got " + sections);
    if (size > MAX_RECORD_BYTES) throw new IllegalArgumentException("record of " + size + " bytes is too large");
    if (buf.length < size) buf = new byte[(int) Math.min(MAX_RECORD_BYTES, Math.max(size, buf.length * 2L))];
    long pos = write(m, builtins, n, sections);
    if (pos != size) throw new IllegalStateException("record size mismatch: " + pos + " != " + size);
    length = (int) pos;
    return length;
  }

  // Kept apart from encode so that each stays small for the JIT (one record per frame is encoded on hot paths).
  private long write(Molecule m, Map<String, Value> builtins, int n, int sections) {
    MemorySegment seg = MemorySegment.ofArray(buf);
    long pos = 0;
    seg.set(LE_INT, pos, n);
    pos += 4;
    pos = writeValueBody(seg, pos, m.positions());
    MemorySegment.copy(m.atomicNumbers(), 0, seg, AtpLayout.BYTE, pos, n);
    pos += n;
    seg.set(LE_SHORT, pos, (short) sections);
    pos += 2;
    nextText = 0;
    pos = writeSections(seg, pos, AtpLayout.KIND_BUILTIN, builtins);
    pos = writeSections(seg, pos, AtpLayout.KIND_ATOM_PROPERTY, m.atomProperties());
    return writeSections(seg, pos, AtpLayout.KIND_MOLECULE_PROPERTY, m.properties());
  }

  /** Index in {@link #texts} of the next Text value to write. */
  private int nextText;

  private long writeSections(MemorySegment seg, long pos, int kind, Map<String, Value> values) {
    if (values.isEmpty()) return pos;
    for (var e : values.entrySet()) {
      pos = writeSection(seg, pos, kind, keyBytes(e.getKey()), e.getValue(), nextText);
      if (e.getValue() instanceof Value.Text) nextText++;
    }
    return pos;
  }

  private long sizeBuiltins(Map<String, Value> builtins, RecordFormat format, int n) {
    long size = 0;
    for (var e : builtins.entrySet()) {
      format.checkBuiltin(e.getKey(), e.getValue().typeTag());
      long p = payloadLength(e.getValue());
      entries.add(Schema.entryFor(AtpLayout.KIND_BUILTIN, e.getKey(), e.getValue().typeTag(), p, null, n));
      size += SECTION_OVERHEAD + e.getKey().length() + p;
    }
    return size;
  }

  private long sizeCustom(Map<String, Value> props, int kind, int n) {
    if (props.isEmpty()) return 0;
    long size = 0;
    for (var e : props.entrySet()) {
      Value v = e.getValue();
      long p = payloadLength(v);
      int[] dims = TypeTag.isTensor(v.typeTag()) ? v.shape() : null;
      entries.add(Schema.entryFor(kind, e.getKey(), v.typeTag(), p, dims, n));
      size += SECTION_OVERHEAD + keyBytes(e.getKey()).length + p;
    }
    return size;
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

  private long payloadLength(Value v) {
    long len = fixedPayloadLength(v);
    if (len < 0) len = payloadLengthOther(v);
    if (len > 0xFFFF_FFFFL) throw new IllegalArgumentException("section payload of " + len + " bytes exceeds 4 GiB");
    return len;
  }

  // instanceof rather than a pattern switch for the common values: cheaper to warm up, and this runs per section
  private static long fixedPayloadLength(Value v) {
    if (v instanceof Value.Vec3Float64 a) return 8L * a.values().length;
    if (v instanceof Value.Float64) return 8;
    if (v instanceof Value.Mat3Float64) return 72;
    if (v instanceof Value.Bool3) return 3;
    if (v instanceof Value.Int64) return 8;
    if (v instanceof Value.Float64Array a) return 8L * a.values().length;
    if (v instanceof Value.Vec3Float32 a) return 4L * a.values().length;
    return -1;
  }

  private long payloadLengthOther(Value v) {
    return switch (v) {
      case Value.Float64 x -> 8;
      case Value.Int64 x -> 8;
      case Value.Float32 x -> 4;
      case Value.Text t -> {
        byte[] b = t.value().getBytes(StandardCharsets.UTF_8);
        texts.add(b);
        yield b.length;
      }
      case Value.Null x -> 0;
      case Value.Bool3 x -> 3;
      case Value.Mat3Float64 x -> 72;
      case Value.Mat3Float32 x -> 36;
      case Value.Float64Array a -> 8L * a.values().length;
      case Value.Float32Array a -> 4L * a.values().length;
      case Value.Int64Array a -> 8L * a.values().length;
      case Value.Int32Array a -> 4L * a.values().length;
      case Value.Vec3Float32 a -> 4L * a.values().length;
      case Value.Vec3Float64 a -> 8L * a.values().length;
      case Value.TensorFloat32 t -> 1 + 4L * t.dims().length + 4L * t.values().length;
      case Value.TensorFloat64 t -> 1 + 4L * t.dims().length + 8L * t.values().length;
      case Value.TensorInt32 t -> 1 + 4L * t.dims().length + 4L * t.values().length;
      case Value.TensorInt64 t -> 1 + 4L * t.dims().length + 8L * t.values().length;
    };
  }

  private long writeSection(MemorySegment seg, long pos, int kind, byte[] key, Value v, int textIndex) {
    seg.set(AtpLayout.BYTE, pos++, (byte) kind);
    seg.set(AtpLayout.BYTE, pos++, (byte) key.length);
    MemorySegment.copy(key, 0, seg, AtpLayout.BYTE, pos, key.length);
    pos += key.length;
    seg.set(AtpLayout.BYTE, pos++, (byte) v.typeTag());
    long lenPos = pos;
    pos += 4;
    long end = v instanceof Value.Text ? writeBytes(seg, pos, texts.get(textIndex)) : writeValueBody(seg, pos, v);
    seg.set(LE_INT, lenPos, (int) (end - pos));
    return end;
  }

  private static long writeBytes(MemorySegment seg, long pos, byte[] b) {
    MemorySegment.copy(b, 0, seg, AtpLayout.BYTE, pos, b.length);
    return pos + b.length;
  }

  /** Writes a value's payload (not for Text) and returns the new position. */
  static long writeValueBody(MemorySegment seg, long pos, Value v) {
    // the common values first without a pattern switch (cheaper to warm up; this runs per section)
    if (v instanceof Value.Vec3Float64 a) return doubles(seg, pos, a.values());
    if (v instanceof Value.Float64 x) {
      seg.set(LE_DOUBLE, pos, x.value());
      return pos + 8;
    }
    if (v instanceof Value.Mat3Float64 a) return doubles(seg, pos, a.values());
    if (v instanceof Value.Float64Array a) return doubles(seg, pos, a.values());
    if (v instanceof Value.Vec3Float32 a) return floats(seg, pos, a.values());
    return writeOtherValueBody(seg, pos, v);
  }

  private static long writeOtherValueBody(MemorySegment seg, long pos, Value v) {
    return switch (v) {
      case Value.Float64 x -> { seg.set(LE_DOUBLE, pos, x.value()); yield pos + 8; }
      case Value.Int64 x -> { seg.set(LE_LONG, pos, x.value()); yield pos + 8; }
      case Value.Float32 x -> { seg.set(LE_FLOAT, pos, x.value()); yield pos + 4; }
      case Value.Null x -> pos;
      case Value.Bool3 b -> {
        seg.set(AtpLayout.BYTE, pos, (byte) (b.a() ? 1 : 0));
        seg.set(AtpLayout.BYTE, pos + 1, (byte) (b.b() ? 1 : 0));
        seg.set(AtpLayout.BYTE, pos + 2, (byte) (b.c() ? 1 : 0));
        yield pos + 3;
      }
      case Value.Mat3Float64 a -> doubles(seg, pos, a.values());
      case Value.Mat3Float32 a -> floats(seg, pos, a.values());
      case Value.Float64Array a -> doubles(seg, pos, a.values());
      case Value.Float32Array a -> floats(seg, pos, a.values());
      case Value.Int64Array a -> longs(seg, pos, a.values());
      case Value.Int32Array a -> ints(seg, pos, a.values());
      case Value.Vec3Float32 a -> floats(seg, pos, a.values());
      case Value.Vec3Float64 a -> doubles(seg, pos, a.values());
      case Value.TensorFloat32 t -> floats(seg, dims(seg, pos, t.dims()), t.values());
      case Value.TensorFloat64 t -> doubles(seg, dims(seg, pos, t.dims()), t.values());
      case Value.TensorInt32 t -> ints(seg, dims(seg, pos, t.dims()), t.values());
      case Value.TensorInt64 t -> longs(seg, dims(seg, pos, t.dims()), t.values());
      case Value.Text t -> throw new IllegalStateException("text is written from its cached bytes");
    };
  }

  private static long dims(MemorySegment seg, long pos, int[] dims) {
    seg.set(AtpLayout.BYTE, pos, (byte) dims.length);
    MemorySegment.copy(dims, 0, seg, LE_INT, pos + 1, dims.length);
    return pos + 1 + 4L * dims.length;
  }

  static long floats(MemorySegment seg, long pos, float[] a) {
    MemorySegment.copy(a, 0, seg, LE_FLOAT, pos, a.length);
    return pos + 4L * a.length;
  }

  static long doubles(MemorySegment seg, long pos, double[] a) {
    MemorySegment.copy(a, 0, seg, LE_DOUBLE, pos, a.length);
    return pos + 8L * a.length;
  }

  static long ints(MemorySegment seg, long pos, int[] a) {
    MemorySegment.copy(a, 0, seg, LE_INT, pos, a.length);
    return pos + 4L * a.length;
  }

  static long longs(MemorySegment seg, long pos, long[] a) {
    MemorySegment.copy(a, 0, seg, LE_LONG, pos, a.length);
    return pos + 8L * a.length;
  }

  // ---- stacked rows -------------------------------------------------------------------------

  /** A section to write from a slice of a stacked array. */
  private record Slice(int kind, byte[] key, int tag, long payloadLen, Object array, int from, int count, int[] dims, byte[] raw) {}

  private final List<Slice> slices = new ArrayList<>();

  /**
   * Encodes row {@code row} of a stacked batch, giving the same bytes as the equivalent Molecule.
   *
   * @throws IllegalArgumentException when the row cannot be stored in this format
   */
  public int encodeRow(StackedBatch b, int row, RecordFormat format) {
    int n = b.atomsPerMolecule();
    positionsType = b.positions() instanceof double[] ? TypeTag.VEC3_F64 : TypeTag.VEC3_F32;
    format.positionsType(positionsType);
    entries.clear();
    slices.clear();
    int a3 = row * n * 3;
    if (b.charges() != null) builtinSlice(format, "charges", b.charges() instanceof double[] ? TypeTag.F64_ARRAY : TypeTag.F32_ARRAY, b.charges(), row * n, n, n);
    if (b.cell() != null) builtinSlice(format, "cell", b.cell() instanceof double[] ? TypeTag.MAT3_F64 : TypeTag.MAT3_F32, b.cell(), 9 * row, 9, n);
    if (b.energy() != null) builtinSlice(format, "energy", b.energy() instanceof double[] ? TypeTag.FLOAT64 : TypeTag.FLOAT32, b.energy(), row, 1, n);
    if (b.forces() != null) builtinSlice(format, "forces", b.forces() instanceof double[] ? TypeTag.VEC3_F64 : TypeTag.VEC3_F32, b.forces(), a3, 3 * n, n);
    if (b.names() != null && b.names()[row] != null) {
      byte[] t = b.names()[row].getBytes(StandardCharsets.UTF_8);
      entries.add(Schema.entryFor(AtpLayout.KIND_BUILTIN, "name", TypeTag.STRING, t.length, null, n));
      slices.add(new Slice(AtpLayout.KIND_BUILTIN, keyBytes("name"), TypeTag.STRING, t.length, null, 0, 0, null, t));
    }
    if (b.pbc() != null) {
      boolean[] p = b.pbc();
      byte[] raw = {(byte) (p[3 * row] ? 1 : 0), (byte) (p[3 * row + 1] ? 1 : 0), (byte) (p[3 * row + 2] ? 1 : 0)};
      entries.add(Schema.entryFor(AtpLayout.KIND_BUILTIN, "pbc", TypeTag.BOOL3, 3, null, n));
      slices.add(new Slice(AtpLayout.KIND_BUILTIN, keyBytes("pbc"), TypeTag.BOOL3, 3, null, 0, 0, null, raw));
    }
    if (b.stress() != null) builtinSlice(format, "stress", b.stress() instanceof double[] ? TypeTag.MAT3_F64 : TypeTag.MAT3_F32, b.stress(), 9 * row, 9, n);
    if (b.velocities() != null) builtinSlice(format, "velocities", b.velocities() instanceof double[] ? TypeTag.VEC3_F64 : TypeTag.VEC3_F32, b.velocities(), a3, 3 * n, n);
    customSlices(b.atomProperties(), AtpLayout.KIND_ATOM_PROPERTY, row, n);
    customSlices(b.properties(), AtpLayout.KIND_MOLECULE_PROPERTY, row, n);
    long size = 4 + (long) n * (positionsType == TypeTag.VEC3_F32 ? 12 : 24) + n + 2;
    for (Slice s : slices) size += SECTION_OVERHEAD + s.key.length + s.payloadLen;
    if (slices.size() > 0xFFFF) throw new IllegalArgumentException("a record holds at most 65535 sections");
    if (size > MAX_RECORD_BYTES) throw new IllegalArgumentException("record of " + size + " bytes is too large");
    if (buf.length < size) buf = new byte[(int) Math.min(MAX_RECORD_BYTES, Math.max(size, buf.length * 2L))];
    MemorySegment seg = MemorySegment.ofArray(buf);
    seg.set(LE_INT, 0, n);
    long pos = copySlice(seg, 4, b.positions(), a3, 3 * n);
    MemorySegment.copy(b.atomicNumbers(), row * n, seg, AtpLayout.BYTE, pos, n);
    pos += n;
    seg.set(LE_SHORT, pos, (short) slices.size());
    pos += 2;
    for (Slice s : slices) {
      seg.set(AtpLayout.BYTE, pos++, (byte) s.kind);
      seg.set(AtpLayout.BYTE, pos++, (byte) s.key.length);
      MemorySegment.copy(s.key, 0, seg, AtpLayout.BYTE, pos, s.key.length);
      pos += s.key.length;
      seg.set(AtpLayout.BYTE, pos++, (byte) s.tag);
      seg.set(LE_INT, pos, (int) s.payloadLen);
      pos += 4;
      if (s.raw != null) {
        pos = writeBytes(seg, pos, s.raw);
      } else {
        if (s.dims != null) pos = dims(seg, pos, s.dims);
        pos = copySlice(seg, pos, s.array, s.from, s.count);
      }
    }
    if (pos != size) throw new IllegalStateException("record size mismatch: " + pos + " != " + size);
    length = (int) pos;
    return length;
  }

  private void builtinSlice(RecordFormat format, String key, int tag, Object array, int from, int count, int n) {
    format.checkBuiltin(key, tag);
    long len = (long) count * elementSize(array);
    entries.add(Schema.entryFor(AtpLayout.KIND_BUILTIN, key, tag, len, null, n));
    slices.add(new Slice(AtpLayout.KIND_BUILTIN, keyBytes(key), tag, len, array, from, count, null, null));
  }

  private void customSlices(java.util.SortedMap<String, StackedBatch.Column> cols, int kind, int row, int n) {
    for (var e : cols.entrySet()) {
      StackedBatch.Column c = e.getValue();
      int count = c.rowElements(n);
      int[] dims = null;
      if (TypeTag.isTensor(c.typeTag())) {
        dims = new int[c.inner().length + (c.perAtom() ? 1 : 0)];
        int d = 0;
        if (c.perAtom()) dims[d++] = n;
        for (int x : c.inner()) dims[d++] = x;
      }
      long len = (dims == null ? 0 : 1 + 4L * dims.length) + (long) count * elementSize(c.data());
      entries.add(Schema.entryFor(kind, e.getKey(), c.typeTag(), len, dims, n));
      slices.add(new Slice(kind, keyBytes(e.getKey()), c.typeTag(), len, c.data(), row * count, count, dims, null));
    }
  }

  private static int elementSize(Object array) {
    return array instanceof double[] || array instanceof long[] ? 8 : 4;
  }

  private static long copySlice(MemorySegment seg, long pos, Object array, int from, int count) {
    switch (array) {
      case float[] a -> MemorySegment.copy(a, from, seg, LE_FLOAT, pos, count);
      case double[] a -> MemorySegment.copy(a, from, seg, LE_DOUBLE, pos, count);
      case int[] a -> MemorySegment.copy(a, from, seg, LE_INT, pos, count);
      case long[] a -> MemorySegment.copy(a, from, seg, LE_LONG, pos, count);
      default -> throw new IllegalArgumentException("unsupported array " + array.getClass().getSimpleName());
    }
    return pos + (long) count * elementSize(array);
  }

  /** A copy of the last record's bytes. */
  public byte[] toByteArray() { return Arrays.copyOf(buf, length); }
}
