package org.atomstore.io.mapping;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.atomstore.io.ase.internal.PyText;
import org.atomstore.io.mapping.SchemaSettler.FieldType;
import org.atomstore.model.Molecule;
import org.atomstore.model.TypeTag;
import org.atomstore.model.Value;
import org.atomstore.model.Values;

/**
 * The property types settled by a {@link SchemaSettler} for one output file: {@link #apply} converts a mapped frame
 * to them before it is written. Immutable; safe for any number of threads (the convert workers share one);
 * serializable, so distributed conversion ships one plan to every task.
 */
public final class SchemaPlan implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /** The plan that changes nothing (every key keeps the type it has). */
  public static final SchemaPlan NONE = new SchemaPlan(Map.of(), List.of());

  /** One key's settled type; {@code firstType}/{@code firstSeen} say what it was where it first appeared. */
  record Rule(String what, FieldType target, int group, String firstType, String firstSeen) implements java.io.Serializable {}

  private final Map<String, Rule> rules;
  private final List<String> warnings;

  SchemaPlan(Map<String, Rule> rules, List<String> warnings) {
    this.rules = Map.copyOf(rules);
    this.warnings = List.copyOf(warnings);
  }

  static String ruleKey(boolean perAtom, String key) {
    return (perAtom ? "a:" : "m:") + key;
  }

  /** What was unified, one line per key (e.g. numbers and strings stored as strings). */
  public List<String> warnings() { return warnings; }

  /** Whether some key changes type (the plan converts something). */
  public boolean isEmpty() { return rules.isEmpty(); }

  /**
   * Converts the frame's properties to the settled types, in place. Returns why the frame cannot be stored when a
   * property has a type with nothing in common with the key's settled one (e.g. a string where the key is an array
   * elsewhere): the message names the key and both types, and where the key was first seen.
   */
  public Optional<String> apply(Molecule m) {
    if (rules.isEmpty()) return Optional.empty();
    List<Object[]> changes = null;
    for (int scope = 0; scope < 2; scope++) {
      boolean perAtom = scope == 1;
      for (var e : (perAtom ? m.atomProperties() : m.properties()).entrySet()) {
        Rule rule = rules.get(ruleKey(perAtom, e.getKey()));
        if (rule == null) continue;
        FieldType t = FieldType.of(e.getValue(), perAtom);
        if (t.equals(rule.target())) continue;
        if (t.group() != rule.group() || rule.group() == FieldType.OTHER) {
          return Optional.of(rule.what() + " is " + t.describe(perAtom) + " here but " + rule.firstType() + " at "
              + rule.firstSeen() + "; the two have no common type");
        }
        Value v = convert(e.getValue(), rule.target());
        if (v == null) {
          return Optional.of(rule.what() + " is " + t.describe(perAtom) + " here but " + rule.firstType() + " at "
              + rule.firstSeen() + "; it cannot be converted without loss");
        }
        if (changes == null) changes = new ArrayList<>();
        changes.add(new Object[] {perAtom, e.getKey(), v});
      }
    }
    if (changes != null) {
      for (Object[] c : changes) {
        if ((Boolean) c[0]) m.atomProperty((String) c[1], (Value) c[2]);
        else m.property((String) c[1], (Value) c[2]);
      }
    }
    return Optional.empty();
  }

  // The value in the target type, or null when that would lose something.
  static Value convert(Value v, FieldType target) {
    int[] shape = v.shape();
    return switch (target.tag()) {
      case TypeTag.STRING -> switch (v) {
        case Value.Int64 i -> new Value.Text(Long.toString(i.value()));
        case Value.Float64 f -> new Value.Text(PyText.repr(f.value()));
        case Value.Float32 f -> new Value.Text(PyText.repr(f.value()));
        default -> null;
      };
      case TypeTag.FLOAT64 -> switch (v) {
        case Value.Int64 i -> Math.abs(i.value()) <= SchemaSettler.MAX_EXACT ? new Value.Float64(i.value()) : null;
        case Value.Float32 f -> new Value.Float64(f.value());
        default -> null;
      };
      case TypeTag.F64_ARRAY -> new Value.Float64Array(doubles(v));
      case TypeTag.VEC3_F64 -> new Value.Vec3Float64(doubles(v));
      case TypeTag.MAT3_F64 -> new Value.Mat3Float64(doubles(v));
      case TypeTag.TENSOR_F64 -> new Value.TensorFloat64(shape, doubles(v));
      case TypeTag.I64_ARRAY -> integers(v) == null ? null : new Value.Int64Array(integers(v));
      case TypeTag.TENSOR_I64 -> integers(v) == null ? null : new Value.TensorInt64(shape, integers(v));
      case TypeTag.I32_ARRAY -> integers(v) == null ? null : new Value.Int32Array(ints(v));
      case TypeTag.TENSOR_I32 -> integers(v) == null ? null : new Value.TensorInt32(shape, ints(v));
      default -> null;
    };
  }

  private static double[] doubles(Value v) {
    long[] l = integers(v);
    if (l == null) return Values.toDoubles(v).clone();
    double[] d = new double[l.length];
    for (int i = 0; i < l.length; i++) d[i] = l[i];
    return d;
  }

  private static int[] ints(Value v) {
    long[] l = integers(v);
    int[] out = new int[l.length];
    for (int i = 0; i < l.length; i++) out[i] = (int) l[i];
    return out;
  }

  // The elements of an integer-valued array, or null for a float-valued one.
  private static long[] integers(Value v) {
    return switch (v) {
      case Value.Int64Array a -> a.values().clone();
      case Value.TensorInt64 t -> t.values().clone();
      case Value.Int32Array a -> widen(a.values());
      case Value.TensorInt32 t -> widen(t.values());
      case Value.Bool3 b -> new long[] {b.a() ? 1 : 0, b.b() ? 1 : 0, b.c() ? 1 : 0};
      default -> null;
    };
  }

  private static long[] widen(int[] v) {
    long[] l = new long[v.length];
    for (int i = 0; i < v.length; i++) l[i] = v[i];
    return l;
  }
}
