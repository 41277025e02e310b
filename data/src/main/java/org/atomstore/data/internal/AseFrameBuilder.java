package org.atomstore.data.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.atomstore.data.Complex;
import org.atomstore.data.NumpyScalar;
import org.atomstore.io.ase.AseAtoms;
import org.atomstore.io.ase.PyValue;
import org.atomstore.model.NdArray;

/**
 * One structure built from a row's fields fed in row order, by asebytes' {@code dict_to_atoms} rules (the rules
 * {@link org.atomstore.data.AseFrames#toAtoms} documents; it is this class): {@link #field} takes object-tier
 * values, and a backend that decodes the common arrays itself hands them in already converted
 * ({@link #numbers}, {@link #positions}, {@link #cell}, {@link #pbc}, {@link #array}), with the same result.
 * Errors come in the order {@code toAtoms} has always checked: numbers, positions, cell, pbc, then the other keys
 * in row order. One builder per row, one thread.
 */
public final class AseFrameBuilder {

  /**
   * {@code "info.step" -> "step"}: keys repeat from row to row, so their suffixes (and the suffixes' hash codes,
   * which the maps need) are made once. Bounded: past {@value #MAX_NAMES} keys, suffixes are made each time.
   */
  private static final java.util.concurrent.ConcurrentHashMap<String, String> NAMES = new java.util.concurrent.ConcurrentHashMap<>();
  private static final int MAX_NAMES = 4096;

  private static String suffix(String key, int from) {
    String s = NAMES.get(key);
    if (s != null) return s;
    s = key.substring(from);
    if (NAMES.size() < MAX_NAMES) NAMES.putIfAbsent(key, s);
    return s;
  }

  private final long index;
  private boolean hasNumbers, hasPositions, hasCell, hasPbc;
  private Object numbersValue, positionsValue, cellValue, pbcValue;
  private long[] numbers;
  private double[] positions, cell;
  private boolean[] pbc;
  private final LinkedHashMap<String, PyValue> info = new LinkedHashMap<>();
  private final LinkedHashMap<String, PyValue.NdArray> arrays = new LinkedHashMap<>();
  private LinkedHashMap<String, PyValue> calc;
  private final List<PyValue> constraints = new ArrayList<>();
  /** The first error of a key outside numbers, positions, cell and pbc, thrown after theirs. */
  private IOException deferred;

  /** @param index the row's index, kept as {@link AseAtoms#line()} and named in errors */
  public AseFrameBuilder(long index) { this.index = index; }

  /** The row's field {@code key} with its object-tier value. */
  public void field(String key, Object value) {
    switch (key) {
      case "arrays.numbers" -> { hasNumbers = true; numbersValue = value; numbers = null; }
      case "arrays.positions" -> { hasPositions = true; positionsValue = value; positions = null; }
      case "cell" -> { hasCell = true; cellValue = value; cell = null; }
      case "pbc" -> { hasPbc = value != null; pbcValue = value; pbc = null; }
      default -> other(key, value);
    }
  }

  /** {@code arrays.numbers} as an int64 array's values. */
  public void numbers(long[] v) { hasNumbers = true; numbers = v; }

  /** {@code arrays.positions} as a float64 array's values. */
  public void positions(double[] v) { hasPositions = true; positions = v; }

  /** {@code cell} as a float64 array's values. */
  public void cell(double[] v) { hasCell = true; cell = v; }

  /** {@code pbc} as a bool array's values. */
  public void pbc(boolean[] v) { hasPbc = true; pbc = v; }

  /**
   * The field {@code key} (an {@code arrays.*} other than numbers and positions, an {@code info.*} or a
   * {@code calc.*}) whose value is the array {@code a} in ASE's form, as {@link #pyArray} makes it.
   */
  public void array(String key, PyValue.NdArray a) {
    if (deferred != null) return;
    if (key.startsWith("arrays.") && !key.equals("arrays.numbers") && !key.equals("arrays.positions")) {
      arrays.put(suffix(key, 7), a);
    } else if (key.startsWith("info.")) {
      info.put(suffix(key, 5), a);
    } else if (key.startsWith("calc.")) {
      if (calc == null) calc = new LinkedHashMap<>();
      calc.put(suffix(key, 5), a);
    } else {
      throw new IllegalArgumentException("not an array key: " + key);
    }
  }

  /** The field {@code key}, an {@code info.*} or {@code calc.*}, whose value is {@code v} in ASE's form (as {@link #py} makes it). */
  public void value(String key, PyValue v) {
    if (deferred != null) return;
    if (key.startsWith("info.")) {
      info.put(suffix(key, 5), v);
    } else if (key.startsWith("calc.")) {
      if (calc == null) calc = new LinkedHashMap<>();
      calc.put(suffix(key, 5), v);
    } else {
      throw new IllegalArgumentException("not an info or calc key: " + key);
    }
  }

  private void other(String k, Object value) {
    if (deferred != null) return;
    try {
      if (k.startsWith("arrays.")) {
        if (!(value instanceof NdArray a)) throw new IllegalArgumentException("not an ndarray");
        arrays.put(suffix(k, 7), pyArray(a));
      } else if (k.startsWith("info.")) {
        info.put(suffix(k, 5), py(value));
      } else if (k.startsWith("calc.")) {
        if (calc == null) calc = new LinkedHashMap<>();
        calc.put(suffix(k, 5), py(value));
      } else if (k.equals("constraints") && value instanceof List<?> cs) {
        for (Object c : cs) constraints.add(py(c));
      }
    } catch (IllegalArgumentException ex) {
      deferred = new IOException("row " + index + ", key '" + k + "': " + ex.getMessage(), ex);
    }
  }

  /** The structure. */
  public AseAtoms build() throws IOException {
    long[] nums = !hasNumbers ? new long[0] : numbers != null ? numbers : longs(array("arrays.numbers", numbersValue));
    double[] pos = !hasPositions ? new double[nums.length * 3]
        : positions != null ? positions : doubles(array("arrays.positions", positionsValue));
    double[] c = !hasCell ? new double[9] : cell != null ? cell : doubles(array("cell", cellValue));
    if (c.length != 9) throw new IOException("row " + index + ": cell has " + c.length + " values, not 3x3");
    boolean[] p = new boolean[3];
    if (hasPbc) {
      if (pbc != null) {
        if (pbc.length != 3) throw new IOException("row " + index + ": pbc has " + pbc.length + " values, not 3");
        p = pbc;
      } else {
        double[] d = doubles(array("pbc", pbcValue));
        if (d.length != 3) throw new IOException("row " + index + ": pbc has " + d.length + " values, not 3");
        for (int i = 0; i < 3; i++) p[i] = d[i] != 0;
      }
    }
    if (deferred != null) throw deferred;
    return new AseAtoms(nums, pos, c, p, info, arrays, calc, constraints, index);
  }

  // ------------------------------------------------------------------ object tier -> Python values

  private static NdArray array(String key, Object value) throws IOException {
    if (value instanceof NdArray a) return a;
    throw new IOException("key '" + key + "' is not an ndarray: " + value);
  }

  /** An object-tier value as ASE holds it (see {@link org.atomstore.data.AseFrames}). */
  public static PyValue py(Object v) {
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

  /** ASE's array for a NumPy array. */
  public static PyValue.NdArray pyArray(NdArray a) {
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

  static double[] doubles(NdArray a) {
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

  static long[] longs(NdArray a) {
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

}
