package org.atomstore.format.v3;

import org.atomstore.format.RecordFormat;
import org.atomstore.model.BuiltinField;

/** Record format 3: the positions type comes from the schema blob; builtins may be float32 or float64. */
public final class RecordFormatV3 implements RecordFormat {
  public static final RecordFormatV3 INSTANCE = new RecordFormatV3();

  private RecordFormatV3() {}

  @Override public int number() { return 3; }

  @Override
  public String positionsTypeProblem(int schemaPositionsType) {
    return schemaPositionsType < 0 ? "missing positions dtype for record format 3" : null;
  }

  @Override
  public int positionsType(int schemaPositionsType) {
    String problem = positionsTypeProblem(schemaPositionsType);
    if (problem != null) throw new IllegalArgumentException(problem);
    return schemaPositionsType;
  }

  @Override public String problem(BuiltinField field, int typeTag) { return null; }
}
