package org.atomstore.data.lmdb;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.atomstore.data.Complex;
import org.atomstore.data.NumpyScalar;
import org.atomstore.data.internal.PyFloats;
import org.atomstore.model.NdArray;

/**
 * Object-tier values as TYPED JSON of the corpus (shared/testdata/README.md) with the asebytes additions
 * (shared/compat/asebytes/README.md): NumPy scalars carry {@code dtype}, bin values are {@code bytes} (base64),
 * big-endian arrays carry {@code "byteorder": "big"}; floats exact (Python's repr), non-finite as strings.
 * The same rules as the peers' {@code peerjson.typed}. Stateless.
 */
final class TypedJson {
  private TypedJson() {}

  static void writeFloat(JsonGenerator g, double d) throws IOException {
    if (Double.isNaN(d)) g.writeString("NaN");
    else if (Double.isInfinite(d)) g.writeString(d > 0 ? "Infinity" : "-Infinity");
    else g.writeNumber(PyFloats.repr(d));
  }

  static void writeTyped(JsonGenerator g, Object v) throws IOException {
    g.writeStartObject();
    switch (v) {
      case null -> { g.writeStringField("type", "null"); g.writeNullField("value"); }
      case Boolean b -> { g.writeStringField("type", "bool"); g.writeBooleanField("value", b); }
      case Long l -> { g.writeStringField("type", "int"); g.writeNumberField("value", l); }
      case BigInteger b -> { g.writeStringField("type", "int"); g.writeFieldName("value"); g.writeNumber(b); }
      case Double d -> { g.writeStringField("type", "float"); g.writeFieldName("value"); writeFloat(g, d); }
      case String s -> { g.writeStringField("type", "str"); g.writeStringField("value", s); }
      case byte[] b -> { g.writeStringField("type", "bytes"); g.writeStringField("value", Base64.getEncoder().encodeToString(b)); }
      case Complex c -> { g.writeStringField("type", "complex"); g.writeFieldName("value"); pair(g, c.re(), c.im()); }
      case List<?> l -> {
        g.writeStringField("type", "list");
        g.writeFieldName("value");
        g.writeStartArray();
        for (Object x : l) writeTyped(g, x);
        g.writeEndArray();
      }
      case Map<?, ?> m -> {
        g.writeStringField("type", "dict");
        g.writeFieldName("value");
        g.writeStartObject();
        for (var e : m.entrySet()) {
          g.writeFieldName((String) e.getKey());
          writeTyped(g, e.getValue());
        }
        g.writeEndObject();
      }
      case NumpyScalar s -> scalar(g, s);
      case NdArray a -> {
        g.writeStringField("type", "ndarray");
        g.writeStringField("dtype", dtypeName(a.dtype()));
        g.writeFieldName("shape");
        g.writeStartArray();
        for (long d : a.shape()) g.writeNumber(d);
        g.writeEndArray();
        if (a.dtype().charAt(0) == '>' && a.itemSize() > 1) g.writeStringField("byteorder", "big");
        g.writeFieldName("value");
        writeNested(g, a);
      }
      default -> { g.writeStringField("type", "other"); g.writeStringField("value", String.valueOf(v)); }
    }
    g.writeEndObject();
  }

  private static void scalar(JsonGenerator g, NumpyScalar s) throws IOException {
    NdArray a = s.asArray();
    char kind = a.kind();
    String type = switch (kind) {
      case 'b' -> "bool";
      case 'i', 'u' -> "int";
      case 'f' -> "float";
      case 'c' -> "complex";
      case 'U' -> "str";
      default -> null;
    };
    if (type == null) {
      g.writeStringField("type", "other");
      g.writeStringField("value", s.toString());
      return;
    }
    g.writeStringField("type", type);
    g.writeFieldName("value");
    writeElement(g, a, ByteBuffer.wrap(a.data()).order(a.order()), 0);
    g.writeStringField("dtype", dtypeName(s.dtype()));
  }

  private static void pair(JsonGenerator g, double re, double im) throws IOException {
    g.writeStartArray();
    writeFloat(g, re);
    writeFloat(g, im);
    g.writeEndArray();
  }

  /** NumPy's {@code dtype.name} for a {@code dtype.str}, {@code "str"} for unicode (as peerjson.dtype_name). */
  static String dtypeName(String dtype) {
    char kind = NdArray.kind(dtype);
    int size = NdArray.itemSize(dtype);
    return switch (kind) {
      case 'b' -> "bool";
      case 'i' -> "int" + size * 8;
      case 'u' -> "uint" + size * 8;
      case 'f' -> "float" + size * 8;
      case 'c' -> "complex" + size * 8;
      case 'U' -> "str";
      case 'S' -> "bytes";
      case 'O' -> "object";
      case 'V' -> "void" + size * 8;
      default -> dtype;
    };
  }

  /** An array's elements as plain nested JSON (NumPy's {@code tolist()}). */
  static void writeNested(JsonGenerator g, NdArray a) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(a.data()).order(a.order());
    nested(g, a, buf, 0, 0);
  }

  private static long nested(JsonGenerator g, NdArray a, ByteBuffer buf, int dim, long element) throws IOException {
    long[] shape = a.shape();
    if (dim == shape.length) {
      writeElement(g, a, buf, element);
      return element + 1;
    }
    g.writeStartArray();
    long e = element;
    if (shape[dim] > 0) {
      for (long i = 0; i < shape[dim]; i++) e = nested(g, a, buf, dim + 1, e);
    }
    g.writeEndArray();
    // An empty dimension still consumes no elements; the caller's count continues from e.
    return e;
  }

  private static void writeElement(JsonGenerator g, NdArray a, ByteBuffer buf, long element) throws IOException {
    int size = a.itemSize();
    int at = (int) (element * size);
    switch (a.kind()) {
      case 'b' -> g.writeBoolean(buf.get(at) != 0);
      case 'i' -> g.writeNumber(switch (size) {
        case 1 -> buf.get(at);
        case 2 -> buf.getShort(at);
        case 4 -> buf.getInt(at);
        default -> buf.getLong(at);
      });
      case 'u' -> {
        switch (size) {
          case 1 -> g.writeNumber(Byte.toUnsignedInt(buf.get(at)));
          case 2 -> g.writeNumber(Short.toUnsignedInt(buf.getShort(at)));
          case 4 -> g.writeNumber(Integer.toUnsignedLong(buf.getInt(at)));
          default -> g.writeNumber(new BigInteger(Long.toUnsignedString(buf.getLong(at))));
        }
      }
      case 'f' -> writeFloat(g, floatAt(buf, at, size));
      case 'c' -> pair(g, floatAt(buf, at, size / 2), floatAt(buf, at + size / 2, size / 2));
      case 'U' -> {
        // UTF-32 code units, trailing NULs stripped (NumPy's str of an element)
        int n = size / 4;
        while (n > 0 && buf.getInt(at + (n - 1) * 4) == 0) n--;
        var sb = new StringBuilder(n);
        for (int k = 0; k < n; k++) sb.appendCodePoint(buf.getInt(at + k * 4));
        g.writeString(sb.toString());
      }
      case 'S' -> {
        int n = size;
        while (n > 0 && buf.get(at + n - 1) == 0) n--;
        byte[] b = new byte[n];
        buf.get(at, b);
        g.writeString(Base64.getEncoder().encodeToString(b));
      }
      default -> g.writeString(new String(a.data(), at, size, StandardCharsets.ISO_8859_1));
    }
  }

  static double floatAt(ByteBuffer buf, int at, int size) {
    return switch (size) {
      case 2 -> Float.float16ToFloat(buf.getShort(at));
      case 4 -> buf.getFloat(at);
      case 8 -> buf.getDouble(at);
      default -> throw new IllegalArgumentException("float of " + size + " bytes");
    };
  }

  /** Elements of a numeric array as doubles, for positions, cell and forces. */
  static double[] doubles(NdArray a) {
    ByteBuffer buf = ByteBuffer.wrap(a.data()).order(a.order());
    int n = (int) a.length();
    int size = a.itemSize();
    double[] out = new double[n];
    for (int k = 0; k < n; k++) {
      int at = k * size;
      out[k] = switch (a.kind()) {
        case 'f' -> floatAt(buf, at, size);
        case 'b' -> buf.get(at) != 0 ? 1 : 0;
        case 'i', 'u' -> longAt(buf, at, size, a.kind() == 'u');
        default -> throw new IllegalArgumentException("not a real array: " + a.dtype());
      };
    }
    return out;
  }

  static long longAt(ByteBuffer buf, int at, int size, boolean unsigned) {
    return switch (size) {
      case 1 -> unsigned ? Byte.toUnsignedLong(buf.get(at)) : buf.get(at);
      case 2 -> unsigned ? Short.toUnsignedLong(buf.getShort(at)) : buf.getShort(at);
      case 4 -> unsigned ? Integer.toUnsignedLong(buf.getInt(at)) : buf.getInt(at);
      default -> buf.getLong(at);
    };
  }

  static ByteOrder le() { return ByteOrder.LITTLE_ENDIAN; }
}
