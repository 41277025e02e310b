package org.atomstore.format;

import org.atomstore.format.v2.RecordFormatV2;
import org.atomstore.format.v3.RecordFormatV3;

/**
 * A record format version: which dtypes builtin fields may have and how the positions type is found.
 * Both versions share the record layout of {@link RecordEncoder}; version 2 fixes float32 positions and
 * the original builtin dtypes, version 3 takes the positions type from the schema and any float type.
 */
public interface RecordFormat {

  int number();

  /**
   * The positions type tag for records of this format, given the one from the schema (or -1).
   *
   * @throws IllegalArgumentException when the schema's type is not allowed or missing
   */
  int positionsType(int schemaPositionsType);

  /** Checks a builtin field's type tag; throws IllegalArgumentException naming the problem. */
  void checkBuiltin(String key, int typeTag);

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
