package org.atomstore.data;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.atomstore.data.internal.AseFrameBuilder;
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
    var frame = new AseFrameBuilder(index);
    for (var e : row.entrySet()) frame.field(e.getKey(), e.getValue());
    return frame.build();
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
