package org.atomstore.model;

/** The section type tags of the Atompack record format, and facts about them. */
public final class TypeTag {
  public static final int FLOAT64 = 0;
  public static final int INT64 = 1;
  public static final int STRING = 2;
  public static final int F64_ARRAY = 3;
  public static final int VEC3_F32 = 4;
  public static final int I64_ARRAY = 5;
  public static final int F32_ARRAY = 6;
  public static final int VEC3_F64 = 7;
  public static final int I32_ARRAY = 8;
  public static final int BOOL3 = 9;
  public static final int MAT3_F64 = 10;
  public static final int FLOAT32 = 11;
  public static final int MAT3_F32 = 12;
  public static final int NONE = 13;
  public static final int TENSOR_F32 = 14;
  public static final int TENSOR_F64 = 15;
  public static final int TENSOR_I32 = 16;
  public static final int TENSOR_I64 = 17;
  public static final int MAX = 17;

  private TypeTag() {}

  /** Bytes per element as the schema blob records them ({@code elem_bytes}); -1 for an unknown tag. */
  public static int elementBytes(int tag) {
    return switch (tag) {
      case NONE, STRING -> 0;
      case FLOAT64, INT64, F64_ARRAY, I64_ARRAY, TENSOR_F64, TENSOR_I64 -> 8;
      case F32_ARRAY, FLOAT32, TENSOR_F32, TENSOR_I32, I32_ARRAY -> 4;
      case VEC3_F32 -> 12;
      case VEC3_F64 -> 24;
      case BOOL3 -> 3;
      case MAT3_F64 -> 72;
      case MAT3_F32 -> 36;
      default -> -1;
    };
  }

  /**
   * The type tag a custom (atom or molecule) property holding a value of this tag is stored with. The reference
   * Atompack 0.4.0 reads tags 0-8 and 13-17 in a custom property and fails "Unknown type tag" on the others, so
   * those are stored as Atompack's own Python API stores the equivalent NumPy value: a 3x3 matrix (10, 12) as a
   * vec3 array of three rows (7, 4; shape {@code [3, 3]}, the same bytes), a float32 scalar (11) as a float64
   * scalar (0, widened exactly). A bool triple (9) has no custom form (the Python API refuses bool arrays): -1.
   * Builtins keep their own tags.
   */
  public static int customTag(int tag) {
    return switch (tag) {
      case MAT3_F64 -> VEC3_F64;
      case MAT3_F32 -> VEC3_F32;
      case FLOAT32 -> FLOAT64;
      case BOOL3 -> -1;
      default -> tag;
    };
  }

  public static boolean isTensor(int tag) {
    return tag >= TENSOR_F32 && tag <= TENSOR_I64;
  }

  public static boolean isKnown(int tag) {
    return tag >= 0 && tag <= MAX;
  }

  /** The dtype name used in dumps: float32, float64, int32, int64, uint8, bool, string, none. */
  public static String dtype(int tag) {
    return switch (tag) {
      case FLOAT64, F64_ARRAY, VEC3_F64, MAT3_F64, TENSOR_F64 -> "float64";
      case FLOAT32, F32_ARRAY, VEC3_F32, MAT3_F32, TENSOR_F32 -> "float32";
      case INT64, I64_ARRAY, TENSOR_I64 -> "int64";
      case I32_ARRAY, TENSOR_I32 -> "int32";
      case BOOL3 -> "bool";
      case STRING -> "string";
      case NONE -> "none";
      default -> "unknown";
    };
  }
}
