package org.atomstore.format;

import static org.atomstore.format.AtpLayout.BYTE;
import static org.atomstore.format.AtpLayout.LE_DOUBLE;
import static org.atomstore.format.AtpLayout.LE_FLOAT;
import static org.atomstore.format.AtpLayout.LE_INT;
import static org.atomstore.format.AtpLayout.LE_LONG;

import java.lang.foreign.MemorySegment;
import org.atomstore.model.TypeTag;
import org.atomstore.model.Value;

/** Decodes section payloads into {@link Value}s, checking each length against its type first. */
public final class PayloadDecoder {
  private PayloadDecoder() {}

  /** Decodes the cursor's current section payload as a custom property value. */
  public static Value read(SectionCursor c) {
    MemorySegment s = c.segment();
    long off = c.payloadOffset();
    long len = c.payloadLength();
    int tag = c.typeTag();
    return switch (tag) {
      case TypeTag.NONE -> {
        if (len != 0) throw new RecordFormatException("null property payload must be empty, has " + len + " bytes", off);
        yield Value.Null.INSTANCE;
      }
      case TypeTag.FLOAT64 -> new Value.Float64(s.get(LE_DOUBLE, atLeast(off, len, 8, "f64 property")));
      case TypeTag.INT64 -> new Value.Int64(s.get(LE_LONG, atLeast(off, len, 8, "i64 property")));
      case TypeTag.FLOAT32 -> new Value.Float32(s.get(LE_FLOAT, atLeast(off, len, 4, "f32 property")));
      case TypeTag.STRING -> new Value.Text(c.utf8(off, len, "string property"));
      case TypeTag.F64_ARRAY -> new Value.Float64Array(doubles(s, off, count(off, len, 8, "f64 array")));
      case TypeTag.F32_ARRAY -> new Value.Float32Array(floats(s, off, count(off, len, 4, "f32 array")));
      case TypeTag.I64_ARRAY -> new Value.Int64Array(longs(s, off, count(off, len, 8, "i64 array")));
      case TypeTag.I32_ARRAY -> new Value.Int32Array(ints(s, off, count(off, len, 4, "i32 array")));
      case TypeTag.VEC3_F32 -> new Value.Vec3Float32(floats(s, off, count(off, len, 12, "vec3<f32>") * 3));
      case TypeTag.VEC3_F64 -> new Value.Vec3Float64(doubles(s, off, count(off, len, 24, "vec3<f64>") * 3));
      case TypeTag.MAT3_F64 -> new Value.Mat3Float64(doubles(s, off, exact(off, len, 72, "mat3x3<f64>") / 8));
      case TypeTag.MAT3_F32 -> new Value.Mat3Float32(floats(s, off, exact(off, len, 36, "mat3x3<f32>") / 4));
      case TypeTag.BOOL3 -> {
        if (len < 3) throw new RecordFormatException("bool3 payload truncated (" + len + " bytes)", off);
        yield new Value.Bool3(s.get(BYTE, off) != 0, s.get(BYTE, off + 1) != 0, s.get(BYTE, off + 2) != 0);
      }
      case TypeTag.TENSOR_F32, TypeTag.TENSOR_F64, TypeTag.TENSOR_I32, TypeTag.TENSOR_I64 -> tensor(s, off, len, tag);
      default -> throw new RecordFormatException("unknown type tag " + tag, off - 5);
    };
  }

  /** The dims of a tensor payload, after checking them against its length. */
  public static int[] tensorDims(MemorySegment s, long off, long len, int tag) {
    int elem = TypeTag.elementBytes(tag);
    if (len < 1) throw new RecordFormatException("tensor payload missing rank", off);
    int rank = Byte.toUnsignedInt(s.get(BYTE, off));
    if (len < 1 + 4L * rank) throw new RecordFormatException("tensor payload truncated at shape (rank " + rank + ")", off);
    int[] dims = new int[rank];
    long expected = 1;
    boolean overflow = false;
    for (int i = 0; i < rank; i++) {
      long d = Integer.toUnsignedLong(s.get(LE_INT, off + 1 + 4L * i));
      if (d > Integer.MAX_VALUE) overflow = true;
      dims[i] = (int) d;
      // d >= 0 and expected >= 0: the product exceeds a long exactly when expected > MAX / d
      if (d != 0 && expected > Long.MAX_VALUE / d) overflow = true;
      else expected *= d;
    }
    long data = len - 1 - 4L * rank;
    if (data % elem != 0) {
      throw new RecordFormatException("tensor payload length " + data + " is not divisible by element size " + elem, off);
    }
    if (overflow || expected != data / elem) {
      throw new RecordFormatException("tensor shape " + java.util.Arrays.toString(dims) + " expects "
          + (overflow ? "too many" : String.valueOf(expected)) + " values, got " + (data / elem), off);
    }
    return dims;
  }

  private static Value tensor(MemorySegment s, long off, long len, int tag) {
    int[] dims = tensorDims(s, off, len, tag);
    long data = off + 1 + 4L * dims.length;
    int n = (int) ((len - 1 - 4L * dims.length) / TypeTag.elementBytes(tag));
    return switch (tag) {
      case TypeTag.TENSOR_F32 -> new Value.TensorFloat32(dims, floats(s, data, n));
      case TypeTag.TENSOR_F64 -> new Value.TensorFloat64(dims, doubles(s, data, n));
      case TypeTag.TENSOR_I32 -> new Value.TensorInt32(dims, ints(s, data, n));
      default -> new Value.TensorInt64(dims, longs(s, data, n));
    };
  }

  private static long atLeast(long off, long len, int need, String what) {
    if (len < need) throw new RecordFormatException(what + " truncated (" + len + " bytes)", off);
    return off;
  }

  private static int count(long off, long len, int elem, String what) {
    if (len % elem != 0) throw new RecordFormatException(what + " payload length " + len + " not divisible by " + elem, off);
    return (int) (len / elem);
  }

  private static int exact(long off, long len, int need, String what) {
    if (len != need) throw new RecordFormatException(what + " payload length " + len + " (expected " + need + ")", off);
    return need;
  }

  public static float[] floats(MemorySegment s, long off, int n) {
    float[] a = new float[n];
    MemorySegment.copy(s, LE_FLOAT, off, a, 0, n);
    return a;
  }

  public static double[] doubles(MemorySegment s, long off, int n) {
    double[] a = new double[n];
    MemorySegment.copy(s, LE_DOUBLE, off, a, 0, n);
    return a;
  }

  public static int[] ints(MemorySegment s, long off, int n) {
    int[] a = new int[n];
    MemorySegment.copy(s, LE_INT, off, a, 0, n);
    return a;
  }

  public static long[] longs(MemorySegment s, long off, int n) {
    long[] a = new long[n];
    MemorySegment.copy(s, LE_LONG, off, a, 0, n);
    return a;
  }
}
