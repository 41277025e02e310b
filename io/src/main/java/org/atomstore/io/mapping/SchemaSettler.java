package org.atomstore.io.mapping;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.atomstore.model.Molecule;
import org.atomstore.model.TypeTag;
import org.atomstore.model.Value;

/**
 * Settles one type per property key over all the frames that go into one {@code .atp} file, so that a key whose
 * type changes between frames (an info value {@code 20} in one frame and {@code mol} in another, a per-atom
 * {@code R:2} column that is {@code R:3} elsewhere) is stored with one type instead of stopping the writer.
 *
 * <p>Feed it every mapped frame with {@link #observe}, then {@link #settle()} gives the {@link SchemaPlan} that
 * converts each frame before it is written. The rules (also in {@code io/README.md}), per key and scope (molecule
 * property or per-atom property), over the types the key has in all frames:
 *
 * <ul>
 *   <li>one type everywhere: kept as it is;</li>
 *   <li>integers and floats: floats (Float64), when every integer is exact as a double (|v| &lt;= 2^53);</li>
 *   <li>numbers and strings (or integers too large for a double beside floats): strings, the numbers written as
 *       Python's {@code str()} writes them, with one warning naming the key and the frames that held numbers;</li>
 *   <li>numeric arrays (fixed arrays, vectors, 3x3 matrices, tensors, per-atom columns of any width): one element
 *       type (float64 when any is a float, else int64 when any is int64, else int32) and, when the shapes differ,
 *       a tensor of that element type keeping each frame's own shape (a per-atom {@code R:2} column beside an
 *       {@code R:3} one: float64 tensors of shape n x 2 and n x 3);</li>
 *   <li>anything else (a string beside an array, a scalar beside an array, None beside a value) has no common
 *       type: the type the key has first wins, and {@link SchemaPlan#apply} reports each frame that disagrees.</li>
 * </ul>
 *
 * A settler belongs to one thread; the plan it gives is immutable and may be shared by any number of threads.
 * Serializable, so that the parts of one conversion can each be surveyed apart and joined in order
 * ({@link #append}).
 */
public final class SchemaSettler implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /** Exact integers in a double: |v| <= 2^53. */
  static final long MAX_EXACT = 1L << 53;
  private static final int MAX_RANGES = 8;

  private final Map<String, Survey> molecule = new LinkedHashMap<>();
  private final Map<String, Survey> atom = new LinkedHashMap<>();
  private long frames;

  /** A settler that has observed no frame. */
  public SchemaSettler() {}

  /**
   * Records the types of one frame's properties; {@code where} names it in messages (e.g. {@code a.xyz:12}).
   * Returns false when a key of this frame has had more than one type so far (the plan will not be empty).
   */
  public boolean observe(Molecule m, String where) {
    long frame = ++frames;
    boolean same = true;
    for (var e : m.properties().entrySet()) same &= observe(molecule, e.getKey(), FieldType.of(e.getValue(), false), e.getValue(), frame, where);
    for (var e : m.atomProperties().entrySet()) same &= observe(atom, e.getKey(), FieldType.of(e.getValue(), true), e.getValue(), frame, where);
    return same;
  }

  private static boolean observe(Map<String, Survey> map, String key, FieldType t, Value v, long frame, String where) {
    Survey s = map.get(key);
    if (s == null) map.put(key, s = new Survey());
    s.add(t, v, frame, where);
    return s.types.size() == 1;
  }

  /**
   * Adds what {@code later} observed, as if its frames had been observed here after this settler's own: the
   * settled plan is the one a single settler fed all frames in that order gives.
   */
  public void append(SchemaSettler later) {
    append(later, UnaryOperator.identity());
  }

  /**
   * As {@link #append(SchemaSettler)}, with each place {@code later} names ({@code where} of {@link #observe})
   * renamed by {@code where}: a part surveyed apart may have counted its lines from its own start.
   */
  public void append(SchemaSettler later, UnaryOperator<String> where) {
    long shift = frames;
    for (var e : later.molecule.entrySet()) molecule.computeIfAbsent(e.getKey(), k -> new Survey()).append(e.getValue(), shift, where);
    for (var e : later.atom.entrySet()) atom.computeIfAbsent(e.getKey(), k -> new Survey()).append(e.getValue(), shift, where);
    frames += later.frames;
  }

  /** Frames observed so far. */
  public long frames() { return frames; }

  /** The plan for the frames observed; its warnings say what was unified. */
  public SchemaPlan settle() {
    var rules = new HashMap<String, SchemaPlan.Rule>();
    var warnings = new ArrayList<String>();
    for (var e : molecule.entrySet()) settle(e.getKey(), e.getValue(), false, rules, warnings);
    for (var e : atom.entrySet()) settle(e.getKey(), e.getValue(), true, rules, warnings);
    return new SchemaPlan(rules, warnings);
  }

  private static void settle(String key, Survey s, boolean perAtom, Map<String, SchemaPlan.Rule> rules, List<String> warnings) {
    if (s.types.size() == 1) return; // one type everywhere: nothing to do
    FieldType first = s.types.keySet().iterator().next();
    int group = first.group();
    var compatible = new ArrayList<FieldType>();
    for (FieldType t : s.types.keySet()) if (t.group() == group) compatible.add(t);
    FieldType target = switch (group) {
      case FieldType.SCALAR -> scalarTarget(compatible, s.inexactInt);
      case FieldType.NUMERIC -> numericTarget(compatible, s.inexactInt, perAtom);
      default -> first;
    };
    String what = (perAtom ? "per-atom property '" : "property '") + key + "'";
    if (target == null) { // integers too large for a float: keep the first type, the rest disagree
      target = first;
    } else if (target.tag() == TypeTag.STRING && compatible.size() > 1) {
      var numbers = new ArrayList<String>();
      for (FieldType t : compatible) if (t.tag() != TypeTag.STRING) numbers.add(s.types.get(t).frames());
      warnings.add(what + " holds numbers in frame(s) " + String.join(", ", numbers)
          + " and strings in others: all stored as strings");
    }
    String firstSeen = s.types.get(first).firstWhere;
    rules.put(SchemaPlan.ruleKey(perAtom, key), new SchemaPlan.Rule(what, target, group, first.describe(perAtom), firstSeen));
  }

  /**
   * The type these rules settle a key to when it holds {@code first} (seen first) and {@code other}, of which
   * {@code otherValue} is one; null when they have no common type (the first then wins and {@code other} disagrees).
   */
  static FieldType pairTarget(FieldType first, FieldType other, Value otherValue, boolean perAtom) {
    if (first.equals(other)) return first;
    if (first.group() != other.group() || first.group() == FieldType.OTHER) return null;
    boolean inexact = Survey.inexact(otherValue);
    return first.group() == FieldType.SCALAR
        ? scalarTarget(List.of(first, other), inexact)
        : numericTarget(List.of(first, other), inexact, perAtom);
  }

  // Integers and floats -> float when exact; with strings (or inexact integers beside floats) -> strings.
  private static FieldType scalarTarget(List<FieldType> types, boolean inexactInt) {
    boolean text = false;
    boolean floats = false;
    for (FieldType t : types) {
      if (t.tag() == TypeTag.STRING) text = true;
      else if (t.tag() != TypeTag.INT64) floats = true;
    }
    if (!text && floats && inexactInt) text = true;
    if (text) return new FieldType(TypeTag.STRING, List.of());
    return floats ? new FieldType(TypeTag.FLOAT64, List.of()) : new FieldType(TypeTag.INT64, List.of());
  }

  private static FieldType numericTarget(List<FieldType> types, boolean inexactInt, boolean perAtom) {
    boolean anyFloat = false;
    boolean anyI64 = false;
    for (FieldType t : types) {
      if (t.isFloat()) anyFloat = true;
      else if (t.tag() == TypeTag.I64_ARRAY || t.tag() == TypeTag.TENSOR_I64) anyI64 = true;
    }
    if (anyFloat && anyI64 && inexactInt) return null;
    char elem = anyFloat ? 'f' : anyI64 ? 'l' : 'i';
    List<Integer> shape = types.getFirst().shape();
    for (FieldType t : types) {
      if (!t.shape().equals(shape) || TypeTag.isTensor(t.tag())) shape = null;
      if (shape == null) break;
    }
    if (shape != null) {
      int tag = fixedTag(elem, shape, perAtom);
      if (tag >= 0) return new FieldType(tag, shape);
    }
    return new FieldType(elem == 'f' ? TypeTag.TENSOR_F64 : elem == 'l' ? TypeTag.TENSOR_I64 : TypeTag.TENSOR_I32, List.of());
  }

  // The fixed-size type for one element type and shape (per-atom shapes leave out the atom dimension), or -1.
  private static int fixedTag(char elem, List<Integer> shape, boolean perAtom) {
    if (perAtom ? shape.isEmpty() : shape.size() == 1) {
      return elem == 'f' ? TypeTag.F64_ARRAY : elem == 'l' ? TypeTag.I64_ARRAY : TypeTag.I32_ARRAY;
    }
    if (elem == 'f' && perAtom && shape.equals(List.of(3))) return TypeTag.VEC3_F64;
    if (elem == 'f' && !perAtom && shape.equals(List.of(3, 3))) return TypeTag.MAT3_F64;
    return -1;
  }

  /** What one key held over the frames: each type with where it was first seen and in which frames. */
  private static final class Survey implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    final Map<FieldType, Seen> types = new LinkedHashMap<>(2);
    transient FieldType last;
    transient Seen lastSeen;
    boolean inexactInt;

    void append(Survey later, long shift, UnaryOperator<String> where) {
      for (var e : later.types.entrySet()) {
        Seen seen = types.get(e.getKey());
        if (seen == null) types.put(e.getKey(), seen = new Seen(where.apply(e.getValue().firstWhere)));
        seen.append(e.getValue(), shift);
      }
      inexactInt |= later.inexactInt;
      last = null;
      lastSeen = null;
    }

    void add(FieldType t, Value v, long frame, String where) {
      Seen seen = t.equals(last) ? lastSeen : types.get(t);
      if (seen == null) types.put(t, seen = new Seen(where));
      last = t;
      lastSeen = seen;
      seen.add(frame);
      if (!inexactInt && (t.tag() == TypeTag.INT64 || t.tag() == TypeTag.I64_ARRAY || t.tag() == TypeTag.TENSOR_I64)) {
        inexactInt = inexact(v);
      }
    }

    static boolean inexact(Value v) {
      long[] l = switch (v) {
        case Value.Int64 i -> new long[] {i.value()};
        case Value.Int64Array a -> a.values();
        case Value.TensorInt64 t -> t.values();
        default -> new long[0];
      };
      for (long x : l) if (x > MAX_EXACT || x < -MAX_EXACT) return true;
      return false;
    }
  }

  /** Where a type was first seen and the frames that had it, as at most a few ranges. */
  private static final class Seen implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    final String firstWhere;
    final long[] from = new long[MAX_RANGES];
    final long[] to = new long[MAX_RANGES];
    int ranges;
    long more;

    Seen(String firstWhere) {
      this.firstWhere = firstWhere;
    }

    void add(long frame) {
      if (ranges > 0 && to[ranges - 1] == frame - 1) to[ranges - 1] = frame;
      else if (ranges < MAX_RANGES) {
        from[ranges] = frame;
        to[ranges++] = frame;
      } else more++;
    }

    // as add() for each frame of later's ranges, shifted
    void append(Seen later, long shift) {
      for (int i = 0; i < later.ranges; i++) {
        long f = later.from[i] + shift;
        long t = later.to[i] + shift;
        if (ranges > 0 && to[ranges - 1] == f - 1) to[ranges - 1] = t;
        else if (ranges < MAX_RANGES) {
          from[ranges] = f;
          to[ranges++] = t;
        } else more += t - f + 1;
      }
      more += later.more;
    }

    String frames() {
      var parts = new ArrayList<String>();
      for (int i = 0; i < ranges; i++) parts.add(from[i] == to[i] ? Long.toString(from[i]) : from[i] + "-" + to[i]);
      return String.join(", ", parts) + (more > 0 ? " and " + more + " more" : "") + " (first at " + firstWhere + ")";
    }
  }

  /**
   * A property's type as the writer's schema sees it: the type tag and, except for tensors (whose shape may vary),
   * the shape without the atom dimension.
   */
  record FieldType(int tag, List<Integer> shape) implements java.io.Serializable {
    static final int SCALAR = 0;
    static final int NUMERIC = 1;
    static final int OTHER = 2;

    static FieldType of(Value v, boolean perAtom) {
      int tag = v.typeTag();
      if (TypeTag.isTensor(tag)) return new FieldType(tag, List.of());
      int[] s = v.shape();
      if (perAtom && s.length > 0) s = Arrays.copyOfRange(s, 1, s.length);
      if (s.length == 0) return new FieldType(tag, List.of());
      var shape = new ArrayList<Integer>(s.length);
      for (int d : s) shape.add(d);
      return new FieldType(tag, List.copyOf(shape));
    }

    int group() {
      return switch (tag) {
        case TypeTag.INT64, TypeTag.FLOAT64, TypeTag.FLOAT32, TypeTag.STRING -> SCALAR;
        case TypeTag.NONE -> OTHER;
        default -> NUMERIC;
      };
    }

    boolean isFloat() {
      return switch (tag) {
        case TypeTag.F64_ARRAY, TypeTag.F32_ARRAY, TypeTag.VEC3_F32, TypeTag.VEC3_F64, TypeTag.MAT3_F64,
             TypeTag.MAT3_F32, TypeTag.TENSOR_F32, TypeTag.TENSOR_F64, TypeTag.FLOAT64, TypeTag.FLOAT32 -> true;
        default -> false;
      };
    }

    /** In user words: "an integer", "an array of 3 floats", "a per-atom column of 2 floats", ... */
    String describe(boolean perAtom) {
      String elem = isFloat() ? "float" : "integer";
      return switch (tag) {
        case TypeTag.INT64 -> "an integer";
        case TypeTag.FLOAT64 -> "a float";
        case TypeTag.FLOAT32 -> "a float32";
        case TypeTag.STRING -> "a string";
        case TypeTag.NONE -> "None";
        case TypeTag.MAT3_F64, TypeTag.MAT3_F32 -> "a 3x3 float matrix";
        case TypeTag.TENSOR_F32, TypeTag.TENSOR_F64, TypeTag.TENSOR_I32, TypeTag.TENSOR_I64 -> "an " + elem + " tensor";
        default -> perAtom
            ? (shape.isEmpty() ? "one " + elem + " per atom" : shape.get(0) + " " + elem + "s per atom")
            : "an array of " + (shape.isEmpty() ? "" : shape.get(0) + " ") + elem + "s";
      };
    }
  }
}
