package org.atomstore.data;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.atomstore.io.ase.AseAtoms;
import org.atomstore.io.ase.PyValue;
import org.atomstore.model.NdArray;

/**
 * Object rows with asebytes' flat ASE keys <-> ASE structures ({@link AseAtoms}), the way asebytes' {@code ASEIO}
 * does it ({@code atoms_to_dict} / {@code dict_to_atoms}): {@code cell} (float64 3x3), {@code pbc} (bool (3,)),
 * {@code arrays.numbers} (int64), {@code arrays.positions} (float64 (N,3)), other {@code arrays.*}, {@code info.*},
 * {@code calc.*} as the results of a SinglePointCalculator, {@code constraints} as {@code todict()} dicts. A row
 * without numbers has no atoms, without positions zeros, without cell a zero cell, without pbc F F F; keys outside
 * these namespaces are ignored (as ASEIO does). Compose with {@link org.atomstore.io.mapping.AseMapping} for
 * {@link org.atomstore.model.Molecule}s.
 *
 * <p>{@link AseAtoms} holds Python values without NumPy's scalar types: a NumPy scalar becomes the Python value
 * of its kind (np.float32 -> float, np.int8 -> int, ...), an integer past {@code Long.MAX_VALUE} a float, a
 * {@code bytes} value a uint8 array; big-endian arrays become native. Everything else is kept exactly.
 * Stateless.
 */
public final class AseFrames {

  private AseFrames() {}

  /**
   * The structure ASEIO builds from {@code row}, or null for a placeholder row.
   *
   * @param index the row's index, kept as {@link AseAtoms#line()}
   * @throws IOException when a value cannot be an ASE value (an {@code arrays.*} that is no array, a cell that
   *     is not 3x3, an array dtype ASE cannot hold), naming the key
   */
  public static AseAtoms toAtoms(Map<String, Object> row, long index) throws IOException {
    if (row == null) return null;
    long[] numbers = row.containsKey("arrays.numbers") ? longs(array(row, "arrays.numbers")) : new long[0];
    double[] positions = row.containsKey("arrays.positions") ? doubles(array(row, "arrays.positions")) : new double[numbers.length * 3];
    double[] cell = row.containsKey("cell") ? doubles(array(row, "cell")) : new double[9];
    if (cell.length != 9) throw new IOException("row " + index + ": cell has " + cell.length + " values, not 3x3");
    boolean[] pbc = new boolean[3];
    if (row.get("pbc") != null) {
      double[] p = doubles(array(row, "pbc"));
      if (p.length != 3) throw new IOException("row " + index + ": pbc has " + p.length + " values, not 3");
      for (int i = 0; i < 3; i++) pbc[i] = p[i] != 0;
    }
    var info = new LinkedHashMap<String, PyValue>();
    var arrays = new LinkedHashMap<String, PyValue.NdArray>();
    LinkedHashMap<String, PyValue> calc = null;
    List<PyValue> constraints = new ArrayList<>();
    for (var e : row.entrySet()) {
      String k = e.getKey();
      try {
        if (k.startsWith("arrays.")) {
          if (!k.equals("arrays.numbers") && !k.equals("arrays.positions")) {
            if (!(e.getValue() instanceof NdArray a)) throw new IllegalArgumentException("not an ndarray");
            arrays.put(k.substring(7), pyArray(a));
          }
        } else if (k.startsWith("info.")) {
          info.put(k.substring(5), py(e.getValue()));
        } else if (k.startsWith("calc.")) {
          if (calc == null) calc = new LinkedHashMap<>();
          calc.put(k.substring(5), py(e.getValue()));
        } else if (k.equals("constraints") && e.getValue() instanceof List<?> cs) {
          for (Object c : cs) constraints.add(py(c));
        }
      } catch (IllegalArgumentException ex) {
        throw new IOException("row " + index + ", key '" + k + "': " + ex.getMessage(), ex);
      }
    }
    return new AseAtoms(numbers, positions, cell, pbc, info, arrays, calc, constraints, index);
  }

  /** The row ASEIO writes for {@code atoms} ({@code atoms_to_dict}): cell, pbc, arrays, info, calc, constraints. */
  public static Map<String, Object> toRow(AseAtoms atoms) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("cell", new NdArray("<f8", new long[] {3, 3}, le(atoms.cell())));
    byte[] pbc = new byte[3];
    for (int i = 0; i < 3; i++) pbc[i] = (byte) (atoms.pbc()[i] ? 1 : 0);
    row.put("pbc", new NdArray("|b1", new long[] {3}, pbc));
    int n = atoms.natoms();
    ByteBuffer z = ByteBuffer.allocate(n * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : atoms.numbers()) z.putLong(v);
    row.put("arrays.numbers", new NdArray("<i8", new long[] {n}, z.array()));
    row.put("arrays.positions", new NdArray("<f8", new long[] {n, 3}, le(atoms.positions())));
    for (var e : atoms.arrays().entrySet()) row.put("arrays." + e.getKey(), ndarray(e.getValue()));
    for (var e : atoms.info().entrySet()) row.put("info." + e.getKey(), object(e.getValue()));
    for (var e : atoms.results().entrySet()) row.put("calc." + e.getKey(), object(e.getValue()));
    if (!atoms.constraints().isEmpty()) {
      List<Object> cs = new ArrayList<>();
      for (PyValue c : atoms.constraints()) cs.add(object(c));
      row.put("constraints", cs);
    }
    return row;
  }

  // ------------------------------------------------------------------ object tier -> Python values

  private static NdArray array(Map<String, Object> row, String key) throws IOException {
    if (row.get(key) instanceof NdArray a) return a;
    throw new IOException("key '" + key + "' is not an ndarray: " + row.get(key));
  }

  static PyValue py(Object v) {
    return switch (v) {
      case null -> PyValue.PyNone.INSTANCE;
      case Boolean b -> new PyValue.PyBool(b);
      case Long l -> new PyValue.PyInt(l);
      case BigInteger b -> new PyValue.PyFloat(b.doubleValue());
      case Double d -> new PyValue.PyFloat(d);
      case String s -> new PyValue.PyStr(s);
      case byte[] b -> pyArray(new NdArray("|u1", new long[] {b.length}, b));
      case Complex c -> new PyValue.PyComplex(c.re(), c.im());
      case NumpyScalar s -> scalar(s.asArray());
      case NdArray a -> pyArray(a);
      case List<?> l -> {
        List<PyValue> items = new ArrayList<>(l.size());
        for (Object x : l) items.add(py(x));
        yield new PyValue.PyList(items);
      }
      case Map<?, ?> m -> {
        Map<String, PyValue> entries = new LinkedHashMap<>();
        for (var e : m.entrySet()) entries.put((String) e.getKey(), py(e.getValue()));
        yield new PyValue.PyDict(entries);
      }
      default -> throw new IllegalArgumentException("no Python value for " + v.getClass().getName());
    };
  }

  private static PyValue scalar(NdArray a) {
    PyValue.NdArray p = pyArray(a);
    return switch (p.data()) {
      case boolean[] b -> new PyValue.PyBool(b[0]);
      case long[] l when a.kind() == 'u' && a.itemSize() == 8 && l[0] < 0 ->
          new PyValue.PyFloat(new BigInteger(Long.toUnsignedString(l[0])).doubleValue());
      case long[] l -> new PyValue.PyInt(l[0]);
      case String[] s -> new PyValue.PyStr(s[0]);
      case double[] d when a.kind() == 'c' -> new PyValue.PyComplex(d[0], d[1]);
      case double[] d -> new PyValue.PyFloat(d[0]);
      default -> throw new IllegalArgumentException("no Python scalar for " + a.dtype());
    };
  }

  static PyValue.NdArray pyArray(NdArray a) {
    int[] shape = new int[a.shape().length];
    for (int i = 0; i < shape.length; i++) shape[i] = Math.toIntExact(a.shape()[i]);
    int n = Math.toIntExact(a.length());
    int size = a.itemSize();
    ByteBuffer buf = ByteBuffer.wrap(a.data()).order(a.order());
    return switch (a.kind()) {
      case 'f' -> new PyValue.NdArray("float" + size * 8, shape, doubles(a));
      case 'c' -> {
        double[] d = new double[2 * n];
        for (int k = 0; k < 2 * n; k++) d[k] = floatAt(buf, k * size / 2, size / 2);
        yield new PyValue.NdArray("complex" + size * 8, shape, d);
      }
      case 'i', 'u' -> new PyValue.NdArray((a.kind() == 'u' ? "uint" : "int") + size * 8, shape, longs(a));
      case 'b' -> {
        boolean[] b = new boolean[n];
        for (int k = 0; k < n; k++) b[k] = a.data()[k] != 0;
        yield new PyValue.NdArray("bool", shape, b);
      }
      case 'U' -> {
        String[] s = new String[n];
        for (int k = 0; k < n; k++) {
          int chars = size / 4;
          while (chars > 0 && buf.getInt(k * size + (chars - 1) * 4) == 0) chars--;
          var sb = new StringBuilder(chars);
          for (int c = 0; c < chars; c++) sb.appendCodePoint(buf.getInt(k * size + c * 4));
          s[k] = sb.toString();
        }
        yield new PyValue.NdArray("str", shape, s);
      }
      default -> throw new IllegalArgumentException("no ASE array for dtype " + a.dtype());
    };
  }

  private static double[] doubles(NdArray a) {
    int n = Math.toIntExact(a.length());
    int size = a.itemSize();
    ByteBuffer buf = ByteBuffer.wrap(a.data()).order(a.order());
    double[] out = new double[n];
    if (a.kind() == 'f' && size == 8) {
      buf.asDoubleBuffer().get(out); // one bulk copy for float64, the common case
      return out;
    }
    switch (a.kind()) {
      case 'f' -> { for (int k = 0; k < n; k++) out[k] = floatAt(buf, k * size, size); }
      case 'i', 'u', 'b' -> { long[] l = longs(a); for (int k = 0; k < n; k++) out[k] = l[k]; }
      default -> throw new IllegalArgumentException("not a real array: " + a.dtype());
    }
    return out;
  }

  private static long[] longs(NdArray a) {
    int n = Math.toIntExact(a.length());
    int size = a.itemSize();
    ByteBuffer buf = ByteBuffer.wrap(a.data()).order(a.order());
    boolean unsigned = a.kind() == 'u' || a.kind() == 'b';
    long[] out = new long[n];
    if ((a.kind() == 'i' || a.kind() == 'u') && size == 8) {
      buf.asLongBuffer().get(out); // one bulk copy for int64/uint64 (same bits as getLong), the common case
      return out;
    }
    for (int k = 0; k < n; k++) {
      int at = k * size;
      out[k] = switch (a.kind()) {
        case 'f' -> (long) floatAt(buf, at, size);
        case 'i', 'u', 'b' -> switch (size) {
          case 1 -> unsigned ? Byte.toUnsignedLong(buf.get(at)) : buf.get(at);
          case 2 -> unsigned ? Short.toUnsignedLong(buf.getShort(at)) : buf.getShort(at);
          case 4 -> unsigned ? Integer.toUnsignedLong(buf.getInt(at)) : buf.getInt(at);
          default -> buf.getLong(at);
        };
        default -> throw new IllegalArgumentException("not an integer array: " + a.dtype());
      };
    }
    return out;
  }

  private static double floatAt(ByteBuffer buf, int at, int size) {
    return switch (size) {
      case 2 -> Float.float16ToFloat(buf.getShort(at));
      case 4 -> buf.getFloat(at);
      case 8 -> buf.getDouble(at);
      default -> throw new IllegalArgumentException("float of " + size + " bytes");
    };
  }

  // ------------------------------------------------------------------ Python values -> object tier

  static Object object(PyValue v) {
    return switch (v) {
      case PyValue.PyNone n -> null;
      case PyValue.PyBool b -> b.value();
      case PyValue.PyInt i -> i.value();
      case PyValue.PyFloat f -> f.value();
      case PyValue.PyStr s -> s.value();
      case PyValue.PyComplex c -> new Complex(c.re(), c.im());
      case PyValue.NdArray a -> ndarray(a);
      case PyValue.PyList l -> {
        List<Object> out = new ArrayList<>(l.items().size());
        for (PyValue x : l.items()) out.add(object(x));
        yield out;
      }
      case PyValue.PyDict d -> {
        Map<String, Object> out = new LinkedHashMap<>();
        for (var e : d.entries().entrySet()) out.put(e.getKey(), object(e.getValue()));
        yield out;
      }
    };
  }

  /** NumPy's array for an ASE array value: {@code float64 -> <f8}, {@code int32 -> <i4}, {@code str -> <Un}, ... */
  static NdArray ndarray(PyValue.NdArray a) {
    long[] shape = new long[a.shape().length];
    for (int i = 0; i < shape.length; i++) shape[i] = a.shape()[i];
    String dt = a.dtype();
    return switch (a.data()) {
      case double[] d when a.kind() == 'c' -> {
        int half = dt.equals("complex64") ? 4 : 8;
        ByteBuffer b = ByteBuffer.allocate(d.length * half).order(ByteOrder.LITTLE_ENDIAN);
        for (double x : d) { if (half == 4) b.putFloat((float) x); else b.putDouble(x); }
        yield new NdArray("<c" + 2 * half, shape, b.array());
      }
      case double[] d -> {
        int size = dt.equals("float32") ? 4 : dt.equals("float16") ? 2 : 8;
        ByteBuffer b = ByteBuffer.allocate(d.length * size).order(ByteOrder.LITTLE_ENDIAN);
        for (double x : d) {
          switch (size) {
            case 2 -> b.putShort(Float.floatToFloat16((float) x));
            case 4 -> b.putFloat((float) x);
            default -> b.putDouble(x);
          }
        }
        yield new NdArray("<f" + size, shape, b.array());
      }
      case long[] l -> {
        boolean unsigned = dt.startsWith("uint");
        int size = Integer.parseInt(dt.substring(unsigned ? 4 : 3)) / 8;
        ByteBuffer b = ByteBuffer.allocate(l.length * size).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : l) {
          switch (size) {
            case 1 -> b.put((byte) x);
            case 2 -> b.putShort((short) x);
            case 4 -> b.putInt((int) x);
            default -> b.putLong(x);
          }
        }
        yield new NdArray((size == 1 ? "|" : "<") + (unsigned ? "u" : "i") + size, shape, b.array());
      }
      case boolean[] bs -> {
        byte[] b = new byte[bs.length];
        for (int i = 0; i < bs.length; i++) b[i] = (byte) (bs[i] ? 1 : 0);
        yield new NdArray("|b1", shape, b);
      }
      case String[] ss -> {
        int width = 1; // NumPy's narrowest unicode dtype is <U1, even for empty strings
        for (String s : ss) width = Math.max(width, s.codePointCount(0, s.length()));
        ByteBuffer b = ByteBuffer.allocate(ss.length * width * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (String s : ss) {
          int start = b.position();
          s.codePoints().forEach(b::putInt);
          b.position(start + width * 4);
        }
        yield new NdArray("<U" + width, shape, b.array());
      }
      default -> throw new IllegalArgumentException("no NumPy array for " + a);
    };
  }

  private static byte[] le(double[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (double d : v) b.putDouble(d);
    return b.array();
  }
}
