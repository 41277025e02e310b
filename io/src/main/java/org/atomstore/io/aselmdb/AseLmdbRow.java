package org.atomstore.io.aselmdb;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.Map;
import org.atomstore.io.AseDump;
import org.atomstore.io.ase.ChemicalSymbols;
import org.atomstore.io.ase.PyValue;
import org.atomstore.io.ase.internal.PyJsonWriter;
import org.atomstore.io.aselmdb.internal.RowDecoder;
import org.atomstore.io.aselmdb.internal.ZlibJson;
import org.atomstore.io.asedb.AseRow;

/**
 * One row of an {@code .aselmdb} file: its id, the dict fairchem stored (lists of numbers held as arrays, see
 * {@link #stored()}), and the same row as ASE's {@code AtomsRow} makes of it ({@link #row()}, the model of the
 * ASE {@code .db} reader, so {@code row().toAtoms()} is {@code row.toatoms()} and
 * {@link org.atomstore.io.mapping.AseMapping#toMolecule(AseRow, org.atomstore.io.mapping.AseMapping.Precision)}
 * maps it). {@code row().data()} holds the data dict with its lists of numbers as arrays (as ASE's own JSON
 * backend reads them); fairchem's reader holds lists there, which {@link #writeJson} prints. A plain value.
 */
public record AseLmdbRow(long id, PyValue.PyDict stored, AseRow row) {

  /** This row in the {@code rows} layout of the shared {@code FILE.aselmdb.expected.json} files. */
  public void writeJson(JsonGenerator g) throws IOException {
    Map<String, PyValue> d = stored.entries();
    g.writeStartObject();
    g.writeNumberField("id", id);
    writeString(g, "unique_id", d.get("unique_id"));
    g.writeFieldName("ctime");
    writeTime(g, d.get("ctime"));
    g.writeFieldName("mtime");
    writeTime(g, d.get("mtime"));
    writeString(g, "user", d.get("user"));
    g.writeNumberField("natoms", row.natoms());
    g.writeFieldName("symbols");
    g.writeStartArray();
    for (long z : row.numbers()) g.writeString(ChemicalSymbols.symbol((int) z));
    g.writeEndArray();
    g.writeFieldName("numbers");
    g.writeStartArray();
    for (long z : row.numbers()) g.writeNumber(z);
    g.writeEndArray();
    g.writeFieldName("positions");
    writePlain(g, ZlibJson.unpack(d.get("positions")));
    g.writeFieldName("cell");
    if (d.containsKey("cell")) writePlain(g, ZlibJson.unpack(d.get("cell")));
    else PyJsonWriter.writeNested(g, PyValue.NdArray.float64(new int[] {3, 3}, new double[9]), 0, 0);
    g.writeFieldName("pbc");
    g.writeStartArray();
    for (boolean b : row.pbc()) g.writeBoolean(b);
    g.writeEndArray();
    g.writeFieldName("arrays");
    g.writeStartObject();
    for (String k : RowDecoder.ARRAY_FIELDS) typedField(g, k, d.get(k));
    g.writeEndObject();
    g.writeFieldName("constraints");
    g.writeStartArray();
    for (PyValue c : row.constraints()) PyJsonWriter.writeTyped(g, c);
    g.writeEndArray();
    writeString(g, "calculator", d.get("calculator"));
    g.writeFieldName("calculator_parameters");
    if (d.containsKey("calculator_parameters")) PyJsonWriter.writeTyped(g, ZlibJson.unpack(d.get("calculator_parameters")));
    else g.writeNull();
    g.writeFieldName("results");
    g.writeStartObject();
    for (String p : RowDecoder.ALL_PROPERTIES) typedField(g, p, d.get(p));
    g.writeEndObject();
    g.writeFieldName("key_value_pairs");
    PyJsonWriter.writeTypedMap(g, row.keyValuePairs());
    g.writeFieldName("data");
    PyJsonWriter.writeTyped(g, ZlibJson.unpack(d.getOrDefault("data", new PyValue.PyDict(Map.of()))));
    g.writeFieldName("toatoms");
    AseDump.writeFrame(g, row.toAtoms());
    g.writeEndObject();
  }

  private static void typedField(JsonGenerator g, String key, PyValue v) throws IOException {
    if (v == null) return;
    g.writeFieldName(key);
    PyJsonWriter.writeTyped(g, ZlibJson.unpack(v));
  }

  private static void writeString(JsonGenerator g, String field, PyValue v) throws IOException {
    if (v instanceof PyValue.PyStr s) g.writeStringField(field, s.value());
    else if (v == null || v instanceof PyValue.PyNone) g.writeNullField(field);
    else {
      g.writeFieldName(field);
      writePlain(g, ZlibJson.unpack(v));
    }
  }

  private static void writeTime(JsonGenerator g, PyValue v) throws IOException {
    switch (v) {
      case PyValue.PyFloat f -> PyJsonWriter.writeFloat(g, f.value());
      case PyValue.PyInt i -> PyJsonWriter.writeFloat(g, i.value());
      case null, default -> g.writeNull();
    }
  }

  /** Plain nested JSON of a value fairchem's reader holds: floats exact, None as null. */
  private static void writePlain(JsonGenerator g, PyValue v) throws IOException {
    switch (v) {
      case PyValue.PyList l -> {
        g.writeStartArray();
        for (PyValue x : l.items()) writePlain(g, x);
        g.writeEndArray();
      }
      case PyValue.PyFloat f -> PyJsonWriter.writeFloat(g, f.value());
      case PyValue.PyInt i -> g.writeNumber(i.value());
      case PyValue.PyBool b -> g.writeBoolean(b.value());
      case PyValue.PyStr s -> g.writeString(s.value());
      case null -> g.writeNull();
      case PyValue.PyNone n -> g.writeNull();
      default -> PyJsonWriter.writeTyped(g, v);
    }
  }
}
