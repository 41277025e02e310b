package org.atomstore.model;

/** Conversions between the float types of {@link Value}s. */
public final class Values {
  private Values() {}

  /** The elements of a float-valued Value as doubles (a fresh array unless already float64). */
  public static double[] toDoubles(Value v) {
    return switch (v) {
      case Value.Vec3Float64 a -> a.values();
      case Value.Float64Array a -> a.values();
      case Value.Mat3Float64 a -> a.values();
      case Value.TensorFloat64 a -> a.values();
      case Value.Float64 s -> new double[] {s.value()};
      case Value.Float32 s -> new double[] {s.value()};
      case Value.Vec3Float32 a -> widen(a.values());
      case Value.Float32Array a -> widen(a.values());
      case Value.Mat3Float32 a -> widen(a.values());
      case Value.TensorFloat32 a -> widen(a.values());
      default -> throw new IllegalArgumentException("not a float value: " + v.getClass().getSimpleName());
    };
  }

  /** The elements of a float-valued Value as floats (a fresh, rounded array unless already float32). */
  public static float[] toFloats(Value v) {
    return switch (v) {
      case Value.Vec3Float32 a -> a.values();
      case Value.Float32Array a -> a.values();
      case Value.Mat3Float32 a -> a.values();
      case Value.TensorFloat32 a -> a.values();
      case Value.Float32 s -> new float[] {s.value()};
      case Value.Float64 s -> new float[] {(float) s.value()};
      case Value.Vec3Float64 a -> narrow(a.values());
      case Value.Float64Array a -> narrow(a.values());
      case Value.Mat3Float64 a -> narrow(a.values());
      case Value.TensorFloat64 a -> narrow(a.values());
      default -> throw new IllegalArgumentException("not a float value: " + v.getClass().getSimpleName());
    };
  }

  public static double[] widen(float[] in) {
    double[] out = new double[in.length];
    for (int i = 0; i < in.length; i++) out[i] = in[i];
    return out;
  }

  public static float[] narrow(double[] in) {
    float[] out = new float[in.length];
    for (int i = 0; i < in.length; i++) out[i] = (float) in[i];
    return out;
  }
}
