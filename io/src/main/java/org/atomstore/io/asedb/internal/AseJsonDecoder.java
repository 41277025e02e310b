package org.atomstore.io.asedb.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.atomstore.io.ase.internal.PyJson;
import org.atomstore.io.ase.PyValue;
import org.atomstore.io.ase.PyValue.NdArray;

/**
 * ASE's JSON conventions in database columns: {@code ase.io.jsonio.decode} for text columns ({@code __ndarray__}
 * as {@code [shape, dtype, flat values]}, {@code __complex__}, then lists turned into NumPy arrays where NumPy
 * gives a bool/int/float dtype) and {@code bytes_to_object} for the binary {@code data} column
 * ({@code offset:i64le, raw array bytes..., json at offset} with {@code __ndarray__} as {@code [shape, dtype,
 * byte offset]}). Stateless.
 */
public final class AseJsonDecoder {

  private AseJsonDecoder() {}

  /** {@code ase.io.jsonio.decode(text)}. */
  public static PyValue decodeText(String text) {
    return numpyfy(hooks(PyJson.parse(text), null));
  }

  /** {@code ase.db.core.bytes_to_object(blob)}. */
  public static PyValue decodeBytes(byte[] blob) {
    if (blob.length < 8) throw new IllegalArgumentException("data blob of " + blob.length + " bytes has no offset");
    long offset = ByteBuffer.wrap(blob, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (offset < 8 || offset > blob.length) {
      throw new IllegalArgumentException("data blob JSON offset " + offset + " outside blob of " + blob.length + " bytes");
    }
    String json = new String(blob, (int) offset, blob.length - (int) offset, StandardCharsets.UTF_8);
    return hooks(PyJson.parse(json), blob);
  }

  // Applies __ndarray__/__complex__ decoding bottom-up (json object_hook, or b2o when blob != null).
  private static PyValue hooks(PyValue v, byte[] blob) {
    return switch (v) {
      case PyValue.PyList l -> {
        var out = new ArrayList<PyValue>(l.items().size());
        for (PyValue x : l.items()) out.add(hooks(x, blob));
        yield new PyValue.PyList(out);
      }
      case PyValue.PyDict d -> {
        Map<String, PyValue> m = d.entries();
        if (m.containsKey("__complex__")) {
          var parts = ((PyValue.PyList) m.get("__complex__")).items();
          yield new PyValue.PyComplex(num(parts.get(0)), num(parts.get(1)));
        }
        if (m.containsKey("__ndarray__")) {
          var parts = ((PyValue.PyList) m.get("__ndarray__")).items();
          yield blob == null ? textArray(parts) : blobArray(parts, blob);
        }
        var out = new LinkedHashMap<String, PyValue>();
        for (var e : m.entrySet()) out.put(e.getKey(), hooks(e.getValue(), blob));
        yield new PyValue.PyDict(out);
      }
      default -> v;
    };
  }

  private static double num(PyValue v) {
    return switch (v) {
      case PyValue.PyInt i -> i.value();
      case PyValue.PyFloat f -> f.value();
      default -> throw new IllegalArgumentException("expected a number, found " + v);
    };
  }

  private static int[] shape(PyValue v) {
    List<PyValue> dims = v instanceof PyValue.PyList l ? l.items() : List.of(v);
    int[] s = new int[dims.size()];
    long total = 1;
    for (int i = 0; i < s.length; i++) {
      long d = (long) num(dims.get(i));
      if (d < 0 || d > Integer.MAX_VALUE) throw new IllegalArgumentException("bad array dimension " + d);
      s[i] = (int) d;
      total *= d;
      if (total > Integer.MAX_VALUE) throw new IllegalArgumentException("array too large: " + total + " elements");
    }
    return s;
  }

  private static int size(int[] shape) {
    int n = 1;
    for (int d : shape) n *= d;
    return n;
  }

  private static NdArray textArray(List<PyValue> parts) {
    int[] shape = shape(parts.get(0));
    String dtype = ((PyValue.PyStr) parts.get(1)).value();
    List<PyValue> flat = ((PyValue.PyList) parts.get(2)).items();
    int n = size(shape);
    boolean complex = dtype.startsWith("complex");
    if (flat.size() != (complex ? 2 * n : n)) {
      throw new IllegalArgumentException("__ndarray__ of shape " + java.util.Arrays.toString(shape) + " has "
          + flat.size() + " values");
    }
    String name = canonical(dtype);
    char kind = new NdArray(name, shape, null).kind();
    return switch (kind) {
      case 'f', 'c' -> {
        double[] d = new double[flat.size()];
        for (int i = 0; i < d.length; i++) d[i] = num(flat.get(i));
        yield new NdArray(name, shape, d);
      }
      case 'i', 'u' -> {
        long[] l = new long[n];
        for (int i = 0; i < n; i++) l[i] = (long) num(flat.get(i));
        yield new NdArray(name, shape, l);
      }
      case 'b' -> {
        boolean[] b = new boolean[n];
        for (int i = 0; i < n; i++) b[i] = flat.get(i) instanceof PyValue.PyBool x ? x.value() : num(flat.get(i)) != 0;
        yield new NdArray(name, shape, b);
      }
      default -> {
        String[] s = new String[n];
        for (int i = 0; i < n; i++) s[i] = flat.get(i) instanceof PyValue.PyStr x ? x.value() : String.valueOf(flat.get(i));
        yield new NdArray("str", shape, s);
      }
    };
  }

  private static String canonical(String dtype) {
    return switch (dtype) {
      case "float", "f8", "<f8", "d" -> "float64";
      case "int", "i8", "<i8", "l" -> "int64";
      case "i4", "<i4" -> "int32";
      case "f4", "<f4" -> "float32";
      case "bool_", "?" -> "bool";
      case "complex", "c16", "<c16" -> "complex128";
      default -> dtype;
    };
  }

  private static NdArray blobArray(List<PyValue> parts, byte[] blob) {
    int[] shape = shape(parts.get(0));
    String dtype = canonical(((PyValue.PyStr) parts.get(1)).value());
    long offset = (long) num(parts.get(2));
    int n = size(shape);
    int item = switch (dtype) {
      case "float64", "int64", "uint64", "complex64" -> 8;
      case "float32", "int32", "uint32" -> 4;
      case "float16", "int16", "uint16" -> 2;
      case "int8", "uint8", "bool" -> 1;
      case "complex128" -> 16;
      default -> throw new IllegalArgumentException("unsupported dtype " + dtype + " in data blob");
    };
    long bytes = (long) n * item;
    if (offset < 8 || offset + bytes > blob.length) {
      throw new IllegalArgumentException("__ndarray__ bytes [" + offset + ", " + (offset + bytes)
          + ") outside data blob of " + blob.length + " bytes");
    }
    var bb = ByteBuffer.wrap(blob, (int) offset, (int) bytes).order(ByteOrder.LITTLE_ENDIAN);
    return switch (dtype) {
      case "float64" -> { double[] d = new double[n]; bb.asDoubleBuffer().get(d); yield new NdArray(dtype, shape, d); }
      case "float32" -> { double[] d = new double[n]; for (int i = 0; i < n; i++) d[i] = bb.getFloat(); yield new NdArray(dtype, shape, d); }
      case "float16" -> { double[] d = new double[n]; for (int i = 0; i < n; i++) d[i] = Float.float16ToFloat(bb.getShort()); yield new NdArray(dtype, shape, d); }
      case "complex128" -> { double[] d = new double[2 * n]; bb.asDoubleBuffer().get(d); yield new NdArray(dtype, shape, d); }
      case "complex64" -> { double[] d = new double[2 * n]; for (int i = 0; i < 2 * n; i++) d[i] = bb.getFloat(); yield new NdArray(dtype, shape, d); }
      case "bool" -> { boolean[] b = new boolean[n]; for (int i = 0; i < n; i++) b[i] = bb.get() != 0; yield new NdArray(dtype, shape, b); }
      default -> {
        long[] l = new long[n];
        for (int i = 0; i < n; i++) {
          l[i] = switch (dtype) {
            case "int64", "uint64" -> bb.getLong();
            case "int32" -> bb.getInt();
            case "uint32" -> Integer.toUnsignedLong(bb.getInt());
            case "int16" -> bb.getShort();
            case "uint16" -> Short.toUnsignedInt(bb.getShort());
            case "int8" -> bb.get();
            default -> Byte.toUnsignedInt(bb.get());
          };
        }
        yield new NdArray(dtype, shape, l);
      }
    };
  }

  // ase.io.jsonio.numpyfy: non-empty lists become arrays when NumPy gives bool/int/float, else recurse.
  static PyValue numpyfy(PyValue v) {
    if (v instanceof PyValue.PyList l && !l.items().isEmpty()) {
      try {
        PyValue a = PyJson.asNumericArrayOrSelf(l);
        if (a instanceof NdArray) return a;
      } catch (IllegalArgumentException ragged) {
        // NumPy refuses ragged lists; numpyfy then keeps a list
      }
      var out = new ArrayList<PyValue>();
      for (PyValue x : l.items()) out.add(numpyfy(x));
      return new PyValue.PyList(out);
    }
    return v;
  }
}
