package org.atomstore.data.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.atomstore.data.Complex;
import org.atomstore.data.NumpyScalar;
import org.atomstore.data.ObjectTable;
import org.atomstore.model.BuiltinField;
import org.atomstore.model.NdArray;
import org.atomstore.table.Table;
import org.atomstore.table.TableSchema;
import org.atomstore.table.TableSchema.Field;
import org.atomstore.table.TableSchema.Scope;

/** The schema model of an object table: its keys, typed by the values of its first rows. Stateless. */
public final class RowSchemas {
  private RowSchemas() {}

  /** The builtin each asebytes key holds under Atompack's ASE mapping. */
  private static final Map<String, BuiltinField> BUILTINS = Map.of(
      "arrays.positions", BuiltinField.POSITIONS,
      "arrays.numbers", BuiltinField.ATOMIC_NUMBERS,
      "cell", BuiltinField.CELL,
      "pbc", BuiltinField.PBC,
      "calc.energy", BuiltinField.ENERGY,
      "calc.forces", BuiltinField.FORCES,
      "calc.stress", BuiltinField.STRESS,
      "info.name", BuiltinField.NAME,
      "arrays.initial_charges", BuiltinField.CHARGES,
      "arrays.velocities", BuiltinField.VELOCITIES);

  /**
   * One field per key of {@link ObjectTable#keys()}, in that order: {@code arrays.*} per atom (first dimension
   * {@link TableSchema#ATOMS}), the others per structure; dtype and shape from the values of the first rows
   * ({@code |O} and no shape for a key none of them holds).
   */
  public static TableSchema of(ObjectTable t) throws IOException {
    Map<String, Field> out = new LinkedHashMap<>();
    List<String> keys = t.keys();
    long n = Math.min(t.size(), Table.SCHEMA_SAMPLE_ROWS);
    for (long i = 0; i < n; i++) {
      Map<String, Object> row = t.get(i);
      if (row == null) continue;
      for (var e : row.entrySet()) {
        if (e.getValue() == null) continue;
        Field f = field(e.getKey(), e.getValue());
        out.merge(e.getKey(), f, TableSchema::ofFields);
      }
    }
    List<Field> fields = new ArrayList<>();
    for (String k : keys) {
      Field f = out.remove(k);
      fields.add(f != null ? f : new Field(k, scope(k), "|O", List.of(), BUILTINS.get(k)));
    }
    fields.addAll(out.values());
    return new TableSchema(fields);
  }

  private static Scope scope(String key) {
    return key.startsWith("arrays.") ? Scope.ATOM : Scope.STRUCTURE;
  }

  /** The field of one value under one key. */
  public static Field field(String key, Object v) {
    Scope scope = scope(key);
    BuiltinField b = BUILTINS.get(key);
    String dtype;
    List<Integer> shape = new ArrayList<>();
    switch (v) {
      case NdArray a -> {
        dtype = a.dtype();
        for (long d : a.shape()) shape.add((int) Math.min(d, Integer.MAX_VALUE));
        if (scope == Scope.ATOM && !shape.isEmpty()) shape.set(0, TableSchema.ATOMS);
      }
      case NumpyScalar s -> dtype = s.dtype();
      case Double d -> dtype = "<f8";
      case Long l -> dtype = "<i8";
      case BigInteger x -> dtype = "<u8";
      case Boolean x -> dtype = "|b1";
      case Complex c -> dtype = "<c16";
      default -> dtype = "|O";
    }
    return new Field(key, scope, dtype, shape, b);
  }
}
