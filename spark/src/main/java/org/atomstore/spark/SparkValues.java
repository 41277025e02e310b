package org.atomstore.spark;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.atomstore.model.TypeTag;
import org.atomstore.model.Value;

/**
 * The one mapping between Atompack values and Spark's: each type tag has one Spark type, and a value goes both
 * ways without loss.
 *
 * <table>
 *   <caption>Type tags and Spark types</caption>
 *   <tr><td>0 f64, 11 f32</td><td>double, float</td></tr>
 *   <tr><td>1 i64</td><td>bigint</td></tr>
 *   <tr><td>2 string</td><td>string</td></tr>
 *   <tr><td>3, 6, 5, 8: 1-D f64, f32, i64, i32</td><td>array of double, float, bigint, int</td></tr>
 *   <tr><td>4, 7: rows of 3 f32, f64; 10, 12: 3x3 f64, f32</td><td>array of array (rows of 3) of float/double</td></tr>
 *   <tr><td>9 bool triple</td><td>array of boolean (3)</td></tr>
 *   <tr><td>14-17 tensors</td><td>struct of {@code shape: array<int>} and {@code values: array<T>} (row-major)</td></tr>
 * </table>
 */
final class SparkValues {
  private SparkValues() {}

  static final String SHAPE = "shape";
  static final String VALUES = "values";

  /** The Spark type of a type tag. */
  static DataType type(int tag) {
    return switch (tag) {
      case TypeTag.FLOAT64 -> DataTypes.DoubleType;
      case TypeTag.FLOAT32 -> DataTypes.FloatType;
      case TypeTag.INT64 -> DataTypes.LongType;
      case TypeTag.STRING -> DataTypes.StringType;
      case TypeTag.F64_ARRAY -> array(DataTypes.DoubleType);
      case TypeTag.F32_ARRAY -> array(DataTypes.FloatType);
      case TypeTag.I64_ARRAY -> array(DataTypes.LongType);
      case TypeTag.I32_ARRAY -> array(DataTypes.IntegerType);
      case TypeTag.VEC3_F32, TypeTag.MAT3_F32 -> array(array(DataTypes.FloatType));
      case TypeTag.VEC3_F64, TypeTag.MAT3_F64 -> array(array(DataTypes.DoubleType));
      case TypeTag.BOOL3 -> array(DataTypes.BooleanType);
      case TypeTag.TENSOR_F32 -> tensor(DataTypes.FloatType);
      case TypeTag.TENSOR_F64 -> tensor(DataTypes.DoubleType);
      case TypeTag.TENSOR_I32 -> tensor(DataTypes.IntegerType);
      case TypeTag.TENSOR_I64 -> tensor(DataTypes.LongType);
      default -> DataTypes.NullType;
    };
  }

  private static ArrayType array(DataType element) { return DataTypes.createArrayType(element, false); }

  private static StructType tensor(DataType element) {
    return new StructType(new StructField[] {
        DataTypes.createStructField(SHAPE, array(DataTypes.IntegerType), false),
        DataTypes.createStructField(VALUES, array(element), false)});
  }

  /**
   * The type tag a Spark type stands for, where a column carries no tag of its own (a DataFrame built elsewhere):
   * nested arrays are rows of three (4 or 7), 3x3 only for the builtins cell and stress (the caller decides).
   */
  static int tagOf(DataType t) {
    if (t.equals(DataTypes.DoubleType)) return TypeTag.FLOAT64;
    if (t.equals(DataTypes.FloatType)) return TypeTag.FLOAT32;
    if (t.equals(DataTypes.LongType) || t.equals(DataTypes.IntegerType) || t.equals(DataTypes.ShortType)
        || t.equals(DataTypes.ByteType)) {
      return TypeTag.INT64;
    }
    if (t.equals(DataTypes.StringType)) return TypeTag.STRING;
    if (t instanceof ArrayType a) {
      DataType e = a.elementType();
      if (e.equals(DataTypes.DoubleType)) return TypeTag.F64_ARRAY;
      if (e.equals(DataTypes.FloatType)) return TypeTag.F32_ARRAY;
      if (e.equals(DataTypes.LongType)) return TypeTag.I64_ARRAY;
      if (e.equals(DataTypes.IntegerType)) return TypeTag.I32_ARRAY;
      if (e.equals(DataTypes.BooleanType)) return TypeTag.BOOL3;
      if (e instanceof ArrayType inner) {
        if (inner.elementType().equals(DataTypes.FloatType)) return TypeTag.VEC3_F32;
        if (inner.elementType().equals(DataTypes.DoubleType)) return TypeTag.VEC3_F64;
      }
    }
    if (t instanceof StructType s && s.fieldNames().length == 2 && s.apply(VALUES).dataType() instanceof ArrayType a) {
      DataType e = a.elementType();
      if (e.equals(DataTypes.FloatType)) return TypeTag.TENSOR_F32;
      if (e.equals(DataTypes.DoubleType)) return TypeTag.TENSOR_F64;
      if (e.equals(DataTypes.IntegerType)) return TypeTag.TENSOR_I32;
      if (e.equals(DataTypes.LongType)) return TypeTag.TENSOR_I64;
    }
    throw new IllegalArgumentException("no Atompack type for Spark type " + t.simpleString());
  }

  /** A value as Spark holds it (null for null). */
  static Object toSpark(Value v) {
    return switch (v) {
      case null -> null;
      case Value.Float64 f -> f.value();
      case Value.Float32 f -> f.value();
      case Value.Int64 i -> i.value();
      case Value.Text t -> UTF8String.fromString(t.value());
      case Value.Float64Array a -> UnsafeArrayData.fromPrimitiveArray(a.values());
      case Value.Float32Array a -> UnsafeArrayData.fromPrimitiveArray(a.values());
      case Value.Int64Array a -> UnsafeArrayData.fromPrimitiveArray(a.values());
      case Value.Int32Array a -> UnsafeArrayData.fromPrimitiveArray(a.values());
      case Value.Vec3Float32 a -> rows(a.values());
      case Value.Vec3Float64 a -> rows(a.values());
      case Value.Mat3Float32 a -> rows(a.values());
      case Value.Mat3Float64 a -> rows(a.values());
      case Value.Bool3 b -> UnsafeArrayData.fromPrimitiveArray(new boolean[] {b.a(), b.b(), b.c()});
      case Value.TensorFloat32 t -> tensorRow(t.dims(), UnsafeArrayData.fromPrimitiveArray(t.values()));
      case Value.TensorFloat64 t -> tensorRow(t.dims(), UnsafeArrayData.fromPrimitiveArray(t.values()));
      case Value.TensorInt32 t -> tensorRow(t.dims(), UnsafeArrayData.fromPrimitiveArray(t.values()));
      case Value.TensorInt64 t -> tensorRow(t.dims(), UnsafeArrayData.fromPrimitiveArray(t.values()));
      case Value.Null n -> null;
    };
  }

  private static InternalRow tensorRow(int[] dims, ArrayData values) {
    return new GenericInternalRow(new Object[] {UnsafeArrayData.fromPrimitiveArray(dims), values});
  }

  static ArrayData rows(float[] flat) {
    Object[] rows = new Object[flat.length / 3];
    for (int r = 0; r < rows.length; r++) {
      rows[r] = UnsafeArrayData.fromPrimitiveArray(new float[] {flat[3 * r], flat[3 * r + 1], flat[3 * r + 2]});
    }
    return new GenericArrayData(rows);
  }

  static ArrayData rows(double[] flat) {
    Object[] rows = new Object[flat.length / 3];
    for (int r = 0; r < rows.length; r++) {
      rows[r] = UnsafeArrayData.fromPrimitiveArray(new double[] {flat[3 * r], flat[3 * r + 1], flat[3 * r + 2]});
    }
    return new GenericArrayData(rows);
  }

  /** A Spark value of the given type back as the value of {@code tag}; {@code what} names it in errors. */
  static Value fromSpark(Object o, DataType type, int tag, String what) {
    if (o == null) return null;
    return switch (tag) {
      case TypeTag.FLOAT64 -> new Value.Float64(((Number) o).doubleValue());
      case TypeTag.FLOAT32 -> new Value.Float32(((Number) o).floatValue());
      case TypeTag.INT64 -> new Value.Int64(((Number) o).longValue());
      case TypeTag.STRING -> new Value.Text(o.toString());
      case TypeTag.F64_ARRAY -> new Value.Float64Array(((ArrayData) o).toDoubleArray());
      case TypeTag.F32_ARRAY -> new Value.Float32Array(((ArrayData) o).toFloatArray());
      case TypeTag.I64_ARRAY -> new Value.Int64Array(((ArrayData) o).toLongArray());
      case TypeTag.I32_ARRAY -> new Value.Int32Array(((ArrayData) o).toIntArray());
      case TypeTag.VEC3_F32 -> new Value.Vec3Float32(flatFloats((ArrayData) o, what));
      case TypeTag.VEC3_F64 -> new Value.Vec3Float64(flatDoubles((ArrayData) o, what));
      case TypeTag.MAT3_F32 -> new Value.Mat3Float32(square(flatFloats((ArrayData) o, what), what));
      case TypeTag.MAT3_F64 -> new Value.Mat3Float64(square(flatDoubles((ArrayData) o, what), what));
      case TypeTag.BOOL3 -> {
        boolean[] b = ((ArrayData) o).toBooleanArray();
        if (b.length != 3) throw new IllegalArgumentException(what + ": " + b.length + " flags, pbc-like values have 3");
        yield new Value.Bool3(b[0], b[1], b[2]);
      }
      case TypeTag.TENSOR_F32, TypeTag.TENSOR_F64, TypeTag.TENSOR_I32, TypeTag.TENSOR_I64 -> {
        InternalRow r = (InternalRow) o;
        int[] dims = r.getArray(0).toIntArray();
        ArrayData v = r.getArray(1);
        yield switch (tag) {
          case TypeTag.TENSOR_F32 -> new Value.TensorFloat32(dims, v.toFloatArray());
          case TypeTag.TENSOR_F64 -> new Value.TensorFloat64(dims, v.toDoubleArray());
          case TypeTag.TENSOR_I32 -> new Value.TensorInt32(dims, v.toIntArray());
          default -> new Value.TensorInt64(dims, v.toLongArray());
        };
      }
      default -> throw new IllegalArgumentException(what + ": type tag " + tag + " has no value");
    };
  }

  private static <T> T square(T flat, String what) {
    int n = flat instanceof float[] f ? f.length : ((double[]) flat).length;
    if (n != 9) throw new IllegalArgumentException(what + ": a 3x3 matrix needs 3 rows of 3, got " + n + " values");
    return flat;
  }

  static float[] flatFloats(ArrayData rows, String what) {
    int n = rows.numElements();
    float[] out = new float[3 * n];
    for (int r = 0; r < n; r++) {
      ArrayData row = rows.getArray(r);
      if (row == null || row.numElements() != 3) throw new IllegalArgumentException(what + ": row " + r + " does not hold 3 values");
      for (int k = 0; k < 3; k++) out[3 * r + k] = row.getFloat(k);
    }
    return out;
  }

  static double[] flatDoubles(ArrayData rows, String what) {
    int n = rows.numElements();
    double[] out = new double[3 * n];
    for (int r = 0; r < n; r++) {
      ArrayData row = rows.getArray(r);
      if (row == null || row.numElements() != 3) throw new IllegalArgumentException(what + ": row " + r + " does not hold 3 values");
      for (int k = 0; k < 3; k++) out[3 * r + k] = row.getDouble(k);
    }
    return out;
  }
}
