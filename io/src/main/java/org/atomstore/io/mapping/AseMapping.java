package org.atomstore.io.mapping;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.atomstore.io.ase.AseAtoms;
import org.atomstore.io.ase.PyValue;
import org.atomstore.io.ase.PyValue.NdArray;
import org.atomstore.io.mapping.internal.Json;
import org.atomstore.model.Molecule;
import org.atomstore.model.Value;

/**
 * Maps ASE structures ({@link AseAtoms}, from extended XYZ frames or database rows) onto Atompack's
 * {@link Molecule} and back. The rules (also in {@code io/README.md}):
 *
 * <ul>
 *   <li>{@code positions} -> positions, float64 by default (lossless) or float32 on request; {@code numbers} ->
 *       atomic numbers; {@code pbc} -> pbc (always); {@code cell} -> cell (Mat3Float64, rows = lattice vectors),
 *       left unset when ASE's cell is all zeros.</li>
 *   <li>calculator {@code energy} -> energy (Float64); calculator {@code forces} -> forces (Vec3Float64);
 *       {@code stress} -> stress as a 3x3: the 3x3 {@code info['stress']} when present (exact, even when not
 *       symmetric), else the symmetric matrix built from the calculator's 6 Voigt values (xx yy zz yz xz xy).</li>
 *   <li>{@code arrays['initial_charges']} -> charges (else the calculator's {@code charges});
 *       {@code arrays['velocities']} or {@code arrays['vel']} (n x 3 floats) -> velocities.</li>
 *   <li>every other {@code info} entry -> a molecule property, every other per-atom array (and per-atom
 *       calculator results not already among the arrays: {@code magmoms, energies, stresses}) -> an atom
 *       property, with their types: int -> Int64, float -> Float64, str -> Text, 1-D float64/int64/int32
 *       arrays -> Float64Array/Int64Array/Int32Array, n x 3 floats -> Vec3Float64, other shapes -> tensors.
 *       Calculator results also present in {@code info} ({@code energy}, {@code stress}) are not repeated;
 *       {@code free_energy}, {@code dipole}, {@code magmom} stay properties (from info, or the calculator for
 *       database rows).</li>
 *   <li>What has no exact Atompack type is reported in {@link Result#warnings()}: bools are stored as Int64 0/1
 *       (scalars) or Int32 tensors (arrays), lists and dicts as their JSON text, string arrays and constraints are
 *       dropped.</li>
 *   <li>{@code info['name']} is always the builtin name, never also a property: a string as is, a bool/int/float
 *       (ASE reads {@code name=F}, fluorine, as False) as the token it was read from, with a warning.</li>
 *   <li>Database rows ({@link #toMolecule(org.atomstore.io.asedb.AseRow, Precision)}) also keep their
 *       {@code key_value_pairs} and {@code data}.</li>
 * </ul>
 * Stateless; safe for any number of threads.
 */
public final class AseMapping {

  /** Float width of the positions written to the molecule. */
  public enum Precision { FLOAT32, FLOAT64 }

  /** The molecule and what could not be mapped exactly (empty when the mapping is lossless). */
  public record Result(Molecule molecule, List<String> warnings) {}

  private AseMapping() {}

  public static Result toMolecule(AseAtoms a, Precision precision) {
    var warnings = new ArrayList<String>(0);
    Molecule m = precision == Precision.FLOAT32 ? float32Molecule(a) : Molecule.of(a.positions().clone(), numbers(a));
    m.pbc(a.pbc()[0], a.pbc()[1], a.pbc()[2]);
    if (!isZero(a.cell())) m.cell(a.cell().clone());
    Map<String, PyValue> res = a.results();
    mapEnergy(m, res, warnings);
    if (res.get("forces") instanceof NdArray f && f.shape().length == 2 && f.shape()[1] == 3) {
      m.forces(new Value.Vec3Float64(f.toDoubles().clone()));
    }
    mapStress(m, a.info(), res);
    String velocityKey = mapChargesAndVelocities(m, a.arrays(), res);
    mapAtomProperties(m, a, res, velocityKey, warnings);
    mapProperties(m, a, res, warnings);
    if (!a.constraints().isEmpty()) warnings.add(a.constraints().size() + " constraint(s) have no Atompack field: dropped");
    return new Result(m, warnings);
  }

  private static byte[] numbers(AseAtoms a) {
    long[] numbers = a.numbers();
    byte[] z = new byte[numbers.length];
    for (int i = 0; i < z.length; i++) z[i] = (byte) numbers[i];
    return z;
  }

  private static Molecule float32Molecule(AseAtoms a) {
    double[] d = a.positions();
    float[] p = new float[d.length];
    for (int i = 0; i < p.length; i++) p[i] = (float) d[i];
    return Molecule.of(p, numbers(a));
  }

  private static boolean isZero(double[] v) {
    for (double c : v) if (c != 0) return false;
    return true;
  }

  private static void mapEnergy(Molecule m, Map<String, PyValue> res, List<String> warnings) {
    PyValue e = res.get("energy");
    if (e instanceof PyValue.PyFloat f) m.energy(f.value());
    else if (e instanceof PyValue.PyInt i) m.energy((double) i.value());
    else if (res.containsKey("energy")) warnings.add("energy " + e + " is not a number: dropped");
  }

  private static void mapStress(Molecule m, Map<String, PyValue> info, Map<String, PyValue> res) {
    if (info.get("stress") instanceof NdArray s && s.shape().length == 2 && s.shape()[0] == 3 && s.shape()[1] == 3) {
      m.stress(new Value.Mat3Float64(s.toDoubles().clone()));
    } else if (res.get("stress") instanceof NdArray s && s.size() == 6) {
      double[] v = s.toDoubles();
      m.stress(new Value.Mat3Float64(new double[] {v[0], v[5], v[4], v[5], v[1], v[3], v[4], v[3], v[2]}));
    } else if (res.get("stress") instanceof NdArray s && s.size() == 9) {
      m.stress(new Value.Mat3Float64(s.toDoubles().clone()));
    }
  }

  /** Sets charges and velocities; returns the array key the velocities came from, or null. */
  private static String mapChargesAndVelocities(Molecule m, Map<String, NdArray> arrays, Map<String, PyValue> res) {
    NdArray charges = arrays.get("initial_charges");
    if (charges == null && res.get("charges") instanceof NdArray c) charges = c;
    if (charges != null && charges.shape().length == 1) m.charges(new Value.Float64Array(charges.toDoubles().clone()));
    for (String velKey : VELOCITY_KEYS) {
      NdArray v = arrays.get(velKey);
      if (v != null && v.kind() == 'f' && v.shape().length == 2 && v.shape()[1] == 3) {
        m.velocities(new Value.Vec3Float64(v.doubles().clone()));
        return velKey;
      }
    }
    return null;
  }

  // Order matters for the order of warnings: the arrays in ASE's order, forces last when kept, then the
  // per-atom calculator results that are not arrays.
  private static void mapAtomProperties(Molecule m, AseAtoms a, Map<String, PyValue> res, String velocityKey,
      List<String> warnings) {
    Map<String, NdArray> arrays = a.arrays();
    if (!arrays.isEmpty()) {
      for (var e : arrays.entrySet()) {
        String key = e.getKey();
        if (key.equals("initial_charges") || key.equals("forces") || key.equals(velocityKey)) continue;
        atomProperty(m, key, e.getValue(), warnings);
      }
      NdArray forces = arrays.get("forces");
      if (m.forces() == null && forces != null) atomProperty(m, "forces", forces, warnings);
    }
    if (res.isEmpty()) return;
    for (String k : PER_ATOM_RESULTS) {
      if (!arrays.containsKey(k) && res.get(k) instanceof NdArray r) atomProperty(m, k, r, warnings);
    }
  }

  private static void atomProperty(Molecule m, String key, NdArray array, List<String> warnings) {
    Value v = atomValue(key, array, warnings);
    if (v != null) m.atomProperty(key, v);
  }

  // The info entries in ASE's order without those mapped elsewhere, then the per-config calculator results that
  // are not in info.
  private static void mapProperties(Molecule m, AseAtoms a, Map<String, PyValue> res, List<String> warnings) {
    Map<String, PyValue> info = a.info();
    boolean skipStress = m.stress() != null || res.containsKey("stress");
    boolean skipEnergy = res.containsKey("energy");
    for (var e : info.entrySet()) {
      String key = e.getKey();
      if (skipEnergy && key.equals("energy") || skipStress && key.equals("stress")) continue;
      if (key.equals("name")) {
        m.name(nameText(e.getValue(), warnings));
        continue;
      }
      property(m, key, e.getValue(), warnings);
    }
    if (res.isEmpty()) return;
    for (String k : PER_CONFIG_PROPERTIES) {
      if (!info.containsKey(k) && res.containsKey(k)) property(m, k, res.get(k), warnings);
    }
  }

  /**
   * The text of {@code info['name']}, always the builtin name (never also a property of the same key, which readers
   * would list twice). ASE reads a bare {@code name=F} (fluorine) as the bool False and {@code name=2} as an int: the
   * name is the token the file held ({@code T}/{@code F} for bools), with a warning.
   */
  private static String nameText(PyValue v, List<String> warnings) {
    if (v instanceof PyValue.PyStr s) return s.value();
    String text;
    if (v instanceof PyValue.PyBool b) text = b.value() ? "T" : "F";
    else if (v instanceof PyValue.PyInt i) text = Long.toString(i.value());
    else if (v instanceof PyValue.PyFloat f) text = org.atomstore.io.ase.internal.PyText.repr(f.value());
    else text = toJson(v);
    warnings.add("info 'name' is " + describe(v) + " in ASE: stored as the name '" + text + "'");
    return text;
  }

  private static String describe(PyValue v) {
    if (v instanceof PyValue.PyBool) return "a bool";
    if (v instanceof PyValue.PyInt) return "an int";
    if (v instanceof PyValue.PyFloat) return "a float";
    return "a " + v.getClass().getSimpleName();
  }

  /**
   * An ASE database row: {@link AseRow#toAtoms()} mapped as above, plus what {@code row.toatoms()} leaves out: the
   * row's {@code key_value_pairs} become molecule properties under their own keys ({@code name} the builtin name),
   * the entries of its {@code data} dict properties named {@code data.KEY}, with the same type rules as info
   * entries. A key that is already taken is reported in the warnings, never silently dropped.
   */
  public static Result toMolecule(org.atomstore.io.asedb.AseRow row, Precision precision) {
    Result r = toMolecule(row.toAtoms(), precision);
    Molecule m = r.molecule();
    var warnings = new ArrayList<>(r.warnings());
    for (var e : row.keyValuePairs().entrySet()) {
      if (e.getKey().equals("name")) m.name(nameText(e.getValue(), warnings));
      else extraProperty(m, "key_value_pairs", e.getKey(), e.getValue(), warnings);
    }
    PyValue data = row.data();
    if (data instanceof PyValue.PyDict d) {
      for (var e : d.entries().entrySet()) extraProperty(m, "data", "data." + e.getKey(), e.getValue(), warnings);
    } else if (data != null && !(data instanceof PyValue.PyNone)) {
      extraProperty(m, "data", "data", data, warnings);
    }
    return new Result(m, warnings);
  }

  private static void extraProperty(Molecule m, String from, String key, PyValue value, List<String> warnings) {
    if (m.properties().containsKey(key)) {
      warnings.add(from + " '" + key + "' has the name of another property of the row: dropped");
      return;
    }
    property(m, key, value, warnings);
  }

  private static void property(Molecule m, String key, PyValue value, List<String> warnings) {
    if (!m.atomProperties().isEmpty() && m.atomProperties().containsKey(key)) {
      warnings.add("info '" + key + "' has the name of a per-atom array: dropped");
      return;
    }
    Value v = infoValue(key, value, warnings);
    if (v != null) m.property(key, v);
  }

  private static final List<String> VELOCITY_KEYS = List.of("velocities", "vel");
  private static final List<String> PER_ATOM_RESULTS = List.of("magmoms", "energies", "stresses");
  private static final List<String> PER_CONFIG_PROPERTIES = List.of("free_energy", "dipole", "magmom");

  // instanceof rather than a pattern switch: this runs per frame and per entry
  private static Value infoValue(String key, PyValue v, List<String> warnings) {
    if (v instanceof PyValue.PyFloat f) return new Value.Float64(f.value());
    if (v instanceof PyValue.PyInt i) return new Value.Int64(i.value());
    if (v instanceof PyValue.PyStr s) return new Value.Text(s.value());
    if (v instanceof NdArray a) return arrayValue(key, a, warnings, false);
    return rareInfoValue(key, v, warnings);
  }

  private static Value rareInfoValue(String key, PyValue v, List<String> warnings) {
    if (v instanceof PyValue.PyBool b) {
      warnings.add("info '" + key + "' is a bool: stored as Int64 " + (b.value() ? 1 : 0));
      return new Value.Int64(b.value() ? 1 : 0);
    }
    if (v instanceof PyValue.PyNone) {
      warnings.add("info '" + key + "' is None: stored as Null");
      return Value.Null.INSTANCE;
    }
    warnings.add("info '" + key + "' (" + v.getClass().getSimpleName() + ") stored as JSON text");
    return new Value.Text(toJson(v));
  }

  private static Value atomValue(String key, NdArray a, List<String> warnings) {
    return arrayValue(key, a, warnings, true);
  }

  private static Value arrayValue(String key, NdArray a, List<String> warnings, boolean perAtom) {
    String what = (perAtom ? "array '" : "info '") + key + "'";
    int[] shape = a.shape();
    switch (a.kind()) {
      case 'f' -> {
        double[] d = a.doubles().clone();
        if (shape.length == 1) return new Value.Float64Array(d);
        if (perAtom && shape.length == 2 && shape[1] == 3) return new Value.Vec3Float64(d);
        if (!perAtom && shape.length == 2 && shape[0] == 3 && shape[1] == 3) return new Value.Mat3Float64(d);
        return new Value.TensorFloat64(shape.clone(), d);
      }
      case 'i', 'u' -> {
        long[] l = a.longs();
        if (a.dtype().equals("int32")) {
          int[] iv = new int[l.length];
          for (int i = 0; i < l.length; i++) iv[i] = (int) l[i];
          return shape.length == 1 ? new Value.Int32Array(iv) : new Value.TensorInt32(shape.clone(), iv);
        }
        return shape.length == 1 ? new Value.Int64Array(l.clone()) : new Value.TensorInt64(shape.clone(), l.clone());
      }
      case 'b' -> {
        boolean[] b = a.booleans();
        int[] iv = new int[b.length];
        for (int i = 0; i < b.length; i++) iv[i] = b[i] ? 1 : 0;
        warnings.add(what + " is bool: stored as Int32 0/1");
        if (shape.length == 0) return new Value.Int64(iv[0]);
        return new Value.TensorInt32(shape.clone(), iv);
      }
      default -> {
        if (!perAtom) {
          warnings.add(what + " (" + a.dtype() + " array) stored as JSON text");
          return new Value.Text(toJson(a));
        }
        warnings.add(what + " (" + a.dtype() + " array) has no Atompack type: dropped");
        return null;
      }
    }
  }

  static String toJson(PyValue v) { return Json.plain(v); }

  /**
   * The ASE view of a molecule, for writing extended XYZ: calculator results from energy, forces and stress
   * (stress written as its 3x3), charges as {@code initial_charges}, velocities as a {@code velocities} array,
   * properties as info entries and atom properties as arrays.
   */
  public static AseAtoms fromMolecule(Molecule m) {
    int n = m.atomCount();
    long[] numbers = new long[n];
    for (int i = 0; i < n; i++) numbers[i] = m.atomicNumber(i);
    double[] cell = m.cell() == null ? new double[9] : org.atomstore.model.Values.toDoubles(m.cell());
    boolean[] pbc = m.pbc() == null ? new boolean[3] : new boolean[] {m.pbc().a(), m.pbc().b(), m.pbc().c()};
    var info = new LinkedHashMap<String, PyValue>();
    var arrays = new LinkedHashMap<String, NdArray>();
    var results = new LinkedHashMap<String, PyValue>();
    if (m.charges() != null) arrays.put("initial_charges", NdArray.float64(new int[] {n}, org.atomstore.model.Values.toDoubles(m.charges())));
    if (m.velocities() != null) arrays.put("velocities", NdArray.float64(new int[] {n, 3}, org.atomstore.model.Values.toDoubles(m.velocities())));
    if (m.name() != null) info.put("name", new PyValue.PyStr(m.name()));
    for (var e : m.properties().entrySet()) info.put(e.getKey(), fromValue(e.getValue(), false));
    for (var e : m.atomProperties().entrySet()) {
      if (fromValue(e.getValue(), true) instanceof NdArray a) arrays.put(e.getKey(), a);
    }
    if (m.energy() != null) results.put("energy", new PyValue.PyFloat(m.energyAsDouble()));
    if (m.forces() != null) results.put("forces", NdArray.float64(new int[] {n, 3}, org.atomstore.model.Values.toDoubles(m.forces())));
    if (m.stress() != null) {
      double[] s = org.atomstore.model.Values.toDoubles(m.stress());
      info.put("stress", NdArray.float64(new int[] {3, 3}, s));
      results.put("stress", NdArray.float64(new int[] {6}, new double[] {s[0], s[4], s[8], s[5], s[2], s[1]}));
    }
    return new AseAtoms(numbers, m.positionsAsDouble(), cell, pbc, info, arrays, results.isEmpty() ? null : results,
        List.of(), 0);
  }

  private static PyValue fromValue(Value v, boolean perAtom) {
    return switch (v) {
      case Value.Float64 f -> new PyValue.PyFloat(f.value());
      case Value.Float32 f -> new PyValue.PyFloat(f.value());
      case Value.Int64 i -> new PyValue.PyInt(i.value());
      case Value.Text t -> new PyValue.PyStr(t.value());
      case Value.Null x -> PyValue.PyNone.INSTANCE;
      case Value.Bool3 b -> NdArray.bool(new int[] {3}, new boolean[] {b.a(), b.b(), b.c()});
      case Value.Int64Array a -> NdArray.int64(new int[] {a.values().length}, a.values());
      case Value.Int32Array a -> NdArray.int32(new int[] {a.values().length}, toLongs(a.values()));
      case Value.TensorInt32 t -> NdArray.int32(t.dims(), toLongs(t.values()));
      case Value.TensorInt64 t -> NdArray.int64(t.dims(), t.values());
      case Value.TensorFloat64 t -> NdArray.float64(t.dims(), t.values());
      default -> NdArray.float64(v.shape(), org.atomstore.model.Values.toDoubles(v));
    };
  }

  private static long[] toLongs(int[] v) {
    long[] l = new long[v.length];
    for (int i = 0; i < v.length; i++) l[i] = v[i];
    return l;
  }
}
