package org.atomstore.model;

import java.util.List;

/**
 * The builtin fields of an Atompack record, and everything known about them: their key, whether they hold one
 * row per atom, the type tags the reference Atompack 0.4.0 reads for them, and the one tag record format 2
 * allows. This enum is the only place that knows the builtin fields; the writer, the schema, the record
 * formats, the reader and the field projections ask it.
 *
 * <p>The record header holds {@link #POSITIONS} and {@link #ATOMIC_NUMBERS}; the other eight are sections,
 * declared in the fixed order the reference writes them (not sorted: charges comes before cell), and their
 * {@link #ordinal()} is their section id.
 * Immutable; shareable by any number of threads.
 */
public enum BuiltinField {
  CHARGES("charges", true, 1, TypeTag.F64_ARRAY, TypeTag.F32_ARRAY, TypeTag.F64_ARRAY),
  CELL("cell", false, 9, TypeTag.MAT3_F64, TypeTag.MAT3_F32, TypeTag.MAT3_F64),
  ENERGY("energy", false, 1, TypeTag.FLOAT64, TypeTag.FLOAT32, TypeTag.FLOAT64),
  FORCES("forces", true, 3, TypeTag.VEC3_F64, TypeTag.VEC3_F32, TypeTag.VEC3_F32),
  /** The reference reads any tag here and takes the payload as UTF-8; Atomstore writes tag 2. */
  NAME("name", false, 1, TypeTag.STRING, TypeTag.STRING, BuiltinField.ANY),
  /** The reference reads any tag here and takes the first three payload bytes; Atomstore writes tag 9. */
  PBC("pbc", false, 3, TypeTag.BOOL3, TypeTag.BOOL3, BuiltinField.ANY),
  STRESS("stress", false, 9, TypeTag.MAT3_F64, TypeTag.MAT3_F32, TypeTag.MAT3_F64),
  VELOCITIES("velocities", true, 3, TypeTag.VEC3_F64, TypeTag.VEC3_F32, TypeTag.VEC3_F32),
  /** In the record header, not a section: float32 or float64 (format 3 only). */
  POSITIONS("positions", true, 3, TypeTag.VEC3_F64, TypeTag.VEC3_F32, TypeTag.VEC3_F32),
  /** In the record header, not a section: one unsigned byte per atom, no type tag. */
  ATOMIC_NUMBERS("atomic_numbers", true, 1, BuiltinField.ANY, BuiltinField.ANY, BuiltinField.ANY);

  /** The eight builtin sections, indexed by section id. */
  public static final List<BuiltinField> SECTIONS = List.of(CHARGES, CELL, ENERGY, FORCES, NAME, PBC, STRESS, VELOCITIES);

  private static final BuiltinField[] BY_ID = SECTIONS.toArray(new BuiltinField[0]);

  private final String key;
  private final boolean perAtom;
  private final int width;
  private final int float64Tag;
  private final int float32Tag;
  private final int format2Tag;

  BuiltinField(String key, boolean perAtom, int width, int float64Tag, int float32Tag, int format2Tag) {
    this.key = key;
    this.perAtom = perAtom;
    this.width = width;
    this.float64Tag = float64Tag;
    this.float32Tag = float32Tag;
    this.format2Tag = format2Tag;
  }

  /** The key as records and field projections spell it. */
  public String key() { return key; }

  /** Whether the field holds one row per atom (the schema's {@code per_atom}). */
  public boolean perAtom() { return perAtom; }

  /**
   * Values per row: per atom for a per-atom field, per molecule otherwise. 9 for a 3x3 matrix (cell, stress,
   * row-major), 3 for a vector (positions, forces, velocities) or pbc's three flags, 1 for a scalar, a charge, an
   * atomic number or the name (one string).
   */
  public int width() { return width; }

  /** Whether the field is a section of the record (all but positions and atomic numbers). */
  public boolean isSection() { return ordinal() < BY_ID.length; }

  /** The section id (0..7), the index in {@link #SECTIONS}. */
  public int id() { return ordinal(); }

  /** The section with this id; ids come from {@link #id()} (0..7). */
  public static BuiltinField ofId(int id) { return BY_ID[id]; }

  /** The builtin section with this key, or null when the key names none. */
  public static BuiltinField section(String key) {
    for (BuiltinField f : BY_ID) if (f.key.equals(key)) return f;
    return null;
  }

  /** The field with this key (sections, positions and atomic numbers), or null. */
  public static BuiltinField of(String key) {
    for (BuiltinField f : values()) if (f.key.equals(key)) return f;
    return null;
  }

  /** The type tag of this field stored as float64 ({@code true}) or float32; name and pbc have one tag. */
  public int tag(boolean float64) { return float64 ? float64Tag : float32Tag; }

  /** Whether Atomstore writes this field with this tag (each such tag is one the reference reads here). */
  public boolean writes(int tag) { return tag >= 0 && (tag == float64Tag || tag == float32Tag); }

  /** Whether record format 2 holds this field with this tag (cheap: asked for every record). */
  public boolean format2Holds(int tag) { return format2Tag == ANY || tag == format2Tag; }

  /**
   * Whether a section of this field with this type tag and payload size is one the reference reads for
   * {@code atomCount} atoms (what a reader accepts).
   */
  public boolean reads(int tag, long payloadLength, int atomCount) {
    return switch (this) {
      case ENERGY, CELL, STRESS -> writes(tag) && payloadLength == TypeTag.elementBytes(tag);
      case FORCES, VELOCITIES, CHARGES, POSITIONS -> writes(tag) && payloadLength == (long) TypeTag.elementBytes(tag) * atomCount;
      case PBC -> payloadLength >= 3;
      case NAME, ATOMIC_NUMBERS -> true;
    };
  }

  /** Why record format 2 cannot hold this field with this tag, or null when it can. */
  public String format2Problem(int tag) {
    if (format2Holds(tag)) return null;
    return "record format 2 does not support " + TypeTag.dtype(tag) + " " + key;
  }

  /** Checks a value the writer is given for this field; throws IllegalArgumentException naming the problem. */
  public void checkWritable(int tag) {
    if (!writes(tag)) {
      throw new IllegalArgumentException("builtin '" + key + "' cannot hold type tag " + tag + " (" + TypeTag.dtype(tag) + ")");
    }
  }

  /** Marks a field record format 2 does not restrict (a constant variable: the constants above use it). */
  private static final int ANY = -1;
}
