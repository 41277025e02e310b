package org.atomstore.io.ase.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.atomstore.io.ase.PyValue;

/**
 * Python's {@code json.loads} (non-finite tokens {@code NaN}, {@code Infinity}, {@code -Infinity} accepted,
 * ints kept apart from floats, key order kept, last duplicate wins) and NumPy's {@code np.array(value)} on the
 * result. Stateless; safe for any number of threads.
 */
public final class PyJson {

  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .build();

  /** Nesting deeper than this is refused rather than risking the stack. */
  private static final int MAX_DEPTH = 200;

  private PyJson() {}

  /** Parses JSON text as Python's json.loads does; throws IllegalArgumentException on malformed text. */
  public static PyValue parse(String text) {
    try (JsonParser p = FACTORY.createParser(text)) {
      JsonToken t = p.nextToken();
      if (t == null) throw new IllegalArgumentException("Expecting value: line 1 column 1 (char 0)");
      PyValue v = read(p, t, 0);
      if (p.nextToken() != null) throw new IllegalArgumentException("Extra data after JSON value");
      return v;
    } catch (IOException e) {
      throw new IllegalArgumentException(e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage(), e);
    }
  }

  private static PyValue read(JsonParser p, JsonToken t, int depth) throws IOException {
    if (depth > MAX_DEPTH) throw new IllegalArgumentException("JSON nested deeper than " + MAX_DEPTH);
    return switch (t) {
      case START_OBJECT -> {
        var m = new LinkedHashMap<String, PyValue>();
        for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
          String key = p.currentName();
          PyValue v = read(p, p.nextToken(), depth + 1);
          m.remove(key);
          m.put(key, v);
        }
        yield new PyValue.PyDict(m);
      }
      case START_ARRAY -> {
        var l = new ArrayList<PyValue>();
        for (JsonToken k = p.nextToken(); k != JsonToken.END_ARRAY; k = p.nextToken()) l.add(read(p, k, depth + 1));
        yield new PyValue.PyList(l);
      }
      case VALUE_STRING -> new PyValue.PyStr(p.getText());
      case VALUE_NUMBER_INT -> {
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
          throw new IllegalArgumentException("JSON integer beyond 64 bits: " + p.getText());
        }
        yield new PyValue.PyInt(p.getLongValue());
      }
      case VALUE_NUMBER_FLOAT -> new PyValue.PyFloat(p.getDoubleValue());
      case VALUE_TRUE -> new PyValue.PyBool(true);
      case VALUE_FALSE -> new PyValue.PyBool(false);
      case VALUE_NULL -> PyValue.PyNone.INSTANCE;
      default -> throw new IllegalArgumentException("unexpected JSON token " + t);
    };
  }

  /**
   * {@code np.array(value)} when the result has a numeric or bool dtype, else the value itself (what ASE's
   * extxyz reader does with {@code _JSON} values).
   *
   * @throws IllegalArgumentException for ragged nested lists, which NumPy 1.24 refuses
   */
  public static PyValue asNumericArrayOrSelf(PyValue v) {
    var shape = new ArrayList<Integer>();
    leafDepth.set(-1);
    int kind = discover(v, 0, shape);
    if (kind < 0) return v;
    int[] dims = shape.stream().mapToInt(Integer::intValue).toArray();
    var leaves = new ArrayList<PyValue>();
    flatten(v, leaves);
    return switch (kind) {
      case KIND_BOOL -> {
        boolean[] b = new boolean[leaves.size()];
        for (int i = 0; i < b.length; i++) b[i] = ((PyValue.PyBool) leaves.get(i)).value();
        yield PyValue.NdArray.bool(dims, b);
      }
      case KIND_INT -> {
        long[] l = new long[leaves.size()];
        for (int i = 0; i < l.length; i++) {
          l[i] = leaves.get(i) instanceof PyValue.PyInt n ? n.value() : (((PyValue.PyBool) leaves.get(i)).value() ? 1 : 0);
        }
        yield PyValue.NdArray.int64(dims, l);
      }
      default -> {
        double[] d = new double[leaves.size()];
        for (int i = 0; i < d.length; i++) {
          d[i] = switch (leaves.get(i)) {
            case PyValue.PyFloat f -> f.value();
            case PyValue.PyInt n -> n.value();
            case PyValue.PyBool b -> b.value() ? 1 : 0;
            default -> throw new IllegalStateException();
          };
        }
        yield PyValue.NdArray.float64(dims, d);
      }
    };
  }

  private static final int KIND_OTHER = -1;
  private static final int KIND_BOOL = 0;
  private static final int KIND_INT = 1;
  private static final int KIND_FLOAT = 2;

  // Returns the promoted kind of a regular nested list, or KIND_OTHER; fills in the shape.
  private static int discover(PyValue v, int depth, List<Integer> shape) {
    return switch (v) {
      case PyValue.PyBool b -> leafAt(depth, shape, KIND_BOOL);
      case PyValue.PyInt n -> leafAt(depth, shape, KIND_INT);
      case PyValue.PyFloat f -> leafAt(depth, shape, KIND_FLOAT);
      case PyValue.PyList l -> {
        if (leafDepth.get() != -1 && depth >= leafDepth.get()) throw ragged(depth);
        if (shape.size() == depth) {
          shape.add(l.items().size());
        } else if (shape.get(depth) != l.items().size() || shape.size() < depth) {
          throw ragged(depth);
        }
        int kind = l.items().isEmpty() ? KIND_FLOAT : KIND_BOOL;
        boolean other = false;
        for (PyValue item : l.items()) {
          int k = discover(item, depth + 1, shape);
          if (k == KIND_OTHER) other = true;
          else kind = Math.max(kind, k);
        }
        if (l.items().isEmpty() && shape.size() > depth + 1) throw ragged(depth);
        yield other ? KIND_OTHER : kind;
      }
      default -> KIND_OTHER;
    };
  }

  private static final ThreadLocal<int[]> LEAF_DEPTH = ThreadLocal.withInitial(() -> new int[] {-1});

  private static final class LeafDepth {
    void set(int d) { LEAF_DEPTH.get()[0] = d; }
    int get() { return LEAF_DEPTH.get()[0]; }
  }

  private static final LeafDepth leafDepth = new LeafDepth();

  private static int leafAt(int depth, List<Integer> shape, int kind) {
    if (shape.size() > depth) throw ragged(depth);
    if (leafDepth.get() == -1) leafDepth.set(depth);
    else if (leafDepth.get() != depth) throw ragged(depth);
    return kind;
  }

  private static IllegalArgumentException ragged(int depth) {
    return new IllegalArgumentException("setting an array element with a sequence. The requested array has an "
        + "inhomogeneous shape after " + depth + " dimensions.");
  }

  private static void flatten(PyValue v, List<PyValue> out) {
    if (v instanceof PyValue.PyList l) {
      for (PyValue item : l.items()) flatten(item, out);
    } else {
      out.add(v);
    }
  }
}
