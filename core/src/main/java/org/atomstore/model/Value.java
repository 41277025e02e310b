package org.atomstore.model;

import java.util.Arrays;

/**
 * A typed value as Atompack stores it: one record per on-disk type tag (0 to 17). Builtin fields
 * (positions, forces, cell, ...) and custom properties share these types; {@link #typeTag()} is the
 * tag written in front of the payload.
 *
 * <p>Vector-of-3 and 3x3 values keep their elements flat in row-major order ({@code [x0,y0,z0,x1,...]}).
 * Values are immutable by contract: callers must not change the arrays they pass in or get back.
 *
 * <p><b>Where each type can be written.</b> Every tag Atomstore writes is one the reference Atompack 0.4.0 reads
 * in that position. Builtin fields take the types {@link BuiltinField} lists (energy {@link Float64}/{@link
 * Float32}, forces and velocities vec3, charges 1-D float arrays, cell and stress 3x3, pbc {@link Bool3}, name
 * {@link Text}). A custom property (atom or molecule) is stored as Atompack's Python API stores the equivalent
 * NumPy value ({@link TypeTag#customTag}): {@link Mat3Float64}/{@link Mat3Float32} as a vec3 array of three rows
 * (read back as {@link Vec3Float64}/{@link Vec3Float32} of shape {@code [3, 3]}), {@link Float32} as {@link
 * Float64} (widened exactly), every other type as itself except {@link Bool3}, which a custom property cannot hold:
 * the writer refuses it with IllegalArgumentException before anything of the molecule is written. A per-atom
 * property must also have one row per atom as its stored type counts rows (a 3x3 therefore only for 3 atoms).
 */
public sealed interface Value {

  /** The on-disk type tag. */
  int typeTag();

  /** Shape as the golden dumps give it: {@code []} for scalars and strings, {@code [n]}, {@code [n,3]}, ... */
  int[] shape();

  /** Number of elements (1 for scalars and strings, 0 for null). */
  long elementCount();

  /** tag 0: f64 scalar. */
  record Float64(double value) implements Value {
    public int typeTag() { return TypeTag.FLOAT64; }
    public int[] shape() { return new int[0]; }
    public long elementCount() { return 1; }
    @Override public boolean equals(Object o) {
      return o instanceof Float64 f && Double.doubleToRawLongBits(f.value) == Double.doubleToRawLongBits(value);
    }
    @Override public int hashCode() { return Double.hashCode(value); }
  }

  /** tag 1: i64 scalar. */
  record Int64(long value) implements Value {
    public int typeTag() { return TypeTag.INT64; }
    public int[] shape() { return new int[0]; }
    public long elementCount() { return 1; }
  }

  /** tag 2: UTF-8 string. */
  record Text(String value) implements Value {
    public Text { java.util.Objects.requireNonNull(value, "value"); }
    public int typeTag() { return TypeTag.STRING; }
    public int[] shape() { return new int[0]; }
    public long elementCount() { return 1; }
  }

  /** tag 3: 1-D f64 array. */
  record Float64Array(double[] values) implements Value {
    public int typeTag() { return TypeTag.F64_ARRAY; }
    public int[] shape() { return new int[] {values.length}; }
    public long elementCount() { return values.length; }
    @Override public boolean equals(Object o) { return o instanceof Float64Array a && Arrays.equals(a.values, values); }
    @Override public int hashCode() { return Arrays.hashCode(values); }
    @Override public String toString() { return "Float64Array" + Arrays.toString(values); }
  }

  /** tag 4: n x 3 f32 (flat). */
  record Vec3Float32(float[] values) implements Value {
    public Vec3Float32 { requireMultipleOf3(values.length); }
    public int typeTag() { return TypeTag.VEC3_F32; }
    public int[] shape() { return new int[] {values.length / 3, 3}; }
    public long elementCount() { return values.length; }
    public int rows() { return values.length / 3; }
    @Override public boolean equals(Object o) { return o instanceof Vec3Float32 a && Arrays.equals(a.values, values); }
    @Override public int hashCode() { return Arrays.hashCode(values); }
    @Override public String toString() { return "Vec3Float32" + Arrays.toString(values); }
  }

  /** tag 5: 1-D i64 array. */
  record Int64Array(long[] values) implements Value {
    public int typeTag() { return TypeTag.I64_ARRAY; }
    public int[] shape() { return new int[] {values.length}; }
    public long elementCount() { return values.length; }
    @Override public boolean equals(Object o) { return o instanceof Int64Array a && Arrays.equals(a.values, values); }
    @Override public int hashCode() { return Arrays.hashCode(values); }
    @Override public String toString() { return "Int64Array" + Arrays.toString(values); }
  }

  /** tag 6: 1-D f32 array. */
  record Float32Array(float[] values) implements Value {
    public int typeTag() { return TypeTag.F32_ARRAY; }
    public int[] shape() { return new int[] {values.length}; }
    public long elementCount() { return values.length; }
    @Override public boolean equals(Object o) { return o instanceof Float32Array a && Arrays.equals(a.values, values); }
    @Override public int hashCode() { return Arrays.hashCode(values); }
    @Override public String toString() { return "Float32Array" + Arrays.toString(values); }
  }

  /** tag 7: n x 3 f64 (flat). */
  record Vec3Float64(double[] values) implements Value {
    public Vec3Float64 { requireMultipleOf3(values.length); }
    public int typeTag() { return TypeTag.VEC3_F64; }
    public int[] shape() { return new int[] {values.length / 3, 3}; }
    public long elementCount() { return values.length; }
    public int rows() { return values.length / 3; }
    @Override public boolean equals(Object o) { return o instanceof Vec3Float64 a && Arrays.equals(a.values, values); }
    @Override public int hashCode() { return Arrays.hashCode(values); }
    @Override public String toString() { return "Vec3Float64" + Arrays.toString(values); }
  }

  /** tag 8: 1-D i32 array. */
  record Int32Array(int[] values) implements Value {
    public int typeTag() { return TypeTag.I32_ARRAY; }
    public int[] shape() { return new int[] {values.length}; }
    public long elementCount() { return values.length; }
    @Override public boolean equals(Object o) { return o instanceof Int32Array a && Arrays.equals(a.values, values); }
    @Override public int hashCode() { return Arrays.hashCode(values); }
    @Override public String toString() { return "Int32Array" + Arrays.toString(values); }
  }

  /** tag 9: three booleans (periodic boundary conditions). */
  record Bool3(boolean a, boolean b, boolean c) implements Value {
    public int typeTag() { return TypeTag.BOOL3; }
    public int[] shape() { return new int[] {3}; }
    public long elementCount() { return 3; }
    public boolean get(int axis) { return switch (axis) { case 0 -> a; case 1 -> b; case 2 -> c; default -> throw new IndexOutOfBoundsException(axis); }; }
    public boolean[] toArray() { return new boolean[] {a, b, c}; }
  }

  /** tag 10: 3 x 3 f64, row-major. */
  record Mat3Float64(double[] values) implements Value {
    public Mat3Float64 { requireLength(values.length, 9); }
    public int typeTag() { return TypeTag.MAT3_F64; }
    public int[] shape() { return new int[] {3, 3}; }
    public long elementCount() { return 9; }
    @Override public boolean equals(Object o) { return o instanceof Mat3Float64 a && Arrays.equals(a.values, values); }
    @Override public int hashCode() { return Arrays.hashCode(values); }
    @Override public String toString() { return "Mat3Float64" + Arrays.toString(values); }
  }

  /** tag 11: f32 scalar. */
  record Float32(float value) implements Value {
    public int typeTag() { return TypeTag.FLOAT32; }
    public int[] shape() { return new int[0]; }
    public long elementCount() { return 1; }
    @Override public boolean equals(Object o) {
      return o instanceof Float32 f && Float.floatToRawIntBits(f.value) == Float.floatToRawIntBits(value);
    }
    @Override public int hashCode() { return Float.hashCode(value); }
  }

  /** tag 12: 3 x 3 f32, row-major. */
  record Mat3Float32(float[] values) implements Value {
    public Mat3Float32 { requireLength(values.length, 9); }
    public int typeTag() { return TypeTag.MAT3_F32; }
    public int[] shape() { return new int[] {3, 3}; }
    public long elementCount() { return 9; }
    @Override public boolean equals(Object o) { return o instanceof Mat3Float32 a && Arrays.equals(a.values, values); }
    @Override public int hashCode() { return Arrays.hashCode(values); }
    @Override public String toString() { return "Mat3Float32" + Arrays.toString(values); }
  }

  /** tag 13: explicit null. */
  record Null() implements Value {
    public static final Null INSTANCE = new Null();
    public int typeTag() { return TypeTag.NONE; }
    public int[] shape() { return new int[0]; }
    public long elementCount() { return 0; }
  }

  /** tag 14: f32 tensor of any rank (row-major). */
  record TensorFloat32(int[] dims, float[] values) implements Value {
    public TensorFloat32 { checkTensor(dims, values.length); }
    public int typeTag() { return TypeTag.TENSOR_F32; }
    public int[] shape() { return dims.clone(); }
    public long elementCount() { return values.length; }
    @Override public boolean equals(Object o) { return o instanceof TensorFloat32 t && Arrays.equals(t.dims, dims) && Arrays.equals(t.values, values); }
    @Override public int hashCode() { return 31 * Arrays.hashCode(dims) + Arrays.hashCode(values); }
    @Override public String toString() { return "TensorFloat32" + Arrays.toString(dims) + Arrays.toString(values); }
  }

  /** tag 15: f64 tensor of any rank (row-major). */
  record TensorFloat64(int[] dims, double[] values) implements Value {
    public TensorFloat64 { checkTensor(dims, values.length); }
    public int typeTag() { return TypeTag.TENSOR_F64; }
    public int[] shape() { return dims.clone(); }
    public long elementCount() { return values.length; }
    @Override public boolean equals(Object o) { return o instanceof TensorFloat64 t && Arrays.equals(t.dims, dims) && Arrays.equals(t.values, values); }
    @Override public int hashCode() { return 31 * Arrays.hashCode(dims) + Arrays.hashCode(values); }
    @Override public String toString() { return "TensorFloat64" + Arrays.toString(dims) + Arrays.toString(values); }
  }

  /** tag 16: i32 tensor of any rank (row-major). */
  record TensorInt32(int[] dims, int[] values) implements Value {
    public TensorInt32 { checkTensor(dims, values.length); }
    public int typeTag() { return TypeTag.TENSOR_I32; }
    public int[] shape() { return dims.clone(); }
    public long elementCount() { return values.length; }
    @Override public boolean equals(Object o) { return o instanceof TensorInt32 t && Arrays.equals(t.dims, dims) && Arrays.equals(t.values, values); }
    @Override public int hashCode() { return 31 * Arrays.hashCode(dims) + Arrays.hashCode(values); }
    @Override public String toString() { return "TensorInt32" + Arrays.toString(dims) + Arrays.toString(values); }
  }

  /** tag 17: i64 tensor of any rank (row-major). */
  record TensorInt64(int[] dims, long[] values) implements Value {
    public TensorInt64 { checkTensor(dims, values.length); }
    public int typeTag() { return TypeTag.TENSOR_I64; }
    public int[] shape() { return dims.clone(); }
    public long elementCount() { return values.length; }
    @Override public boolean equals(Object o) { return o instanceof TensorInt64 t && Arrays.equals(t.dims, dims) && Arrays.equals(t.values, values); }
    @Override public int hashCode() { return 31 * Arrays.hashCode(dims) + Arrays.hashCode(values); }
    @Override public String toString() { return "TensorInt64" + Arrays.toString(dims) + Arrays.toString(values); }
  }

  private static void requireMultipleOf3(int length) {
    if (length % 3 != 0) {
      throw new IllegalArgumentException("vec3 data length " + length + " is not a multiple of 3");
    }
  }

  private static void requireLength(int length, int expected) {
    if (length != expected) {
      throw new IllegalArgumentException("expected " + expected + " values, got " + length);
    }
  }

  private static void checkTensor(int[] dims, int valueCount) {
    if (dims.length > 255) {
      throw new IllegalArgumentException("tensor rank " + dims.length + " exceeds 255");
    }
    long expected = 1;
    for (int d : dims) {
      if (d < 0) {
        throw new IllegalArgumentException("negative tensor dimension " + d);
      }
      expected = Math.multiplyExact(expected, d);
    }
    if (expected != valueCount) {
      throw new IllegalArgumentException(
          "tensor shape " + Arrays.toString(dims) + " expects " + expected + " values, got " + valueCount);
    }
  }
}
