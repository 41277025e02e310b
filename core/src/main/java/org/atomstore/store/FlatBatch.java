package org.atomstore.store;

import static org.atomstore.format.AtpLayout.BYTE;
import static org.atomstore.format.AtpLayout.LE_DOUBLE;
import static org.atomstore.format.AtpLayout.LE_FLOAT;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.atomstore.format.AtpLayout;
import org.atomstore.format.PayloadDecoder;
import org.atomstore.format.RecordFormatException;
import org.atomstore.format.SectionCursor;
import org.atomstore.model.BuiltinField;
import org.atomstore.model.Molecule;
import org.atomstore.model.TypeTag;
import org.atomstore.model.Value;
import org.atomstore.model.Values;

/**
 * B molecules as flat, training-ready arrays, in the layout graph-network trainers use: per-atom arrays
 * concatenated over the batch ({@code positions [sum n, 3]}, {@code atomicNumbers [sum n]}, {@code forces
 * [sum n, 3]}), per-molecule arrays stacked ({@code energy [B]}, {@code cell [B, 3, 3]}, {@code stress
 * [B, 3, 3]}, {@code pbc [B, 3]}), with {@code atomOffsets [B + 1]} and a per-atom {@code batchVector}.
 * Float arrays are {@code float[]} or {@code double[]} as requested; fields not requested are null.
 * Missing values: energy NaN, cell/stress zeros, pbc false; {@link #has} tells which molecules had them.
 */
public final class FlatBatch {
  private final long[] indices;
  private final int[] atomOffsets;
  private final boolean float64;
  private final Object positions;
  private final int[] atomicNumbers;
  private final double[] energy;
  private final Object forces;
  private final Object cell;
  private final Object stress;
  private final boolean[] pbc;
  private final Map<String, boolean[]> present;
  private final Map<String, Column> custom;

  /**
   * A custom property over the batch: elements flattened, molecule {@code k} owning elements
   * {@code [offsets[k], offsets[k+1])}. {@code data} is float[]/double[] (as requested), int[], long[] or
   * String[].
   */
  public record Column(String key, boolean perAtom, Object data, int[] offsets) {}

  private FlatBatch(Builder b) {
    indices = b.indices;
    atomOffsets = b.offsets;
    float64 = b.float64;
    positions = b.positions;
    atomicNumbers = b.numbers;
    energy = (double[]) b.stacked[BuiltinField.ENERGY.id()];
    forces = b.stacked[BuiltinField.FORCES.id()];
    cell = b.stacked[BuiltinField.CELL.id()];
    stress = b.stacked[BuiltinField.STRESS.id()];
    pbc = (boolean[]) b.stacked[BuiltinField.PBC.id()];
    present = new LinkedHashMap<>();
    for (BuiltinField f : BuiltinField.SECTIONS) {
      if (b.has[f.id()] != null) present.put(f.key(), b.has[f.id()]);
    }
    custom = new LinkedHashMap<>();
    b.columns.forEach((k, c) -> custom.put(k, c.build(k)));
  }

  /**
   * The batch of {@code molecules} (row {@code k} of the batch is {@code molecules.get(k)}, whose table index is
   * {@code indices[k]}): the same arrays {@link AtpReader#readBatch} gives for the same molecules read from an
   * {@code .atp} file. For tables that hold molecules rather than records.
   *
   * @throws IllegalArgumentException when a molecule is null (a placeholder row has no place in a batch), the
   *     counts differ, or a custom field changes type within the batch
   */
  public static FlatBatch of(java.util.List<Molecule> molecules, long[] indices, FieldSet fields, boolean float64) {
    if (molecules.size() != indices.length) {
      throw new IllegalArgumentException(molecules.size() + " molecules for " + indices.length + " indices");
    }
    int[] counts = new int[indices.length];
    for (int k = 0; k < counts.length; k++) {
      Molecule m = molecules.get(k);
      if (m == null) throw new IllegalArgumentException("row " + indices[k] + " is a placeholder: a batch has no place for it");
      counts[k] = m.atomCount();
    }
    Builder b = new Builder(indices, fields, float64);
    b.allocate(counts);
    try {
      for (int k = 0; k < counts.length; k++) b.fill(k, molecules.get(k));
    } catch (RecordFormatException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    return b.build();
  }

  public int size() { return indices.length; }

  public long[] indices() { return indices; }

  public int totalAtoms() { return atomOffsets[atomOffsets.length - 1]; }

  public int[] atomOffsets() { return atomOffsets; }

  public boolean isFloat64() { return float64; }

  /** Molecule index (0..B-1) of every atom. */
  public int[] batchVector() {
    int[] v = new int[totalAtoms()];
    for (int k = 0; k < indices.length; k++) Arrays.fill(v, atomOffsets[k], atomOffsets[k + 1], k);
    return v;
  }

  /** float[] or double[] of length 3 * totalAtoms, or null. */
  public Object positions() { return positions; }

  public float[] positionsF32() { return (float[]) positions; }

  public double[] positionsF64() { return (double[]) positions; }

  public int[] atomicNumbers() { return atomicNumbers; }

  public double[] energy() { return energy; }

  public Object forces() { return forces; }

  public Object cell() { return cell; }

  public Object stress() { return stress; }

  public boolean[] pbc() { return pbc; }

  /** Which molecules had the builtin field (energy, forces, cell, stress, pbc), or null if not requested. */
  public boolean[] has(String field) { return present.get(field); }

  public Column custom(String key) { return custom.get(key); }

  public Map<String, Column> customColumns() { return custom; }

  /**
   * The builtin sections a batch stacks into arrays of their own, by section id; the others (charges, velocities,
   * name) become custom columns. What each holds (key, per atom or not, values per row, float64 tag) is asked of
   * {@link BuiltinField}.
   */
  private static final boolean[] STACKED = new boolean[BuiltinField.SECTIONS.size()];

  static {
    for (BuiltinField f : new BuiltinField[] {BuiltinField.ENERGY, BuiltinField.FORCES, BuiltinField.CELL, BuiltinField.STRESS, BuiltinField.PBC}) {
      STACKED[f.id()] = true;
    }
  }

  static final class Builder {
    final long[] indices;
    final FieldSet fields;
    final boolean float64;
    int[] offsets;
    Object positions;
    int[] numbers;
    /** The arrays of the requested stacked builtins, by section id; null for the others. */
    final Object[] stacked = new Object[STACKED.length];
    /** Which molecules had each requested stacked builtin, by section id; null for the others. */
    final boolean[][] has = new boolean[STACKED.length][];
    final Map<String, ColumnBuilder> columns = new LinkedHashMap<>();

    Builder(long[] indices, FieldSet fields, boolean float64) {
      this.indices = indices;
      this.fields = fields;
      this.float64 = float64;
    }

    /** Bytes the per-atom arrays of a batch of {@code totalAtoms} atoms take (an estimate, before allocating). */
    long perAtomBytes(long totalAtoms) {
      int elem = float64 ? 8 : 4;
      long perAtom = (fields.positions ? 3L * elem : 0) + (fields.atomicNumbers ? 4 : 0);
      for (BuiltinField f : BuiltinField.SECTIONS) {
        if (STACKED[f.id()] && f.perAtom() && fields.builtin(f.id())) perAtom += (long) f.width() * elem;
      }
      return totalAtoms * perAtom;
    }

    void allocate(int[] counts) {
      int b = counts.length;
      offsets = new int[b + 1];
      long total = 0;
      for (int k = 0; k < b; k++) {
        total += counts[k];
        if (total * 3 > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("batch of " + b + " molecules has too many atoms for one array");
        offsets[k + 1] = (int) total;
      }
      int atoms3 = (int) total * 3;
      if (fields.positions) positions = floats(atoms3);
      if (fields.atomicNumbers) numbers = new int[(int) total];
      for (BuiltinField f : BuiltinField.SECTIONS) {
        if (!STACKED[f.id()] || !fields.builtin(f.id())) continue;
        // per-atom builtins have at most 3 values per atom, so this fits as the positions do
        stacked[f.id()] = array(f, f.width() * (f.perAtom() ? (int) total : b));
        has[f.id()] = new boolean[b];
      }
    }

    /** The array of a stacked builtin: pbc as booleans, energy as doubles (NaN when missing), others as requested. */
    private Object array(BuiltinField f, int n) {
      return switch (f) {
        case PBC -> new boolean[n];
        case ENERGY -> {
          double[] e = new double[n];
          Arrays.fill(e, Double.NaN);
          yield e;
        }
        default -> floats(n);
      };
    }

    private Object floats(int n) { return float64 ? new double[n] : new float[n]; }

    void fill(int k, SectionCursor c, MemorySegment rec, long base, long len, int positionsType) {
      c.reset(rec, base, len, positionsType);
      int n = c.atomCount();
      if (n != offsets[k + 1] - offsets[k]) {
        throw new RecordFormatException("record holds " + n + " atoms but the index gives " + (offsets[k + 1] - offsets[k]), base);
      }
      int a0 = offsets[k];
      if (positions != null) copyVec(rec, c.positionsOffset(), positionsType == TypeTag.VEC3_F64, positions, 3 * a0, 3 * n);
      if (numbers != null) {
        long z = c.numbersOffset();
        for (int i = 0; i < n; i++) numbers[a0 + i] = Byte.toUnsignedInt(rec.get(BYTE, z + i));
      }
      while (c.next()) {
        int kind = c.kind();
        if (kind == AtpLayout.KIND_BUILTIN) {
          int id = c.builtinId();
          if (id < 0 || !fields.builtin(id)) continue;
          BuiltinField f = BuiltinField.ofId(id);
          Object dst = stacked[id];
          if (dst == null) {
            custom(c, f.key(), f.perAtom(), RecordDecoder.builtinValue(c, id, n), k);
            continue;
          }
          RecordDecoder.checkBuiltin(c, id, n);
          int width = f.width();
          if (dst instanceof boolean[] flags) { // pbc: the first three payload bytes, as the reference reads them
            for (int i = 0; i < width; i++) flags[width * k + i] = rec.get(BYTE, c.payloadOffset() + i) != 0;
          } else if (f.perAtom()) {
            copyVec(rec, c.payloadOffset(), c.typeTag() == f.tag(true), dst, width * a0, width * n);
          } else {
            copyVec(rec, c.payloadOffset(), c.typeTag() == f.tag(true), dst, width * k, width);
          }
          has[id][k] = true;
        } else if ((kind == AtpLayout.KIND_ATOM_PROPERTY || kind == AtpLayout.KIND_MOLECULE_PROPERTY) && fields.wantsCustom(c)) {
          custom(c, c.key(), kind == AtpLayout.KIND_ATOM_PROPERTY, PayloadDecoder.read(c), k);
        }
      }
    }

    /** Fills row {@code k} from a molecule, as {@link #fill(int, SectionCursor, MemorySegment, long, long, int)} does from a record. */
    void fill(int k, Molecule m) {
      int n = m.atomCount();
      int a0 = offsets[k];
      if (positions != null && m.positions() != null) copyValue(m.positions(), positions, 3 * a0, 3 * n);
      if (numbers != null && m.atomicNumbers() != null) {
        byte[] z = m.atomicNumbers();
        for (int i = 0; i < n; i++) numbers[a0 + i] = Byte.toUnsignedInt(z[i]);
      }
      for (BuiltinField f : BuiltinField.SECTIONS) {
        int id = f.id();
        if (!fields.builtin(id)) continue;
        Value v = m.builtin(f);
        if (v == null) continue;
        Object dst = stacked[id];
        if (dst == null) {
          columns.computeIfAbsent(f.key(), x -> new ColumnBuilder(f.perAtom(), indices.length, float64)).add(k, v, f.key(), -1);
          continue;
        }
        int width = f.width();
        if (dst instanceof boolean[] flags) {
          Value.Bool3 p = (Value.Bool3) v;
          flags[width * k] = p.a();
          flags[width * k + 1] = p.b();
          flags[width * k + 2] = p.c();
        } else {
          copyValue(v, dst, f.perAtom() ? width * a0 : width * k, f.perAtom() ? width * n : width);
        }
        has[id][k] = true;
      }
      // records hold atom properties before molecule properties, each in UTF-8 key order, as these maps iterate
      m.atomProperties().forEach((key, v) -> customOf(key, true, v, k));
      m.properties().forEach((key, v) -> customOf(key, false, v, k));
    }

    private void customOf(String key, boolean perAtom, Value v, int k) {
      if (fields.custom(key)) columns.computeIfAbsent(key, x -> new ColumnBuilder(perAtom, indices.length, float64)).add(k, v, key, -1);
    }

    /** Copies {@code count} float elements of a value into the float[] or double[] destination. */
    private static void copyValue(Value v, Object dst, int at, int count) {
      switch (v) {
        case Value.Vec3Float32 x -> copyFloats(x.values(), dst, at, count);
        case Value.Float32Array x -> copyFloats(x.values(), dst, at, count);
        case Value.Mat3Float32 x -> copyFloats(x.values(), dst, at, count);
        case Value.Float32 x -> copyFloats(new float[] {x.value()}, dst, at, count);
        default -> copyDoubles(Values.toDoubles(v), dst, at, count);
      }
    }

    private static void copyFloats(float[] src, Object dst, int at, int count) {
      if (dst instanceof float[] f) System.arraycopy(src, 0, f, at, count);
      else for (int i = 0; i < count; i++) ((double[]) dst)[at + i] = src[i];
    }

    private static void copyDoubles(double[] src, Object dst, int at, int count) {
      if (dst instanceof double[] d) System.arraycopy(src, 0, d, at, count);
      else for (int i = 0; i < count; i++) ((float[]) dst)[at + i] = (float) src[i];
    }

    private void custom(SectionCursor c, String key, boolean perAtom, Value v, int k) {
      columns.computeIfAbsent(key, x -> new ColumnBuilder(perAtom, indices.length, float64)).add(k, v, key, c.payloadOffset());
    }

    /** Copies {@code count} floats stored as f32 or f64 into the float[] or double[] destination. */
    private static void copyVec(MemorySegment src, long off, boolean srcF64, Object dst, int at, int count) {
      if (count == 1) { // a scalar (energy): one read, not a bulk copy
        double v = srcF64 ? src.get(LE_DOUBLE, off) : src.get(LE_FLOAT, off);
        if (dst instanceof float[] f) f[at] = (float) v;
        else ((double[]) dst)[at] = v;
      } else if (dst instanceof float[] f) {
        if (!srcF64) MemorySegment.copy(src, LE_FLOAT, off, f, at, count);
        else for (int i = 0; i < count; i++) f[at + i] = (float) src.get(LE_DOUBLE, off + 8L * i);
      } else {
        double[] d = (double[]) dst;
        if (srcF64) MemorySegment.copy(src, LE_DOUBLE, off, d, at, count);
        else for (int i = 0; i < count; i++) d[at + i] = src.get(LE_FLOAT, off + 4L * i);
      }
    }

    FlatBatch build() { return new FlatBatch(this); }
  }

  /** Collects one custom key's values molecule by molecule, then flattens them. */
  static final class ColumnBuilder {
    final boolean perAtom;
    final boolean float64;
    final Value[] values;

    ColumnBuilder(boolean perAtom, int b, boolean float64) {
      this.perAtom = perAtom;
      this.float64 = float64;
      this.values = new Value[b];
    }

    /** The kind of array the column's first value chose; later values must fit it. */
    private Kind kind;

    /**
     * Adds molecule {@code k}'s value. A value that does not fit the column's array (a key whose type changes
     * between records, which the format forbids: {@code verify} reports it) is a format problem of this record.
     */
    void add(int k, Value v, String key, long payloadOffset) {
      Kind vk = Kind.of(v);
      if (vk != Kind.NULL) {
        if (kind == null) kind = vk;
        else if (kind != vk) {
          throw new RecordFormatException("custom field '" + key + "' changes type within the batch: " + describe(v)
              + " after " + kind.description, payloadOffset);
        }
      }
      values[k] = v;
    }

    private static String describe(Value v) { return v.getClass().getSimpleName(); }

    /** The array kinds a column can have. */
    enum Kind {
      NULL("null"), TEXT("strings"), INT64("int64 values"), INT32("int32 values"), BOOL3("bool3 values"), FLOAT("float values");

      final String description;

      Kind(String description) { this.description = description; }

      static Kind of(Value v) {
        return switch (v) {
          case Value.Null x -> NULL;
          case Value.Text x -> TEXT;
          case Value.Int64 x -> INT64;
          case Value.Int64Array x -> INT64;
          case Value.TensorInt64 x -> INT64;
          case Value.Int32Array x -> INT32;
          case Value.TensorInt32 x -> INT32;
          case Value.Bool3 x -> BOOL3;
          case Value.Float64 x -> FLOAT;
          case Value.Float32 x -> FLOAT;
          case Value.Float64Array x -> FLOAT;
          case Value.Float32Array x -> FLOAT;
          case Value.Vec3Float32 x -> FLOAT;
          case Value.Vec3Float64 x -> FLOAT;
          case Value.Mat3Float32 x -> FLOAT;
          case Value.Mat3Float64 x -> FLOAT;
          case Value.TensorFloat32 x -> FLOAT;
          case Value.TensorFloat64 x -> FLOAT;
        };
      }
    }

    Column build(String key) {
      int[] offsets = new int[values.length + 1];
      Value first = null;
      for (int k = 0; k < values.length; k++) {
        Value v = values[k];
        if (v != null && first == null) first = v;
        long n = v == null || v instanceof Value.Null ? 0 : Math.max(1, v.elementCount());
        offsets[k + 1] = Math.addExact(offsets[k], (int) n);
      }
      int total = offsets[values.length];
      Object data = switch (first) {
        case Value.Text t -> new String[total];
        case Value.Int64 x -> new long[total];
        case Value.Int64Array x -> new long[total];
        case Value.TensorInt64 x -> new long[total];
        case Value.Int32Array x -> new int[total];
        case Value.TensorInt32 x -> new int[total];
        case Value.Bool3 x -> new boolean[total];
        case null, default -> new double[total];
      };
      for (int k = 0; k < values.length; k++) {
        Value v = values[k];
        if (v == null || v instanceof Value.Null) continue;
        if (data instanceof double[] out) {
          double[] d = Values.toDoubles(v); // add() let only float values into a float column
          System.arraycopy(d, 0, out, offsets[k], d.length);
        } else {
          copyExact(v, data, offsets[k], key);
        }
      }
      if (data instanceof double[] d && !float64) data = Values.narrow(d);
      return new Column(key, perAtom, data, offsets);
    }

    private static void copyExact(Value v, Object data, int at, String key) {
      switch (v) {
        case Value.Text t when data instanceof String[] s -> s[at] = t.value();
        case Value.Int64 x when data instanceof long[] l -> l[at] = x.value();
        case Value.Int64Array x when data instanceof long[] l -> System.arraycopy(x.values(), 0, l, at, x.values().length);
        case Value.TensorInt64 x when data instanceof long[] l -> System.arraycopy(x.values(), 0, l, at, x.values().length);
        case Value.Int32Array x when data instanceof int[] l -> System.arraycopy(x.values(), 0, l, at, x.values().length);
        case Value.TensorInt32 x when data instanceof int[] l -> System.arraycopy(x.values(), 0, l, at, x.values().length);
        case Value.Bool3 x when data instanceof boolean[] l -> { l[at] = x.a(); l[at + 1] = x.b(); l[at + 2] = x.c(); }
        default -> throw new IllegalStateException("custom field '" + key + "': " + describe(v) + " passed add() into a column of another type");
      }
    }
  }
}
