package org.atomstore.data.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.atomstore.io.ase.PyValue;
import org.atomstore.model.NdArray;

/** Conversions between core's byte-backed {@link NdArray}, Java primitive arrays and io's {@link PyValue.NdArray}. Stateless. */
public final class NdArrays {
  private NdArrays() {}

  public static NdArray ofDoubles(long[] shape, double[] v) {
    ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asDoubleBuffer().put(v);
    return new NdArray("<f8", shape, b.array());
  }

  public static NdArray ofLongs(long[] shape, long[] v) {
    ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asLongBuffer().put(v);
    return new NdArray("<i8", shape, b.array());
  }

  public static NdArray ofInts(long[] shape, long[] v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (long x : v) b.putInt((int) x);
    return new NdArray("<i4", shape, b.array());
  }

  public static NdArray ofBools(long[] shape, boolean[] v) {
    byte[] out = new byte[v.length];
    for (int i = 0; i < v.length; i++) out[i] = (byte) (v[i] ? 1 : 0);
    return new NdArray("|b1", shape, out);
  }

  /** Elements as doubles, for float, integer and bool dtypes. */
  public static double[] toDoubles(NdArray a) {
    int n = (int) a.length();
    double[] out = new double[n];
    ByteBuffer b = ByteBuffer.wrap(a.data()).order(a.order());
    int size = a.itemSize();
    switch (a.kind()) {
      case 'f' -> {
        for (int i = 0; i < n; i++) out[i] = size == 8 ? b.getDouble(8 * i) : size == 4 ? b.getFloat(4 * i) : Float.float16ToFloat(b.getShort(2 * i));
      }
      case 'b' -> { for (int i = 0; i < n; i++) out[i] = a.data()[i] != 0 ? 1 : 0; }
      case 'i', 'u' -> { long[] l = toLongs(a); for (int i = 0; i < n; i++) out[i] = l[i]; }
      default -> throw new IllegalArgumentException("not a numeric array: " + a.dtype());
    }
    return out;
  }

  /** Elements as longs, for integer and bool dtypes (uint64 beyond Long.MAX_VALUE wraps). */
  public static long[] toLongs(NdArray a) {
    int n = (int) a.length();
    long[] out = new long[n];
    ByteBuffer b = ByteBuffer.wrap(a.data()).order(a.order());
    int size = a.itemSize();
    boolean unsigned = a.kind() == 'u';
    if (a.kind() != 'i' && a.kind() != 'u' && a.kind() != 'b') throw new IllegalArgumentException("not an integer array: " + a.dtype());
    for (int i = 0; i < n; i++) {
      out[i] = switch (size) {
        case 1 -> unsigned || a.kind() == 'b' ? Byte.toUnsignedLong(b.get(i)) : b.get(i);
        case 2 -> unsigned ? Short.toUnsignedLong(b.getShort(2 * i)) : b.getShort(2 * i);
        case 4 -> unsigned ? Integer.toUnsignedLong(b.getInt(4 * i)) : b.getInt(4 * i);
        default -> b.getLong(8 * i);
      };
    }
    return out;
  }

  public static boolean[] toBools(NdArray a) {
    boolean[] out = new boolean[(int) a.length()];
    if (a.kind() == 'b') {
      for (int i = 0; i < out.length; i++) out[i] = a.data()[i] != 0;
    } else {
      double[] d = toDoubles(a);
      for (int i = 0; i < out.length; i++) out[i] = d[i] != 0;
    }
    return out;
  }

  /** The array as ASE's reader would hold it (float64/int64/int32/bool/str). */
  public static PyValue.NdArray toPy(NdArray a) {
    int[] shape = new int[a.shape().length];
    for (int i = 0; i < shape.length; i++) shape[i] = Math.toIntExact(a.shape()[i]);
    return switch (a.kind()) {
      case 'f' -> new PyValue.NdArray(a.itemSize() == 4 ? "float32" : "float64", shape, toDoubles(a));
      case 'i', 'u' -> new PyValue.NdArray(a.itemSize() == 4 ? "int32" : "int64", shape, toLongs(a));
      case 'b' -> PyValue.NdArray.bool(shape, toBools(a));
      case 'U' -> PyValue.NdArray.str(shape, strings(a));
      default -> throw new IllegalArgumentException("no ASE array for dtype " + a.dtype());
    };
  }

  /** An ASE array as the object tier holds it. */
  public static NdArray fromPy(PyValue.NdArray a) {
    long[] shape = new long[a.shape().length];
    for (int i = 0; i < shape.length; i++) shape[i] = a.shape()[i];
    return switch (a.kind()) {
      case 'f' -> a.dtype().equals("float32") ? ofFloats(shape, a.doubles()) : ofDoubles(shape, a.doubles());
      case 'i', 'u' -> a.dtype().equals("int32") ? ofInts(shape, a.longs()) : ofLongs(shape, a.longs());
      case 'b' -> ofBools(shape, a.booleans());
      case 'U' -> ofStrings(shape, a.strings());
      default -> throw new IllegalArgumentException("no object-tier array for dtype " + a.dtype());
    };
  }

  static NdArray ofFloats(long[] shape, double[] v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (double x : v) b.putFloat((float) x);
    return new NdArray("<f4", shape, b.array());
  }

  static String[] strings(NdArray a) {
    int n = (int) a.length();
    int chars = a.itemSize() / 4;
    String[] out = new String[n];
    ByteBuffer b = ByteBuffer.wrap(a.data()).order(a.order());
    for (int i = 0; i < n; i++) {
      StringBuilder sb = new StringBuilder();
      for (int c = 0; c < chars; c++) {
        int cp = b.getInt(4 * (i * chars + c));
        if (cp == 0) break;
        sb.appendCodePoint(cp);
      }
      out[i] = sb.toString();
    }
    return out;
  }

  static NdArray ofStrings(long[] shape, String[] v) {
    int chars = 1;
    for (String s : v) chars = Math.max(chars, s.codePointCount(0, s.length()));
    ByteBuffer b = ByteBuffer.allocate(4 * chars * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < v.length; i++) {
      int[] cps = v[i].codePoints().toArray();
      for (int c = 0; c < cps.length; c++) b.putInt(4 * (i * chars + c), cps[c]);
    }
    return new NdArray("<U" + chars, shape, b.array());
  }

}
