package org.atomstore.io.aselmdb.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.atomstore.io.ase.ChemicalSymbols;
import org.atomstore.io.ase.PyValue;
import org.atomstore.io.ase.PyValue.NdArray;
import org.atomstore.io.asedb.AseRow;

/**
 * fairchem's row dict (as {@link ZlibJson#parse} gives it) into the {@link AseRow} that ASE's {@code AtomsRow}
 * would be: what {@code row.toatoms()} builds from it, NumPy's conversions included ({@code np.array(value, float)}
 * for per-atom arrays and array results, a null as NaN; ASE's defaults for a None inside {@code initial_magmoms},
 * {@code initial_charges} and {@code tags}). A row ASE could not turn into atoms (a missing {@code numbers}, arrays
 * of the wrong length) is refused with {@link BadRowException}. Stateless.
 */
public final class RowDecoder {

  /** ASE 3.22's {@code all_properties}, in its order. */
  public static final List<String> ALL_PROPERTIES = List.of("energy", "forces", "stress", "stresses", "dipole",
      "charges", "magmom", "magmoms", "free_energy", "energies");
  /** The per-atom columns an ASE row may hold, in the order {@code ase.db.row} lists them. */
  public static final List<String> ARRAY_FIELDS = List.of("initial_magmoms", "initial_charges", "masses", "tags", "momenta");
  private static final List<String> SCALAR_RESULTS = List.of("energy", "magmom", "free_energy");

  private RowDecoder() {}

  /** Why a row cannot be turned into atoms; the caller names the file and the row. */
  public static final class BadRowException extends Exception {
    public BadRowException(String message) { super(message, null, false, false); }
  }

  public static AseRow decode(long id, PyValue value) throws BadRowException {
    if (!(value instanceof PyValue.PyDict dict)) throw new BadRowException("the row is a JSON " + kind(value) + ", not an object");
    Map<String, PyValue> d = dict.entries();
    PyValue num = d.get("numbers");
    if (num == null) throw new BadRowException("no 'numbers'");
    long[] numbers = numbers(num);
    int n = numbers.length;
    PyValue pos = d.get("positions");
    if (pos == null) throw new BadRowException("no 'positions'");
    double[] positions = floats("positions", pos, n, 3);
    double[] cell = new double[9];
    PyValue c = d.get("cell");
    if (c != null) {
      NdArray a = asFloat("cell", c);
      if (a.size() == 9 && a.shape().length == 2) {
        cell = a.doubles();
      } else if (a.size() == 3 && a.shape().length == 1) {
        for (int i = 0; i < 3; i++) cell[4 * i] = a.doubles()[i]; // lengths of an orthorhombic cell, as ase.cell does
      } else {
        throw new BadRowException("'cell' of shape " + shape(a) + " (expected 3 x 3)");
      }
    }
    boolean[] pbc = pbc(d.get("pbc"));
    var arrays = new LinkedHashMap<String, NdArray>();
    for (String k : ARRAY_FIELDS) {
      PyValue v = d.get(k);
      if (v == null || v instanceof PyValue.PyNone) continue;
      arrays.put(k, switch (k) {
        case "tags" -> tags(v, n);
        case "momenta" -> NdArray.float64(new int[] {n, 3}, floats(k, v, n, 3));
        case "initial_magmoms" -> magmoms(v, n);
        default -> NdArray.float64(new int[] {n}, perAtom(k, v, n, 0.0));
      });
    }
    var results = new LinkedHashMap<String, PyValue>();
    for (String p : ALL_PROPERTIES) {
      PyValue v = d.get(p);
      if (v == null) continue;
      if (SCALAR_RESULTS.contains(p) || v instanceof PyValue.PyNone) results.put(p, v);
      else results.put(p, asFloat(p, v));
    }
    List<PyValue> constraints = new ArrayList<>();
    if (d.get("constraints") instanceof PyValue.PyList l) {
      for (PyValue x : l.items()) constraints.add(ZlibJson.unpack(x));
    } else if (d.get("constraints") instanceof NdArray) {
      throw new BadRowException("'constraints' is a list of numbers, not of constraint dicts");
    }
    var kvp = new LinkedHashMap<String, PyValue>();
    if (d.get("key_value_pairs") instanceof PyValue.PyDict k) {
      k.entries().forEach((key, v) -> kvp.put(key, ZlibJson.unpack(v)));
    } else if (d.containsKey("key_value_pairs")) {
      throw new BadRowException("'key_value_pairs' is a JSON " + kind(d.get("key_value_pairs")) + ", not an object");
    }
    PyValue data = d.getOrDefault("data", new PyValue.PyDict(new LinkedHashMap<>()));
    PyValue params = d.get("calculator_parameters");
    return new AseRow(id, string(d.get("unique_id")), real(d.get("ctime")), real(d.get("mtime")), string(d.get("user")),
        numbers, positions, cell, pbc, arrays, constraints, string(d.get("calculator")),
        params == null ? null : ZlibJson.unpack(params), results, kvp, data, new LinkedHashMap<>());
  }

  private static long[] numbers(PyValue v) throws BadRowException {
    long[] z;
    if (v instanceof PyValue.PyList l && l.items().isEmpty()) z = new long[0];
    else if (v instanceof NdArray a && a.data() instanceof long[] l && a.shape().length == 1) z = l;
    else throw new BadRowException("'numbers' is not a list of integers");
    for (long x : z) {
      if (x < 0 || x > ChemicalSymbols.MAX_NUMBER) throw new BadRowException("atomic number " + x + " outside 0.." + ChemicalSymbols.MAX_NUMBER);
    }
    return z;
  }

  private static NdArray tags(PyValue v, int n) throws BadRowException {
    if (v instanceof NdArray a && a.data() instanceof long[] l && a.shape().length == 1 && l.length == n) return NdArray.int64(new int[] {n}, l);
    // a None in the list is ASE's default tag, 0; floats are truncated as np.array(tags, int) does
    double[] d = perAtom("tags", v, n, 0.0);
    long[] out = new long[n];
    for (int i = 0; i < n; i++) out[i] = (long) d[i];
    return NdArray.int64(new int[] {n}, out);
  }

  private static NdArray magmoms(PyValue v, int n) throws BadRowException {
    NdArray a = asFloat("initial_magmoms", nulls(v, 0.0));
    if (a.shape().length == 1 && a.shape()[0] == n || a.shape().length == 2 && a.shape()[0] == n && a.shape()[1] == 3
        || n == 0 && a.size() == 0) {
      return n == 0 ? NdArray.float64(new int[] {0}, new double[0]) : a;
    }
    throw new BadRowException("'initial_magmoms' of shape " + shape(a) + " for " + n + " atoms");
  }

  /** A per-atom float column of n values; a None inside is ASE's default (0 for charges, magmoms and tags). */
  private static double[] perAtom(String key, PyValue v, int n, double dflt) throws BadRowException {
    NdArray a = asFloat(key, key.equals("masses") ? v : nulls(v, dflt));
    if (a.size() != n || a.shape().length != 1 && n > 0) {
      throw new BadRowException("'" + key + "' of shape " + shape(a) + " for " + n + " atoms");
    }
    return a.doubles();
  }

  // ASE's default(): a None element of a list becomes the default value
  private static PyValue nulls(PyValue v, double dflt) {
    if (v instanceof PyValue.PyList l) {
      var out = new ArrayList<PyValue>(l.items().size());
      for (PyValue x : l.items()) out.add(x instanceof PyValue.PyNone ? new PyValue.PyFloat(dflt) : x);
      return new PyValue.PyList(out);
    }
    if (v instanceof NdArray a && a.data() instanceof double[] d && a.shape().length == 1) {
      double[] out = d.clone();
      for (int i = 0; i < out.length; i++) if (Double.isNaN(out[i])) out[i] = dflt;
      return NdArray.float64(a.shape(), out);
    }
    return v;
  }

  /** An n x width float array (positions, momenta): flat, row-major. */
  private static double[] floats(String key, PyValue v, int n, int width) throws BadRowException {
    NdArray a = asFloat(key, v);
    if (n == 0 && a.size() == 0) return new double[0];
    if (a.shape().length != 2 || a.shape()[0] != n || a.shape()[1] != width) {
      throw new BadRowException("'" + key + "' of shape " + shape(a) + " for " + n + " atoms (expected " + n + " x " + width + ")");
    }
    return a.doubles();
  }

  /** {@code np.array(v, float)}: a regular nesting of numbers, bools and nulls (NaN). */
  static NdArray asFloat(String key, PyValue v) throws BadRowException {
    if (v instanceof NdArray a) return a.data() instanceof double[] ? a : NdArray.float64(a.shape(), a.toDoubles());
    var shape = new ArrayList<Integer>();
    var values = new ArrayList<Double>();
    collect(key, v, 0, shape, values);
    int[] s = shape.stream().mapToInt(Integer::intValue).toArray();
    double[] d = new double[values.size()];
    for (int i = 0; i < d.length; i++) d[i] = values.get(i);
    return NdArray.float64(s, d);
  }

  private static void collect(String key, PyValue v, int depth, List<Integer> shape, List<Double> out) throws BadRowException {
    if (depth > ZlibJson.MAX_DEPTH) throw new BadRowException("'" + key + "' nested too deep");
    switch (v) {
      case PyValue.PyList l -> {
        dim(key, depth, l.items().size(), shape);
        for (PyValue x : l.items()) collect(key, x, depth + 1, shape, out);
      }
      case NdArray a -> {
        int[] s = a.shape();
        for (int k = 0; k < s.length; k++) dim(key, depth + k, s[k], shape);
        for (double x : a.toDoubles()) out.add(x);
        leaf(key, depth + s.length, shape);
      }
      case PyValue.PyFloat f -> { leaf(key, depth, shape); out.add(f.value()); }
      case PyValue.PyInt i -> { leaf(key, depth, shape); out.add((double) i.value()); }
      case PyValue.PyBool b -> { leaf(key, depth, shape); out.add(b.value() ? 1.0 : 0.0); }
      case PyValue.PyNone x -> { leaf(key, depth, shape); out.add(Double.NaN); }
      default -> throw new BadRowException("'" + key + "' holds a " + kind(v) + " where numbers were expected");
    }
  }

  private static void dim(String key, int depth, int size, List<Integer> shape) throws BadRowException {
    if (shape.size() == depth) shape.add(size);
    else if (shape.size() < depth || shape.get(depth) != size) throw new BadRowException("'" + key + "' is a ragged list");
  }

  private static void leaf(String key, int depth, List<Integer> shape) throws BadRowException {
    if (shape.size() > depth) throw new BadRowException("'" + key + "' is a ragged list");
  }

  private static boolean[] pbc(PyValue v) throws BadRowException {
    boolean[] out = new boolean[3];
    if (v == null) return out;
    if (v instanceof PyValue.PyBool b) return new boolean[] {b.value(), b.value(), b.value()};
    if (v instanceof PyValue.PyList l && l.items().size() == 3) {
      for (int i = 0; i < 3; i++) {
        switch (l.items().get(i)) {
          case PyValue.PyBool b -> out[i] = b.value();
          default -> throw new BadRowException("'pbc' holds " + kind(l.items().get(i)) + ", not a bool");
        }
      }
      return out;
    }
    if (v instanceof NdArray a && a.size() == 3 && a.shape().length == 1) {
      double[] d = a.toDoubles();
      for (int i = 0; i < 3; i++) out[i] = d[i] != 0;
      return out;
    }
    throw new BadRowException("'pbc' is not a list of 3 bools");
  }

  private static String string(PyValue v) {
    return v instanceof PyValue.PyStr s ? s.value() : null;
  }

  private static double real(PyValue v) {
    return switch (v) {
      case PyValue.PyFloat f -> f.value();
      case PyValue.PyInt i -> i.value();
      case null, default -> Double.NaN;
    };
  }

  static String shape(NdArray a) {
    return java.util.Arrays.toString(a.shape());
  }

  static String kind(PyValue v) {
    return switch (v) {
      case PyValue.PyDict x -> "object";
      case PyValue.PyList x -> "list";
      case NdArray x -> "list of numbers";
      case PyValue.PyStr x -> "string";
      case PyValue.PyNone x -> "null";
      case PyValue.PyBool x -> "bool";
      case null -> "nothing";
      default -> "number";
    };
  }
}
