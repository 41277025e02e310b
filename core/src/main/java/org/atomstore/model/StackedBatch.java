package org.atomstore.model;

import java.lang.reflect.Array;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * B molecules of N atoms each as stacked arrays, written without building per-molecule objects:
 * positions {@code [B, N, 3]} (float[] or double[]), atomic numbers {@code [B, N]}, and optional energy
 * {@code [B]}, forces / velocities {@code [B, N, 3]}, charges {@code [B, N]}, cell / stress {@code [B, 3, 3]},
 * pbc {@code [B, 3]}, names {@code [B]} and custom properties. Float arrays may be float[] (stored as
 * float32) or double[] (stored as float64). Arrays are read, not copied, when the batch is written.
 *
 * <p>Custom properties name their on-disk type tag and the shape of one row after the leading dimension:
 * per-atom arrays hold {@code B * N * prod(inner)} values (tags 3, 5, 6, 8 with inner {@code []}; 4, 7 with
 * inner {@code [3]}; tensors 14-17 with any inner shape, stored as {@code [N, inner...]}); per-molecule ones
 * hold {@code B * prod(inner)} values (scalars 0, 1, 11 with inner {@code []}; arrays with {@code [k]};
 * vec3 with {@code [k, 3]}; 3x3 with {@code [3, 3]}; tensors with their own shape).
 */
public final class StackedBatch {

  /** One custom property over the batch. */
  public record Column(int typeTag, Object data, int[] inner, boolean perAtom) {
    public int rowElements(int atoms) {
      long n = perAtom ? atoms : 1;
      for (int d : inner) n *= d;
      return Math.toIntExact(n);
    }
  }

  final int batchSize;
  final int atoms;
  final Object positions;
  final byte[] atomicNumbers;
  Object energy;
  Object forces;
  Object velocities;
  Object charges;
  Object cell;
  Object stress;
  boolean[] pbc;
  String[] names;
  final TreeMap<String, Column> atomProperties = new TreeMap<>(Molecule.UTF8_ORDER);
  final TreeMap<String, Column> properties = new TreeMap<>(Molecule.UTF8_ORDER);

  private StackedBatch(int batchSize, int atoms, Object positions, byte[] atomicNumbers) {
    this.batchSize = batchSize;
    this.atoms = atoms;
    this.positions = requireFloats(positions, (long) batchSize * atoms * 3, "positions");
    this.atomicNumbers = Objects.requireNonNull(atomicNumbers, "atomicNumbers");
    requireLength(atomicNumbers.length, (long) batchSize * atoms, "atomicNumbers");
  }

  /** A batch of {@code batchSize} molecules with {@code atoms} atoms each; positions float[] or double[]. */
  public static StackedBatch of(int batchSize, int atoms, Object positions, byte[] atomicNumbers) {
    if (batchSize < 0 || atoms < 0) throw new IllegalArgumentException("negative batch size or atom count");
    return new StackedBatch(batchSize, atoms, positions, atomicNumbers);
  }

  public int batchSize() { return batchSize; }

  public Object positions() { return positions; }
  public byte[] atomicNumbers() { return atomicNumbers; }
  public Object energy() { return energy; }
  public Object forces() { return forces; }
  public Object velocities() { return velocities; }
  public Object charges() { return charges; }
  public Object cell() { return cell; }
  public Object stress() { return stress; }
  public boolean[] pbc() { return pbc; }
  public String[] names() { return names; }

  public int atomsPerMolecule() { return atoms; }

  /**
   * The stacked array of a builtin field, or null when absent: float[] or double[] for charges, cell, energy,
   * forces, stress, velocities and positions; boolean[] for pbc; String[] for names; byte[] for atomic numbers.
   */
  public Object builtin(BuiltinField f) {
    return switch (f) {
      case CHARGES -> charges;
      case CELL -> cell;
      case ENERGY -> energy;
      case FORCES -> forces;
      case NAME -> names;
      case PBC -> pbc;
      case STRESS -> stress;
      case VELOCITIES -> velocities;
      case POSITIONS -> positions;
      case ATOMIC_NUMBERS -> atomicNumbers;
    };
  }

  /** Energy [B]: double[] (float64) or float[] (float32). */
  public StackedBatch energy(Object e) { energy = requireFloats(e, batchSize, "energy"); return this; }

  public StackedBatch forces(Object f) { forces = requireFloats(f, (long) batchSize * atoms * 3, "forces"); return this; }

  public StackedBatch velocities(Object v) { velocities = requireFloats(v, (long) batchSize * atoms * 3, "velocities"); return this; }

  public StackedBatch charges(Object c) { charges = requireFloats(c, (long) batchSize * atoms, "charges"); return this; }

  public StackedBatch cell(Object c) { cell = requireFloats(c, 9L * batchSize, "cell"); return this; }

  public StackedBatch stress(Object s) { stress = requireFloats(s, 9L * batchSize, "stress"); return this; }

  public StackedBatch pbc(boolean[] p) { requireLength(p.length, 3L * batchSize, "pbc"); pbc = p; return this; }

  public StackedBatch names(String[] n) { requireLength(n.length, batchSize, "names"); names = n; return this; }

  public StackedBatch atomProperty(String key, int typeTag, Object data, int... inner) {
    return custom(atomProperties, properties, key, new Column(typeTag, data, inner.clone(), true));
  }

  public StackedBatch property(String key, int typeTag, Object data, int... inner) {
    return custom(properties, atomProperties, key, new Column(typeTag, data, inner.clone(), false));
  }

  /**
   * Row {@code row} as a Molecule (arrays copied): the molecule a writer stores for that row. Writing it with
   * {@code add} gives the same record as writing the row with {@code addBatch}.
   */
  public Molecule molecule(int row) {
    java.util.Objects.checkIndex(row, batchSize);
    int n = atoms;
    Molecule m = Molecule.create(vec3(slice(positions, row * n * 3, n * 3)), java.util.Arrays.copyOfRange(atomicNumbers, row * n, row * n + n));
    for (BuiltinField f : BuiltinField.SECTIONS) {
      Object a = builtin(f);
      if (a == null) continue;
      switch (f) {
        case NAME -> m.name(names[row]);
        case PBC -> m.pbc(pbc[3 * row], pbc[3 * row + 1], pbc[3 * row + 2]);
        default -> {
          int tag = f.tag(a instanceof double[]);
          int per = TypeTag.elementBytes(tag) / (a instanceof double[] ? 8 : 4) * (f.perAtom() ? n : 1);
          m.builtin(f, value(tag, slice(a, row * per, per), null));
        }
      }
    }
    for (var e : atomProperties.entrySet()) m.atomProperty(e.getKey(), columnValue(e.getValue(), row, n));
    for (var e : properties.entrySet()) m.property(e.getKey(), columnValue(e.getValue(), row, n));
    return m;
  }

  private static Value columnValue(Column c, int row, int n) {
    int per = c.rowElements(n);
    int[] dims = null;
    if (TypeTag.isTensor(c.typeTag())) {
      dims = new int[c.inner().length + (c.perAtom() ? 1 : 0)];
      int i = 0;
      if (c.perAtom()) dims[i++] = n;
      for (int x : c.inner()) dims[i++] = x;
    }
    return value(c.typeTag(), slice(c.data(), row * per, per), dims);
  }

  private static Value vec3(Object a) {
    return a instanceof double[] d ? new Value.Vec3Float64(d) : new Value.Vec3Float32((float[]) a);
  }

  private static Object slice(Object a, int from, int n) {
    return switch (a) {
      case float[] x -> java.util.Arrays.copyOfRange(x, from, from + n);
      case double[] x -> java.util.Arrays.copyOfRange(x, from, from + n);
      case int[] x -> java.util.Arrays.copyOfRange(x, from, from + n);
      case long[] x -> java.util.Arrays.copyOfRange(x, from, from + n);
      default -> throw new IllegalArgumentException("unsupported array " + a.getClass().getSimpleName());
    };
  }

  /** The Value of a type tag holding these elements (the arrays stackable tags use). */
  private static Value value(int tag, Object a, int[] dims) {
    return switch (tag) {
      case TypeTag.FLOAT64 -> new Value.Float64(((double[]) a)[0]);
      case TypeTag.FLOAT32 -> new Value.Float32(((float[]) a)[0]);
      case TypeTag.INT64 -> new Value.Int64(((long[]) a)[0]);
      case TypeTag.F64_ARRAY -> new Value.Float64Array((double[]) a);
      case TypeTag.F32_ARRAY -> new Value.Float32Array((float[]) a);
      case TypeTag.I64_ARRAY -> new Value.Int64Array((long[]) a);
      case TypeTag.I32_ARRAY -> new Value.Int32Array((int[]) a);
      case TypeTag.VEC3_F32 -> new Value.Vec3Float32((float[]) a);
      case TypeTag.VEC3_F64 -> new Value.Vec3Float64((double[]) a);
      case TypeTag.MAT3_F64 -> new Value.Mat3Float64((double[]) a);
      case TypeTag.MAT3_F32 -> new Value.Mat3Float32((float[]) a);
      case TypeTag.TENSOR_F32 -> new Value.TensorFloat32(dims, (float[]) a);
      case TypeTag.TENSOR_F64 -> new Value.TensorFloat64(dims, (double[]) a);
      case TypeTag.TENSOR_I32 -> new Value.TensorInt32(dims, (int[]) a);
      case TypeTag.TENSOR_I64 -> new Value.TensorInt64(dims, (long[]) a);
      default -> throw new IllegalArgumentException("type tag " + tag + " cannot be stacked");
    };
  }

  public SortedMap<String, Column> atomProperties() { return Collections.unmodifiableSortedMap(atomProperties); }

  public SortedMap<String, Column> properties() { return Collections.unmodifiableSortedMap(properties); }

  private StackedBatch custom(TreeMap<String, Column> into, TreeMap<String, Column> other, String key, Column c) {
    Molecule.checkKey(key);
    if (other.containsKey(key)) throw new IllegalArgumentException("custom property '" + key + "' exists in both scopes");
    int tag = c.typeTag();
    Class<?> want = switch (tag) {
      case TypeTag.FLOAT64, TypeTag.F64_ARRAY, TypeTag.VEC3_F64, TypeTag.MAT3_F64, TypeTag.TENSOR_F64 -> double[].class;
      case TypeTag.FLOAT32, TypeTag.F32_ARRAY, TypeTag.VEC3_F32, TypeTag.MAT3_F32, TypeTag.TENSOR_F32 -> float[].class;
      case TypeTag.INT64, TypeTag.I64_ARRAY, TypeTag.TENSOR_I64 -> long[].class;
      case TypeTag.I32_ARRAY, TypeTag.TENSOR_I32 -> int[].class;
      default -> throw new IllegalArgumentException("type tag " + tag + " cannot be stacked");
    };
    if (c.data() == null || c.data().getClass() != want) {
      throw new IllegalArgumentException("custom property '" + key + "' with type tag " + tag + " needs a " + want.getSimpleName());
    }
    int[] in = c.inner();
    boolean shapeOk = switch (tag) {
      case TypeTag.FLOAT64, TypeTag.FLOAT32, TypeTag.INT64 -> !c.perAtom() && in.length == 0;
      case TypeTag.F64_ARRAY, TypeTag.F32_ARRAY, TypeTag.I64_ARRAY, TypeTag.I32_ARRAY -> c.perAtom() ? in.length == 0 : in.length == 1;
      case TypeTag.VEC3_F32, TypeTag.VEC3_F64 -> c.perAtom() ? in.length == 1 && in[0] == 3 : in.length == 2 && in[1] == 3;
      case TypeTag.MAT3_F32, TypeTag.MAT3_F64 -> !c.perAtom() && in.length == 2 && in[0] == 3 && in[1] == 3;
      default -> in.length + (c.perAtom() ? 1 : 0) <= 255;
    };
    if (!shapeOk) {
      throw new IllegalArgumentException("custom property '" + key + "': inner shape " + java.util.Arrays.toString(in)
          + " does not fit type tag " + tag + (c.perAtom() ? " per atom" : " per molecule"));
    }
    for (int d : in) if (d < 0) throw new IllegalArgumentException("negative dimension in '" + key + "'");
    requireLength(Array.getLength(c.data()), (long) batchSize * c.rowElements(atoms), "custom property '" + key + "'");
    into.put(key, c);
    return this;
  }

  private static Object requireFloats(Object a, long length, String what) {
    if (!(a instanceof float[]) && !(a instanceof double[])) {
      throw new IllegalArgumentException(what + " must be a float[] or double[]");
    }
    requireLength(Array.getLength(a), length, what);
    return a;
  }

  private static void requireLength(long actual, long expected, String what) {
    if (actual != expected) throw new IllegalArgumentException(what + " has " + actual + " values, expected " + expected);
  }
}
