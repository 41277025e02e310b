package org.atomstore.format.v2;

import org.atomstore.format.RecordFormat;
import org.atomstore.model.TypeTag;

/** Record format 2: float32 positions; charges f64, cell f64, energy f64, forces f32, stress f64, velocities f32. */
public final class RecordFormatV2 implements RecordFormat {
  public static final RecordFormatV2 INSTANCE = new RecordFormatV2();

  private RecordFormatV2() {}

  @Override public int number() { return 2; }

  @Override
  public int positionsType(int schemaPositionsType) {
    String problem = positionsProblem(schemaPositionsType);
    if (problem != null) throw new IllegalArgumentException(problem);
    return TypeTag.VEC3_F32;
  }

  @Override
  public void checkBuiltin(String key, int tag) {
    String problem = builtinProblem(key, tag);
    if (problem != null) throw new IllegalArgumentException(problem);
  }

  /** Why this format cannot hold positions of this type tag, or null when it can (asked per record: no exception). */
  public String positionsProblem(int positionsType) {
    return positionsType == TypeTag.VEC3_F64 ? "record format 2 does not support float64 positions" : null;
  }

  /** Why this format cannot hold this builtin section, or null when it can (asked per record: no exception). */
  public String builtinProblem(String key, int tag) {
    String problem = switch (key) {
      case "charges" -> tag != TypeTag.F64_ARRAY ? "float32 charges" : null;
      case "cell" -> tag != TypeTag.MAT3_F64 ? "float32 cell" : null;
      case "energy" -> tag != TypeTag.FLOAT64 ? "float32 energy" : null;
      case "forces" -> tag != TypeTag.VEC3_F32 ? "float64 forces" : null;
      case "stress" -> tag != TypeTag.MAT3_F64 ? "float32 stress" : null;
      case "velocities" -> tag != TypeTag.VEC3_F32 ? "float64 velocities" : null;
      default -> null;
    };
    return problem == null ? null : "record format 2 does not support " + problem;
  }
}
