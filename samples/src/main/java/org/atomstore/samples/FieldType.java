package org.atomstore.samples;

/**
 * The type of one sample field as atdata's schema names it: a primitive ({@code int}, {@code float},
 * {@code str}, {@code bool}, {@code bytes}), an NDArray, or a list of either.
 */
public sealed interface FieldType {

  /** atdata's primitive names. */
  enum Primitive { INT, FLOAT, STR, BOOL, BYTES;
    /** The name atdata's schema record uses ({@code int}, {@code float}, ...). */
    public String atdataName() { return name().toLowerCase(java.util.Locale.ROOT); }
  }

  /** A scalar: {@code local#primitive}. */
  record Scalar(Primitive primitive) implements FieldType {}

  /** An NDArray: {@code local#ndarray} (dtype and shape travel with each value). */
  record Array() implements FieldType {}

  /** A list: {@code local#array} of {@code items}. */
  record ListOf(FieldType items) implements FieldType {}
}
