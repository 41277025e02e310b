package org.atomstore.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.atomstore.format.AtpLayout;
import org.atomstore.format.Schema;

/**
 * The schema of an {@code .atp} file as a value: the positions type and, for every section key the file's
 * records use, its kind, type tag and size rule, in on-disk order (by kind, then by the key's UTF-8 bytes).
 * Immutable, so it may be shared by any number of threads; {@link AtpReader#fileSchema()} returns one.
 *
 * @param positionsType the positions type tag (4 float32, 7 float64), or -1 when the file fixes none
 * @param fields the sections, in on-disk order
 */
public record FileSchema(int positionsType, List<Field> fields) {

  /** Section kind of the builtin fields (cell, energy, forces, ...). */
  public static final int KIND_BUILTIN = AtpLayout.KIND_BUILTIN;
  /** Section kind of custom per-atom properties. */
  public static final int KIND_ATOM_PROPERTY = AtpLayout.KIND_ATOM_PROPERTY;
  /** Section kind of custom per-molecule properties. */
  public static final int KIND_MOLECULE_PROPERTY = AtpLayout.KIND_MOLECULE_PROPERTY;

  public FileSchema {
    fields = List.copyOf(fields);
  }

  /**
   * One section's rule.
   *
   * @param kind {@link #KIND_BUILTIN}, {@link #KIND_ATOM_PROPERTY}, {@link #KIND_MOLECULE_PROPERTY} or another
   *     kind a later format may add
   * @param key the field name
   * @param typeTag the on-disk type tag ({@link org.atomstore.model.TypeTag})
   * @param perAtom whether the field has one value per atom
   * @param elemBytes bytes of one element
   * @param slotBytes the fixed size of the section per atom or per molecule; 0 where it varies (strings, null,
   *     tensors)
   */
  public record Field(int kind, String key, int typeTag, boolean perAtom, long elemBytes, long slotBytes) {
    /** {@code builtin}, {@code atom_property}, {@code molecule_property} or {@code unknown}. */
    public String kindName() { return AtpLayout.kindName(kind); }
  }

  /** Whether the file fixes no positions type and has no sections. */
  public boolean isEmpty() { return positionsType < 0 && fields.isEmpty(); }

  /** A snapshot of {@code schema}; empty for null (no schema blob). */
  static Optional<FileSchema> of(Schema schema) {
    if (schema == null) return Optional.empty();
    List<Field> out = new ArrayList<>();
    for (Schema.Entry e : schema.entries()) {
      out.add(new Field(e.kind(), e.key(), e.typeTag(), e.perAtom(), e.elemBytes(), e.slotBytes()));
    }
    return Optional.of(new FileSchema(schema.positionsType(), out));
  }
}
