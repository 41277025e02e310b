package org.atomstore.format;

import java.util.List;
import org.atomstore.format.v2.RecordFormatV2;
import org.atomstore.format.v3.RecordFormatV3;
import org.atomstore.model.BuiltinField;

/**
 * A record format version: which dtypes builtin fields may have and how the positions type is found.
 * Both versions share the record layout of {@link RecordEncoder}; version 2 fixes float32 positions and
 * the original builtin dtypes ({@link BuiltinField#format2Holds}), version 3 takes the positions type from the
 * schema and any float type. Stateless singletons.
 */
public interface RecordFormat {

  int number();

  /**
   * Why records of this format cannot be read with the schema's positions type tag (or -1 for none), or null
   * when they can: what a reader asks, since a file may hold such a header (the reference opens it when it
   * holds no molecule).
   */
  String positionsTypeProblem(int schemaPositionsType);

  /**
   * The positions type tag for records of this format, given the one from the schema (or -1).
   *
   * @throws IllegalArgumentException when {@link #positionsTypeProblem} names a problem (caller misuse)
   */
  int positionsType(int schemaPositionsType);

  /** Why this format cannot hold the field with this type tag, or null when it can. */
  String problem(BuiltinField field, int typeTag);

  /** Why this format cannot hold the builtin section with this key and type tag, or null when it can (or no builtin has the key). */
  default String builtinProblem(String key, int typeTag) {
    BuiltinField f = BuiltinField.section(key);
    return f == null ? null : problem(f, typeTag);
  }

  /** Why this format cannot hold a record with these positions and schema entries, or null when it can. */
  default String problem(int positionsType, List<Schema.Entry> entries) {
    String p = problem(BuiltinField.POSITIONS, positionsType);
    for (int i = 0; p == null && i < entries.size(); i++) {
      Schema.Entry e = entries.get(i);
      BuiltinField f = e.kind() == AtpLayout.KIND_BUILTIN ? BuiltinField.section(e.key()) : null;
      if (f != null) p = problem(f, e.typeTag());
    }
    return p;
  }

  static RecordFormat of(int number) {
    return switch (number) {
      case 2 -> RecordFormatV2.INSTANCE;
      case 3 -> RecordFormatV3.INSTANCE;
      default -> throw new IllegalArgumentException("unsupported record format " + number);
    };
  }

  static boolean isSupported(int number) {
    return number == 2 || number == 3;
  }
}
