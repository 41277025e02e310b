package org.atomstore.io.asedb;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.atomstore.io.AseDump;
import org.atomstore.io.ase.AseAtoms;
import org.atomstore.io.ase.ChemicalSymbols;
import org.atomstore.io.ase.internal.PyJsonWriter;
import org.atomstore.io.ase.PyValue;
import org.atomstore.io.ase.PyValue.NdArray;

/**
 * One row of an ASE database as {@code ase.db} decodes it. {@link #arrays()} and {@link #results()} keep the
 * column order of the {@code systems} table; {@link #toAtoms()} builds what {@code row.toatoms()} gives.
 */
public record AseRow(
    long id,
    String uniqueId,
    double ctime,
    double mtime,
    String user,
    long[] numbers,
    double[] positions,
    double[] cell,
    boolean[] pbc,
    LinkedHashMap<String, NdArray> arrays,
    List<PyValue> constraints,
    String calculator,
    PyValue calculatorParameters,
    LinkedHashMap<String, PyValue> results,
    LinkedHashMap<String, PyValue> keyValuePairs,
    PyValue data,
    LinkedHashMap<String, PyValue> derived) {

  /** ASE's {@code all_properties} order, used for the calculator attached by {@code toatoms()}. */
  private static final List<String> ALL_PROPERTIES = List.of("energy", "forces", "stress", "stresses", "dipole",
      "charges", "magmom", "magmoms", "free_energy", "energies");

  public int natoms() { return numbers.length; }

  /** {@code row.toatoms()}: the Atoms with a SinglePointCalculator holding the stored results. */
  public AseAtoms toAtoms() {
    var out = new LinkedHashMap<String, NdArray>();
    for (String k : List.of("tags", "masses", "initial_magmoms", "initial_charges", "momenta")) {
      NdArray a = arrays.get(k);
      if (a == null) continue;
      if (k.equals("tags")) out.put(k, NdArray.int64(a.shape(), a.longs().clone()));
      else out.put(k, a);
    }
    LinkedHashMap<String, PyValue> calc = null;
    for (String p : ALL_PROPERTIES) {
      PyValue v = results.get(p);
      if (v == null) continue;
      if (calc == null) calc = new LinkedHashMap<>();
      // SinglePointCalculator skips a None result but is attached all the same (an .aselmdb stores NaN as None)
      if (!(v instanceof PyValue.PyNone)) calc.put(p, v);
    }
    return new AseAtoms(numbers, positions, cell, pbc, new LinkedHashMap<>(), out, calc, constraints, id);
  }

  /** This row in the layout of the corpus' expected JSON for databases. */
  public void writeJson(JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeNumberField("id", id);
    g.writeStringField("unique_id", uniqueId);
    g.writeFieldName("ctime");
    PyJsonWriter.writeFloat(g, ctime);
    g.writeFieldName("mtime");
    PyJsonWriter.writeFloat(g, mtime);
    g.writeStringField("user", user);
    g.writeNumberField("natoms", natoms());
    g.writeFieldName("symbols");
    g.writeStartArray();
    for (long z : numbers) g.writeString(ChemicalSymbols.symbol((int) z));
    g.writeEndArray();
    g.writeFieldName("numbers");
    g.writeStartArray();
    for (long z : numbers) g.writeNumber(z);
    g.writeEndArray();
    g.writeFieldName("positions");
    PyJsonWriter.writeNested(g, NdArray.float64(new int[] {natoms(), 3}, positions), 0, 0);
    g.writeFieldName("cell");
    PyJsonWriter.writeNested(g, NdArray.float64(new int[] {3, 3}, cell), 0, 0);
    g.writeFieldName("pbc");
    g.writeStartArray();
    for (boolean b : pbc) g.writeBoolean(b);
    g.writeEndArray();
    g.writeFieldName("arrays");
    PyJsonWriter.writeTypedMap(g, arrays);
    g.writeFieldName("constraints");
    g.writeStartArray();
    for (PyValue c : constraints) PyJsonWriter.writeTyped(g, c);
    g.writeEndArray();
    if (calculator == null) g.writeNullField("calculator");
    else g.writeStringField("calculator", calculator);
    g.writeFieldName("calculator_parameters");
    if (calculatorParameters == null) g.writeNull();
    else PyJsonWriter.writeTyped(g, calculatorParameters);
    g.writeFieldName("results");
    PyJsonWriter.writeTypedMap(g, results);
    g.writeFieldName("key_value_pairs");
    PyJsonWriter.writeTypedMap(g, keyValuePairs);
    g.writeFieldName("data");
    PyJsonWriter.writeTyped(g, data);
    g.writeFieldName("derived");
    PyJsonWriter.writeTypedMap(g, derived);
    g.writeFieldName("toatoms");
    AseDump.writeFrame(g, toAtoms());
    g.writeEndObject();
  }

  static List<PyValue> constraintList(PyValue decoded) {
    var out = new ArrayList<PyValue>();
    if (!(decoded instanceof PyValue.PyList l)) return out;
    for (PyValue c : l.items()) {
      if (!(c instanceof PyValue.PyDict d)) continue;
      var m = new LinkedHashMap<>(d.entries());
      PyValue name = m.remove("__name__");
      PyValue.PyDict dict;
      if (name != null) {
        var nd = new LinkedHashMap<String, PyValue>();
        nd.put("name", name);
        nd.put("kwargs", new PyValue.PyDict(m));
        dict = new PyValue.PyDict(nd);
      } else {
        dict = new PyValue.PyDict(m);
      }
      var e = new LinkedHashMap<>(dict.entries());
      if (e.get("name") instanceof PyValue.PyStr s && s.value().startsWith("ase")) {
        e.put("name", new PyValue.PyStr(s.value().substring(s.value().lastIndexOf('.') + 1)));
      }
      // todict() gives indices back as a plain list
      if (e.get("kwargs") instanceof PyValue.PyDict kw && kw.entries().get("indices") instanceof NdArray idx
          && idx.data() instanceof long[] li) {
        var kwm = new LinkedHashMap<>(kw.entries());
        var items = new ArrayList<PyValue>();
        for (long x : li) items.add(new PyValue.PyInt(x));
        kwm.put("indices", new PyValue.PyList(items));
        e.put("kwargs", new PyValue.PyDict(kwm));
      }
      out.add(new PyValue.PyDict(e));
    }
    return out;
  }
}
