package org.atomstore.data.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.atomstore.data.AtomsRows;
import org.atomstore.data.Complex;
import org.atomstore.data.NumpyScalar;
import org.atomstore.io.ase.AseAtoms;
import org.atomstore.io.ase.PyValue;
import org.atomstore.model.NdArray;

/** asebytes' row layout ({@code atoms_to_dict}): cell, pbc, constraints, arrays.*, info.*, calc.*. Stateless. */
public final class AseRowCodec implements AtomsRows {
  public static final AseRowCodec INSTANCE = new AseRowCodec();

  private AseRowCodec() {}

  @Override
  public AseAtoms toAtoms(Map<String, Object> row) throws IOException {
    Object z = row.get("arrays.numbers");
    if (!(z instanceof NdArray numbers)) throw new IOException("row has no arrays.numbers array: not a structure (keys " + row.keySet() + ")");
    long[] nums = NdArrays.toLongs(numbers);
    double[] pos = row.get("arrays.positions") instanceof NdArray p ? NdArrays.toDoubles(p) : new double[3 * nums.length];
    if (pos.length != 3 * nums.length) throw new IOException("arrays.positions holds " + pos.length + " values for " + nums.length + " atoms");
    double[] cell = row.get("cell") instanceof NdArray c ? NdArrays.toDoubles(c) : new double[9];
    if (cell.length != 9) throw new IOException("cell holds " + cell.length + " values, not 9");
    boolean[] pbc = row.get("pbc") instanceof NdArray b ? NdArrays.toBools(b) : new boolean[3];
    if (pbc.length != 3) throw new IOException("pbc holds " + pbc.length + " values, not 3");
    var info = new LinkedHashMap<String, PyValue>();
    var arrays = new LinkedHashMap<String, PyValue.NdArray>();
    LinkedHashMap<String, PyValue> calc = null;
    List<PyValue> constraints = List.of();
    for (var e : row.entrySet()) {
      String k = e.getKey();
      try {
        if (k.startsWith("info.")) info.put(k.substring(5), py(e.getValue()));
        else if (k.startsWith("calc.")) {
          if (calc == null) calc = new LinkedHashMap<>();
          calc.put(k.substring(5), py(e.getValue()));
        } else if (k.startsWith("arrays.") && !k.equals("arrays.numbers") && !k.equals("arrays.positions")) {
          if (!(e.getValue() instanceof NdArray a)) throw new IllegalArgumentException("not an array");
          arrays.put(k.substring(7), NdArrays.toPy(a));
        } else if (k.equals("constraints") && e.getValue() instanceof List<?> l) {
          List<PyValue> cs = new ArrayList<>();
          for (Object o : l) cs.add(py(o));
          constraints = cs;
        }
      } catch (IllegalArgumentException ex) {
        throw new IOException("row key '" + k + "': " + ex.getMessage(), ex);
      }
    }
    return new AseAtoms(nums, pos, cell, pbc, info, arrays, calc, constraints, 0);
  }

  @Override
  public Map<String, Object> toRow(AseAtoms a) {
    Map<String, Object> row = new TreeMap<>();
    row.put("cell", NdArrays.ofDoubles(new long[] {3, 3}, a.cell()));
    row.put("pbc", NdArrays.ofBools(new long[] {3}, a.pbc()));
    long n = a.natoms();
    row.put("arrays.numbers", NdArrays.ofLongs(new long[] {n}, a.numbers()));
    row.put("arrays.positions", NdArrays.ofDoubles(new long[] {n, 3}, a.positions()));
    a.arrays().forEach((k, v) -> row.put("arrays." + k, NdArrays.fromPy(v)));
    a.info().forEach((k, v) -> row.put("info." + k, object(v)));
    a.results().forEach((k, v) -> row.put("calc." + k, object(v)));
    if (!a.constraints().isEmpty()) row.put("constraints", a.constraints().stream().map(AseRowCodec::object).toList());
    return new LinkedHashMap<>(row);
  }

  /** An object-tier value as ASE holds it. */
  public static PyValue py(Object o) {
    return switch (o) {
      case null -> PyValue.PyNone.INSTANCE;
      case Boolean b -> new PyValue.PyBool(b);
      case Long l -> new PyValue.PyInt(l);
      case Integer i -> new PyValue.PyInt(i);
      case BigInteger b -> new PyValue.PyInt(b.longValue());
      case Double d -> new PyValue.PyFloat(d);
      case String s -> new PyValue.PyStr(s);
      case Complex c -> new PyValue.PyComplex(c.re(), c.im());
      case NdArray a -> NdArrays.toPy(a);
      case NumpyScalar s -> scalar(s);
      case List<?> l -> new PyValue.PyList(l.stream().map(AseRowCodec::py).toList());
      case Map<?, ?> m -> {
        var out = new LinkedHashMap<String, PyValue>();
        m.forEach((k, v) -> out.put(String.valueOf(k), py(v)));
        yield new PyValue.PyDict(out);
      }
      default -> throw new IllegalArgumentException("no ASE value for " + o.getClass().getSimpleName());
    };
  }

  private static PyValue scalar(NumpyScalar s) {
    NdArray a = s.asArray();
    return switch (a.kind()) {
      case 'f' -> new PyValue.PyFloat(NdArrays.toDoubles(a)[0]);
      case 'i', 'u' -> new PyValue.PyInt(NdArrays.toLongs(a)[0]);
      case 'b' -> new PyValue.PyBool(a.data()[0] != 0);
      default -> throw new IllegalArgumentException("no ASE value for a " + s.dtype() + " scalar");
    };
  }

  /** An ASE value as the object tier holds it. */
  public static Object object(PyValue v) {
    return switch (v) {
      case PyValue.PyNone x -> null;
      case PyValue.PyBool b -> b.value();
      case PyValue.PyInt i -> i.value();
      case PyValue.PyFloat f -> f.value();
      case PyValue.PyStr s -> s.value();
      case PyValue.PyComplex c -> new Complex(c.re(), c.im());
      case PyValue.NdArray a -> NdArrays.fromPy(a);
      case PyValue.PyList l -> l.items().stream().map(AseRowCodec::object).toList();
      case PyValue.PyDict d -> {
        var out = new LinkedHashMap<String, Object>();
        d.entries().forEach((k, x) -> out.put(k, object(x)));
        yield out;
      }
    };
  }
}
