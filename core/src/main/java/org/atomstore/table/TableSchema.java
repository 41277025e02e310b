package org.atomstore.table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.atomstore.model.BuiltinField;
import org.atomstore.model.Molecule;
import org.atomstore.model.TypeTag;
import org.atomstore.model.Value;
import org.atomstore.store.FileSchema;

/**
 * The fields of a table (DESIGN seam 3): one immutable description per field, whatever the table's format. The
 * {@code .atp} schema blob ({@link #of(FileSchema)}), a dataset manifest's schema summary, an object table's keys
 * and values and the first rows of any table ({@link #ofMolecules}) all give one. Immutable; shareable by any
 * number of threads.
 *
 * @param fields in the order the source lists them (builtins first where the source has them)
 */
public record TableSchema(List<Field> fields) {

  /** A table that says nothing about its fields (no rows, no schema). */
  public static final TableSchema EMPTY = new TableSchema(List.of());

  /** Marks the per-atom dimension of a shape (its length is the structure's atom count). */
  public static final int ATOMS = -1;
  /** Marks a dimension (or, for a tensor of unknown rank, the trailing dimensions) whose length varies by row. */
  public static final int VARIES = -2;

  public TableSchema {
    fields = List.copyOf(fields);
  }

  /** Whether the field belongs to the whole structure or has one row per atom. */
  public enum Scope { STRUCTURE, ATOM }

  /**
   * One field.
   *
   * @param name the key ({@code energy}, {@code positions}, a custom key, or an object-tier key such as {@code calc.energy})
   * @param scope per structure or per atom
   * @param dtype NumPy's {@code dtype.str} ({@code <f8}, {@code <f4}, {@code <i8}, {@code <i4}, {@code |b1},
   *     {@code |u1}); {@code |O} for text and other Python objects
   * @param shape dimensions, {@link #ATOMS} marking the per-atom one, {@link #VARIES} one that varies; empty for a scalar
   * @param builtin the Atompack builtin this field is, or null for a custom field
   */
  public record Field(String name, Scope scope, String dtype, List<Integer> shape, BuiltinField builtin) {
    public Field {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(scope, "scope");
      Objects.requireNonNull(dtype, "dtype");
      shape = List.copyOf(shape);
    }

    public boolean isBuiltin() { return builtin != null; }

    public boolean perAtom() { return scope == Scope.ATOM; }

    /** This field widened to hold {@code other} too: differing dimensions become {@link #VARIES}. */
    Field merge(Field other) {
      if (equals(other)) return this;
      String dt = dtype.equals(other.dtype) ? dtype : widerDtype(dtype, other.dtype);
      List<Integer> s;
      if (shape.size() != other.shape.size()) {
        s = List.of(perAtom() ? ATOMS : VARIES, VARIES);
      } else {
        s = new ArrayList<>(shape);
        for (int i = 0; i < s.size(); i++) if (!s.get(i).equals(other.shape.get(i))) s.set(i, VARIES);
      }
      return new Field(name, scope, dt, s, builtin);
    }
  }

  /** The field named {@code name}, if the table has it. */
  public Optional<Field> field(String name) {
    for (Field f : fields) if (f.name.equals(name)) return Optional.of(f);
    return Optional.empty();
  }

  /** The field names, in order. */
  public List<String> names() {
    return fields.stream().map(Field::name).toList();
  }

  public boolean isEmpty() { return fields.isEmpty(); }

  /** The schema an {@code .atp} file's schema blob describes: positions and atomic numbers, then its sections. */
  public static TableSchema of(FileSchema s) {
    if (s.isEmpty()) return EMPTY;
    List<Field> out = new ArrayList<>();
    if (s.positionsType() >= 0) {
      out.add(field(BuiltinField.POSITIONS.key(), true, s.positionsType()));
      out.add(field(BuiltinField.ATOMIC_NUMBERS.key(), true, -1));
    }
    for (FileSchema.Field f : s.fields()) {
      if (f.kind() == FileSchema.KIND_BUILTIN || f.kind() == FileSchema.KIND_ATOM_PROPERTY || f.kind() == FileSchema.KIND_MOLECULE_PROPERTY) {
        out.add(field(f.key(), f.perAtom(), f.typeTag()));
      }
    }
    return new TableSchema(out);
  }

  /**
   * A field as an {@code .atp} file stores it: its key, whether it has a row per atom, its type tag (for
   * atomic numbers any). Builtins are recognised by key; their scope is the builtin's own.
   */
  public static Field field(String key, boolean perAtom, int typeTag) {
    BuiltinField b = BuiltinField.of(key);
    boolean atom = b != null ? b.perAtom() : perAtom;
    Scope scope = atom ? Scope.ATOM : Scope.STRUCTURE;
    if (b == BuiltinField.ATOMIC_NUMBERS) return new Field(key, scope, "|u1", List.of(ATOMS), b);
    if (b == BuiltinField.NAME) return new Field(key, scope, "|O", List.of(), b);
    if (b == BuiltinField.PBC) return new Field(key, scope, "|b1", List.of(3), b);
    int lead = atom ? ATOMS : VARIES;
    List<Integer> shape = switch (typeTag) {
      case TypeTag.FLOAT64, TypeTag.FLOAT32, TypeTag.INT64, TypeTag.STRING, TypeTag.NONE -> atom ? List.of(ATOMS) : List.of();
      case TypeTag.F64_ARRAY, TypeTag.F32_ARRAY, TypeTag.I64_ARRAY, TypeTag.I32_ARRAY -> List.of(lead);
      case TypeTag.VEC3_F32, TypeTag.VEC3_F64 -> List.of(lead, 3);
      case TypeTag.MAT3_F32, TypeTag.MAT3_F64 -> List.of(3, 3);
      case TypeTag.BOOL3 -> List.of(3);
      default -> List.of(lead, VARIES); // tensors: the rank varies by row
    };
    return new Field(key, scope, dtypeOf(typeTag), shape, b);
  }

  /** The field a value of a molecule describes, with its real dimensions (the per-atom one marked). */
  public static Field field(String key, boolean perAtom, Value v) {
    Field f = field(key, perAtom, v.typeTag());
    if (v instanceof Value.Null || f.builtin == BuiltinField.NAME || f.builtin == BuiltinField.PBC) return f;
    int[] dims = v.shape();
    List<Integer> shape = new ArrayList<>(dims.length);
    for (int d : dims) shape.add(d);
    if (v instanceof Value.Mat3Float32 || v instanceof Value.Mat3Float64) shape = List.of(3, 3);
    if (f.perAtom()) {
      if (shape.isEmpty()) shape.add(ATOMS);
      else shape.set(0, ATOMS);
    }
    return new Field(key, f.scope, f.dtype, shape, f.builtin);
  }

  /** NumPy's {@code dtype.str} of a type tag's elements; {@code |O} for text and None. */
  public static String dtypeOf(int typeTag) {
    return switch (TypeTag.dtype(typeTag)) {
      case "float64" -> "<f8";
      case "float32" -> "<f4";
      case "int64" -> "<i8";
      case "int32" -> "<i4";
      case "bool" -> "|b1";
      default -> "|O";
    };
  }

  /**
   * The union of the fields of {@code molecules} (the first rows of a table): positions, atomic numbers, the
   * builtins they hold, then their custom properties in key order. A field whose dimensions differ between
   * molecules has them marked {@link #VARIES}.
   */
  public static TableSchema ofMolecules(Iterable<Molecule> molecules) {
    Map<String, Field> out = new LinkedHashMap<>();
    for (Molecule m : molecules) {
      if (m == null) continue;
      if (m.positions() != null) add(out, field(BuiltinField.POSITIONS.key(), true, m.positions()));
      if (m.atomicNumbers() != null) add(out, field(BuiltinField.ATOMIC_NUMBERS.key(), true, -1));
      for (BuiltinField b : BuiltinField.SECTIONS) {
        Value v = m.builtin(b);
        if (v != null) add(out, field(b.key(), b.perAtom(), v));
      }
      m.atomProperties().forEach((k, v) -> add(out, field(k, true, v)));
      m.properties().forEach((k, v) -> add(out, field(k, false, v)));
    }
    return new TableSchema(new ArrayList<>(out.values()));
  }

  /** One field that holds both (the same name): differing dimensions marked {@link #VARIES}, a dtype that holds both. */
  public static Field ofFields(Field a, Field b) {
    return a.merge(b);
  }

  private static void add(Map<String, Field> out, Field f) {
    out.merge(f.name(), f, Field::merge);
  }

  /** Of two numeric dtypes, the one that holds both (float64 over any float, int64 over int32); else {@code |O}. */
  static String widerDtype(String a, String b) {
    char ka = a.charAt(1), kb = b.charAt(1);
    if (ka == 'f' || kb == 'f') return (ka == 'f' || ka == 'i') && (kb == 'f' || kb == 'i') ? "<f8" : "|O";
    if (ka == 'i' && kb == 'i') return "<i8";
    return "|O";
  }
}
