package org.atomstore.format.v2;

import org.atomstore.format.RecordFormat;
import org.atomstore.model.BuiltinField;
import org.atomstore.model.TypeTag;

/**
 * Record format 2: float32 positions; charges f64, cell f64, energy f64, forces f32, stress f64, velocities f32
 * (the tags {@link BuiltinField#format2Holds} accepts).
 */
public final class RecordFormatV2 implements RecordFormat {
  public static final RecordFormatV2 INSTANCE = new RecordFormatV2();

  private RecordFormatV2() {}

  @Override public int number() { return 2; }

  @Override
  public String positionsTypeProblem(int schemaPositionsType) {
    return schemaPositionsType < 0 ? null : problem(BuiltinField.POSITIONS, schemaPositionsType);
  }

  @Override
  public int positionsType(int schemaPositionsType) {
    String problem = positionsTypeProblem(schemaPositionsType);
    if (problem != null) throw new IllegalArgumentException(problem);
    return TypeTag.VEC3_F32;
  }

  @Override
  public String problem(BuiltinField field, int typeTag) {
    return field.format2Problem(typeTag);
  }
}
