package org.atomstore.model;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One structure (molecule or crystal) as Atompack stores it: positions and atomic numbers, the optional
 * builtin fields ({@code charges, cell, energy, forces, name, pbc, stress, velocities}) and custom
 * per-atom and per-molecule properties.
 *
 * <p>A Molecule is a plain mutable value owned by one thread. The setters check shapes and dtypes so
 * that every Molecule can be written: positions are {@link Value.Vec3Float32} or {@link Value.Vec3Float64};
 * forces and velocities vec3 of either float type with one row per atom; charges a 1-D float array with
 * one value per atom; cell and stress 3x3 of either float type; energy a float scalar of either type.
 * Property maps iterate in UTF-8 byte order of their keys, the order records store them in.
 */
public final class Molecule {

  /** Orders keys by their UTF-8 bytes (the on-disk order), which differs from String order for some characters. */
  public static final Comparator<String> UTF8_ORDER = Molecule::compareUtf8;


  private final int atomCount;
  private final Value positions;
  private final byte[] atomicNumbers;
  private Value charges;
  private Value cell;
  private Value energy;
  private Value forces;
  private String name;
  private Value.Bool3 pbc;
  private Value stress;
  private Value velocities;
  private static final SortedMap<String, Value> NONE = Collections.unmodifiableSortedMap(new TreeMap<>(UTF8_ORDER));
  // allocated on first use: most training records carry no custom properties
  private TreeMap<String, Value> atomProperties;
  private TreeMap<String, Value> properties;

  private Molecule(int atomCount, Value positions, byte[] atomicNumbers) {
    this.atomCount = atomCount;
    this.positions = positions;
    this.atomicNumbers = atomicNumbers;
  }

  /**
   * A molecule read with a field projection: positions or atomic numbers may be null when they were not
   * asked for. Such a molecule cannot be written.
   */
  public static Molecule partial(int atomCount, Value positions, byte[] atomicNumbers) {
    if (positions != null && vec3Rows(positions, "positions") != atomCount) {
      throw new IllegalArgumentException("positions has " + vec3Rows(positions, "positions") + " rows for " + atomCount + " atoms");
    }
    if (atomicNumbers != null && atomicNumbers.length != atomCount) {
      throw new IllegalArgumentException(atomicNumbers.length + " atomic numbers for " + atomCount + " atoms");
    }
    return new Molecule(atomCount, positions, atomicNumbers);
  }

  /** A molecule with float32 positions (flat {@code [x0,y0,z0,x1,...]}) and atomic numbers (unsigned bytes). */
  public static Molecule of(float[] positions, byte[] atomicNumbers) {
    return create(new Value.Vec3Float32(positions), atomicNumbers);
  }

  /** A molecule with float64 positions (flat) and atomic numbers (unsigned bytes). */
  public static Molecule of(double[] positions, byte[] atomicNumbers) {
    return create(new Value.Vec3Float64(positions), atomicNumbers);
  }

  /** A molecule whose positions are given as a vec3 value of either float type. */
  public static Molecule create(Value positions, byte[] atomicNumbers) {
    Objects.requireNonNull(atomicNumbers, "atomicNumbers");
    int rows = vec3Rows(positions, "positions");
    if (rows != atomicNumbers.length) {
      throw new IllegalArgumentException(
          "positions has " + rows + " rows but there are " + atomicNumbers.length + " atomic numbers");
    }
    return new Molecule(rows, positions, atomicNumbers);
  }

  /** Atomic numbers given as ints in 0..255. */
  public static byte[] atomicNumbers(int... numbers) {
    byte[] out = new byte[numbers.length];
    for (int i = 0; i < numbers.length; i++) {
      if (numbers[i] < 0 || numbers[i] > 255) {
        throw new IllegalArgumentException("atomic number " + numbers[i] + " is outside 0..255");
      }
      out[i] = (byte) numbers[i];
    }
    return out;
  }

  public int atomCount() { return atomCount; }

  public Value positions() { return positions; }

  /** True when positions are stored as float64. */
  public boolean positionsAreFloat64() { return positions instanceof Value.Vec3Float64; }

  /** Positions as doubles (a copy when stored as float32); do not modify. */
  public double[] positionsAsDouble() { return Values.toDoubles(positions); }

  /** Positions as floats (a copy, rounded, when stored as float64). */
  public float[] positionsAsFloat() { return Values.toFloats(positions); }

  /** The raw atomic numbers (unsigned bytes); do not modify. */
  public byte[] atomicNumbers() { return atomicNumbers; }

  public int atomicNumber(int atom) { return atomicNumbers[atom] & 0xFF; }

  public Value charges() { return charges; }
  public Value cell() { return cell; }
  public Value energy() { return energy; }
  public Value forces() { return forces; }
  public String name() { return name; }
  public Value.Bool3 pbc() { return pbc; }
  public Value stress() { return stress; }
  public Value velocities() { return velocities; }

  /** Energy as a double, or NaN when absent. */
  public double energyAsDouble() {
    return switch (energy) {
      case null -> Double.NaN;
      case Value.Float64 f -> f.value();
      case Value.Float32 f -> f.value();
      default -> throw new IllegalStateException("energy has type " + energy);
    };
  }

  public Molecule charges(Value v) {
    if (v != null) {
      requireType(BuiltinField.CHARGES, v);
      if (v.elementCount() != atomCount()) {
        throw new IllegalArgumentException("charges has " + v.elementCount() + " values for " + atomCount() + " atoms");
      }
    }
    this.charges = v;
    return this;
  }

  public Molecule cell(Value v) {
    if (v != null) requireType(BuiltinField.CELL, v);
    this.cell = v;
    return this;
  }

  public Molecule cell(double[] rowMajor3x3) { return cell(new Value.Mat3Float64(rowMajor3x3)); }

  public Molecule energy(Value v) {
    if (v != null) requireType(BuiltinField.ENERGY, v);
    this.energy = v;
    return this;
  }

  public Molecule energy(double e) { return energy(new Value.Float64(e)); }

  public Molecule forces(Value v) {
    if (v != null && vec3Rows(v, BuiltinField.FORCES.key()) != atomCount()) {
      throw new IllegalArgumentException("forces has " + vec3Rows(v, BuiltinField.FORCES.key()) + " rows for " + atomCount() + " atoms");
    }
    this.forces = v;
    return this;
  }

  public Molecule forces(float[] flat) { return forces(new Value.Vec3Float32(flat)); }

  public Molecule name(String name) {
    this.name = name;
    return this;
  }

  public Molecule pbc(Value.Bool3 pbc) {
    this.pbc = pbc;
    return this;
  }

  public Molecule pbc(boolean a, boolean b, boolean c) { return pbc(new Value.Bool3(a, b, c)); }

  public Molecule stress(Value v) {
    if (v != null) requireType(BuiltinField.STRESS, v);
    this.stress = v;
    return this;
  }

  public Molecule velocities(Value v) {
    if (v != null && vec3Rows(v, BuiltinField.VELOCITIES.key()) != atomCount()) {
      throw new IllegalArgumentException("velocities has " + vec3Rows(v, BuiltinField.VELOCITIES.key()) + " rows for " + atomCount() + " atoms");
    }
    this.velocities = v;
    return this;
  }

  /** Per-atom custom properties, in UTF-8 key order (read-only view). */
  public SortedMap<String, Value> atomProperties() {
    return atomProperties == null ? NONE : Collections.unmodifiableSortedMap(atomProperties);
  }

  /** Per-molecule custom properties, in UTF-8 key order (read-only view). */
  public SortedMap<String, Value> properties() {
    return properties == null ? NONE : Collections.unmodifiableSortedMap(properties);
  }

  /**
   * Sets a per-atom property. Its leading dimension must be the atom count (arrays: length n; vec3: n rows;
   * tensors: first dimension n).
   */
  public Molecule atomProperty(String key, Value v) {
    String problem = trySetAtomProperty(key, v);
    if (problem != null) throw new IllegalArgumentException(problem);
    return this;
  }

  /**
   * Sets a per-atom property as {@link #atomProperty} does when it can be set, returning null; otherwise
   * changes nothing and returns why not (what a reader reports for a record holding such a property).
   */
  public String trySetAtomProperty(String key, Value v) {
    String problem = keyProblem(key);
    if (problem != null) return problem;
    Objects.requireNonNull(v, "value");
    if (properties != null && properties.containsKey(key)) {
      return "custom property '" + key + "' already exists as a molecule property";
    }
    long leading = switch (v) {
      case Value.Float64Array a -> a.values().length;
      case Value.Float32Array a -> a.values().length;
      case Value.Int64Array a -> a.values().length;
      case Value.Int32Array a -> a.values().length;
      case Value.Vec3Float32 a -> a.rows();
      case Value.Vec3Float64 a -> a.rows();
      case Value.TensorFloat32 t -> t.dims().length == 0 ? -1 : t.dims()[0];
      case Value.TensorFloat64 t -> t.dims().length == 0 ? -1 : t.dims()[0];
      case Value.TensorInt32 t -> t.dims().length == 0 ? -1 : t.dims()[0];
      case Value.TensorInt64 t -> t.dims().length == 0 ? -1 : t.dims()[0];
      default -> atomCount; // other types: the writer applies the reference's size rule
    };
    if (leading != atomCount) {
      return "atom property '" + key + "' has leading dimension " + leading + " but the molecule has " + atomCount + " atoms";
    }
    if (atomProperties == null) atomProperties = new TreeMap<>(UTF8_ORDER);
    atomProperties.put(key, v);
    return null;
  }

  /** Sets a per-molecule property of any type. */
  public Molecule property(String key, Value v) {
    String problem = trySetProperty(key, v);
    if (problem != null) throw new IllegalArgumentException(problem);
    return this;
  }

  /**
   * Sets a per-molecule property as {@link #property} does when it can be set, returning null; otherwise
   * changes nothing and returns why not.
   */
  public String trySetProperty(String key, Value v) {
    String problem = keyProblem(key);
    if (problem != null) return problem;
    Objects.requireNonNull(v, "value");
    if (atomProperties != null && atomProperties.containsKey(key)) {
      return "custom property '" + key + "' already exists as an atom property";
    }
    if (properties == null) properties = new TreeMap<>(UTF8_ORDER);
    properties.put(key, v);
    return null;
  }

  public Molecule removeProperty(String key) {
    if (properties != null) properties.remove(key);
    if (atomProperties != null) atomProperties.remove(key);
    return this;
  }

  /** Keys are written with a one-byte length: longer keys could not be read back. */
  public static void checkKey(String key) {
    String problem = keyProblem(key);
    if (problem != null) throw new IllegalArgumentException(problem);
  }

  /** Why a key cannot be stored (longer than 255 UTF-8 bytes), or null when it can. */
  private static String keyProblem(String key) {
    Objects.requireNonNull(key, "key");
    int len = key.getBytes(StandardCharsets.UTF_8).length;
    return len > 255 ? "property key is " + len + " UTF-8 bytes long; at most 255 can be stored" : null;
  }

  static int vec3Rows(Value v, String what) {
    // instanceof rather than a pattern switch: this runs for every decoded molecule
    if (v instanceof Value.Vec3Float32 a) return a.rows();
    if (v instanceof Value.Vec3Float64 a) return a.rows();
    if (v == null) throw new NullPointerException(what);
    throw new IllegalArgumentException(what + " must be vec3 float32 or float64, not " + v.getClass().getSimpleName());
  }

  private static void requireType(BuiltinField field, Value v) {
    if (!field.writes(v.typeTag())) {
      throw new IllegalArgumentException(field.key() + " cannot hold " + v.getClass().getSimpleName());
    }
  }

  static int compareUtf8(String a, String b) {
    if (a.equals(b)) return 0;
    byte[] x = a.getBytes(StandardCharsets.UTF_8);
    byte[] y = b.getBytes(StandardCharsets.UTF_8);
    return Arrays.compareUnsigned(x, y);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Molecule m
        && atomCount == m.atomCount
        && Objects.equals(positions, m.positions)
        && Arrays.equals(atomicNumbers, m.atomicNumbers)
        && Objects.equals(charges, m.charges)
        && Objects.equals(cell, m.cell)
        && Objects.equals(energy, m.energy)
        && Objects.equals(forces, m.forces)
        && Objects.equals(name, m.name)
        && Objects.equals(pbc, m.pbc)
        && Objects.equals(stress, m.stress)
        && Objects.equals(velocities, m.velocities)
        && atomProperties().equals(m.atomProperties())
        && properties().equals(m.properties());
  }

  @Override
  public int hashCode() {
    return Objects.hash(positions, Arrays.hashCode(atomicNumbers), energy, name);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Molecule{atoms=").append(atomCount());
    if (name != null) sb.append(", name=").append(name);
    if (energy != null) sb.append(", energy=").append(energyAsDouble());
    if (forces != null) sb.append(", forces");
    if (cell != null) sb.append(", cell");
    if (pbc != null) sb.append(", pbc=").append(Arrays.toString(pbc.toArray()));
    if (stress != null) sb.append(", stress");
    if (charges != null) sb.append(", charges");
    if (velocities != null) sb.append(", velocities");
    if (!atomProperties().isEmpty()) sb.append(", atomProperties=").append(atomProperties.keySet());
    if (!properties().isEmpty()) sb.append(", properties=").append(properties.keySet());
    return sb.append('}').toString();
  }

  /**
   * The value of a builtin section field, or null when absent (the name as a {@link Value.Text}). Positions and
   * atomic numbers are {@link #positions()} and {@link #atomicNumbers()}.
   */
  public Value builtin(BuiltinField f) {
    return switch (f) {
      case CHARGES -> charges;
      case CELL -> cell;
      case ENERGY -> energy;
      case FORCES -> forces;
      case NAME -> name == null ? null : new Value.Text(name);
      case PBC -> pbc;
      case STRESS -> stress;
      case VELOCITIES -> velocities;
      case POSITIONS, ATOMIC_NUMBERS -> throw new IllegalArgumentException(f.key() + " is not a builtin section");
    };
  }

  /**
   * Sets a builtin section field, with the checks of its own setter ({@link #forces(Value)}, ...); null removes it.
   *
   * @throws IllegalArgumentException when the field cannot hold the value
   */
  public Molecule builtin(BuiltinField f, Value v) {
    return switch (f) {
      case CHARGES -> charges(v);
      case CELL -> cell(v);
      case ENERGY -> energy(v);
      case FORCES -> forces(v);
      case NAME -> {
        if (v != null && !(v instanceof Value.Text)) throw new IllegalArgumentException("name cannot hold " + v.getClass().getSimpleName());
        yield name(v == null ? null : ((Value.Text) v).value());
      }
      case PBC -> {
        if (v != null && !(v instanceof Value.Bool3)) throw new IllegalArgumentException("pbc cannot hold " + v.getClass().getSimpleName());
        yield pbc((Value.Bool3) v);
      }
      case STRESS -> stress(v);
      case VELOCITIES -> velocities(v);
      case POSITIONS, ATOMIC_NUMBERS -> throw new IllegalArgumentException(f.key() + " is not a builtin section");
    };
  }

  /**
   * Builtin fields present, as a map from key to value, in the fixed order records store them
   * ({@link BuiltinField#SECTIONS}).
   */
  public Map<String, Value> builtins() {
    Map<String, Value> out = new java.util.LinkedHashMap<>();
    for (BuiltinField f : BuiltinField.SECTIONS) {
      Value v = builtin(f);
      if (v != null) out.put(f.key(), v);
    }
    return out;
  }
}
