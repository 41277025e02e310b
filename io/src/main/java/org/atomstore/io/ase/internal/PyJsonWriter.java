package org.atomstore.io.ase.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.Map;
import org.atomstore.io.ase.PyValue;

/**
 * Writes ASE values in the typed JSON layout of the corpus' {@code FILE.expected.json} files:
 * {@code {"type": "int"|"float"|"bool"|"str"|"null"|"complex"|"list"|"dict"|"ndarray", "value": ...}}, ndarrays
 * with {@code dtype} and {@code shape}, floats as Python's {@code repr} and non-finite ones as the strings
 * {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}. Stateless.
 */
public final class PyJsonWriter {

  private PyJsonWriter() {}

  public static void writeFloat(JsonGenerator g, double d) throws IOException {
    if (Double.isNaN(d)) g.writeString("NaN");
    else if (Double.isInfinite(d)) g.writeString(d > 0 ? "Infinity" : "-Infinity");
    else g.writeNumber(PyText.repr(d));
  }

  public static void writeTyped(JsonGenerator g, PyValue v) throws IOException {
    g.writeStartObject();
    switch (v) {
      case PyValue.PyInt i -> { g.writeStringField("type", "int"); g.writeNumberField("value", i.value()); }
      case PyValue.PyFloat f -> { g.writeStringField("type", "float"); g.writeFieldName("value"); writeFloat(g, f.value()); }
      case PyValue.PyBool b -> { g.writeStringField("type", "bool"); g.writeBooleanField("value", b.value()); }
      case PyValue.PyStr s -> { g.writeStringField("type", "str"); g.writeStringField("value", s.value()); }
      case PyValue.PyNone n -> { g.writeStringField("type", "null"); g.writeNullField("value"); }
      case PyValue.PyComplex c -> {
        g.writeStringField("type", "complex");
        g.writeFieldName("value");
        g.writeStartArray();
        writeFloat(g, c.re());
        writeFloat(g, c.im());
        g.writeEndArray();
      }
      case PyValue.PyList l -> {
        g.writeStringField("type", "list");
        g.writeFieldName("value");
        g.writeStartArray();
        for (PyValue x : l.items()) writeTyped(g, x);
        g.writeEndArray();
      }
      case PyValue.PyDict d -> {
        g.writeStringField("type", "dict");
        g.writeFieldName("value");
        writeTypedMap(g, d.entries());
      }
      case PyValue.NdArray a -> {
        g.writeStringField("type", "ndarray");
        g.writeStringField("dtype", a.dtype());
        g.writeFieldName("shape");
        g.writeStartArray();
        for (int s : a.shape()) g.writeNumber(s);
        g.writeEndArray();
        g.writeFieldName("value");
        writeNested(g, a, 0, 0);
      }
    }
    g.writeEndObject();
  }

  public static void writeTypedMap(JsonGenerator g, Map<String, ? extends PyValue> m) throws IOException {
    g.writeStartObject();
    for (var e : m.entrySet()) {
      g.writeFieldName(e.getKey());
      writeTyped(g, e.getValue());
    }
    g.writeEndObject();
  }

  /** An ndarray's elements as plain nested JSON lists. */
  public static void writeNested(JsonGenerator g, PyValue.NdArray a, int dim, int offset) throws IOException {
    int[] shape = a.shape();
    if (dim == shape.length) {
      writeElement(g, a, offset);
      return;
    }
    int stride = 1;
    for (int k = dim + 1; k < shape.length; k++) stride *= shape[k];
    g.writeStartArray();
    for (int i = 0; i < shape[dim]; i++) writeNested(g, a, dim + 1, offset + i * stride);
    g.writeEndArray();
  }

  private static void writeElement(JsonGenerator g, PyValue.NdArray a, int i) throws IOException {
    switch (a.data()) {
      case long[] l -> g.writeNumber(l[i]);
      case boolean[] b -> g.writeBoolean(b[i]);
      case String[] s -> g.writeString(s[i]);
      case double[] d when a.kind() == 'c' -> {
        g.writeStartArray();
        writeFloat(g, d[2 * i]);
        writeFloat(g, d[2 * i + 1]);
        g.writeEndArray();
      }
      case double[] d -> writeFloat(g, d[i]);
      default -> throw new IllegalStateException("unknown array storage " + a.data().getClass());
    }
  }
}
