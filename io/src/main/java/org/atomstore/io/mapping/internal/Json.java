package org.atomstore.io.mapping.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import org.atomstore.io.ase.internal.PyJsonWriter;
import org.atomstore.io.ase.PyValue;

/** Plain JSON text of an ASE value ({@code json.dumps} of its Python form, arrays as nested lists). */
public final class Json {
  private static final JsonFactory FACTORY = new JsonFactory();

  private Json() {}

  public static String plain(PyValue v) {
    var sw = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(sw)) {
      write(g, v);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sw.toString();
  }

  private static void write(JsonGenerator g, PyValue v) throws IOException {
    switch (v) {
      case PyValue.PyList l -> {
        g.writeStartArray();
        for (PyValue x : l.items()) write(g, x);
        g.writeEndArray();
      }
      case PyValue.PyDict d -> {
        g.writeStartObject();
        for (var e : d.entries().entrySet()) {
          g.writeFieldName(e.getKey());
          write(g, e.getValue());
        }
        g.writeEndObject();
      }
      case PyValue.NdArray a -> PyJsonWriter.writeNested(g, a, 0, 0);
      case PyValue.PyInt i -> g.writeNumber(i.value());
      case PyValue.PyFloat f -> {
        double d = f.value();
        if (Double.isNaN(d)) g.writeRawValue("NaN");
        else if (Double.isInfinite(d)) g.writeRawValue(d > 0 ? "Infinity" : "-Infinity");
        else g.writeNumber(org.atomstore.io.ase.internal.PyText.repr(d));
      }
      case PyValue.PyBool b -> g.writeBoolean(b.value());
      case PyValue.PyStr s -> g.writeString(s.value());
      case PyValue.PyNone none -> g.writeNull();
      case PyValue.PyComplex c -> {
        g.writeStartArray();
        g.writeNumber(c.re());
        g.writeNumber(c.im());
        g.writeEndArray();
      }
    }
  }
}
