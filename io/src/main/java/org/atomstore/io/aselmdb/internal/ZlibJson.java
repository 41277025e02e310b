package org.atomstore.io.aselmdb.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.atomstore.io.ase.PyValue;
import org.atomstore.io.ase.PyValue.NdArray;

/**
 * A value of an {@code .aselmdb} file: {@code orjson.loads(zlib.decompress(value))}, bounded. The zlib stream may
 * inflate to at most {@code maxJsonBytes}; the JSON is UTF-8, without {@code NaN}/{@code Infinity} tokens (orjson
 * refuses them: fairchem stores a non-finite float as {@code null}), integers within 64 bits, nesting at most
 * {@value #MAX_DEPTH} deep, and at most {@code maxValues} values (a number in an array counts 1, any other value 8,
 * for the objects it costs), so a small hostile value cannot make the heap grow without bound.
 *
 * <p>Lists of numbers come back as arrays, as NumPy would make them, so that positions, forces and the like cost
 * 8 bytes per number: a list of ints as an {@code int64} {@link NdArray}; of floats, or floats and nulls, as
 * {@code float64} (a null as NaN: orjson never writes NaN, so NaN in such an array always was a null); equal-shaped
 * arrays of one dtype nested in a list as one array of higher rank. Anything else (empty lists, bools, strings,
 * ints beside floats, ragged nesting) stays a {@link PyValue.PyList}. {@link #unpack} turns the arrays back into the
 * lists fairchem's reader holds. Stateless; safe for any number of threads.
 */
public final class ZlibJson {

  /** Nesting deeper than this is refused rather than risking the stack. */
  static final int MAX_DEPTH = 200;
  private static final int BOXED_COST = 8;

  private static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH + 2)
          .maxStringLength(Integer.MAX_VALUE).maxNumberLength(1000).build())
      // FastDoubleParser (bundled with Jackson): the same doubles as Double.parseDouble, several times faster
      .enable(com.fasterxml.jackson.core.StreamReadFeature.USE_FAST_DOUBLE_PARSER)
      .build();

  /** One inflater per thread, reset per value: making one costs a native allocation of zlib's state. */
  private static final ThreadLocal<Inflater> INFLATER = ThreadLocal.withInitial(Inflater::new);

  private ZlibJson() {}

  /** Why a value cannot be read; the caller names the file and the key. */
  public static final class BadValueException extends Exception {
    BadValueException(String message) { super(message, null, false, false); }
  }

  /** Inflates and parses one value. */
  public static PyValue decode(MemorySegment compressed, long maxJsonBytes, long maxValues) throws BadValueException {
    byte[] json = inflate(compressed, maxJsonBytes);
    return parse(json, json.length, maxValues);
  }

  /** The zlib stream inflated, refused past {@code max} bytes. */
  static byte[] inflate(MemorySegment compressed, long max) throws BadValueException {
    long in = compressed.byteSize();
    Inflater inflater = INFLATER.get();
    inflater.reset();
    try {
      inflater.setInput(compressed.asByteBuffer());
      int cap = (int) Math.min(max + 1, Math.min(Integer.MAX_VALUE - 16, Math.max(256, in * 4)));
      byte[] out = new byte[cap];
      int n = 0;
      while (!inflater.finished()) {
        if (n == out.length) {
          if (n > max) break;
          out = Arrays.copyOf(out, (int) Math.min(max + 1, Math.min(Integer.MAX_VALUE - 16, (long) n * 2)));
        }
        int got = inflater.inflate(out, n, out.length - n);
        n += got;
        if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new BadValueException("zlib stream of " + in + " bytes is truncated (ends after " + n + " inflated bytes)");
        }
      }
      if (n > max) {
        throw new BadValueException("zlib stream of " + in + " bytes inflates beyond the limit of " + max
            + " bytes (a zlib bomb, or a row larger than the reader allows)");
      }
      return n == out.length ? out : Arrays.copyOf(out, n);
    } catch (DataFormatException e) {
      throw new BadValueException("not a zlib stream (" + in + " bytes): " + e.getMessage());
    }
  }

  /** Parses JSON text as orjson does, into arrays where the lists allow. */
  public static PyValue parse(byte[] json, int length, long maxValues) throws BadValueException {
    try (JsonParser p = FACTORY.createParser(json, 0, length)) {
      JsonToken t = p.nextToken();
      if (t == null) throw new BadValueException("empty JSON value");
      var budget = new long[] {maxValues};
      PyValue v = read(p, t, 0, budget);
      if (p.nextToken() != null) throw new BadValueException("extra data after the JSON value at byte " + p.currentLocation().getByteOffset());
      return v;
    } catch (JsonProcessingException e) {
      throw new BadValueException("bad JSON: " + e.getOriginalMessage() + " at byte " + e.getLocation().getByteOffset());
    } catch (IOException e) {
      throw new BadValueException("bad JSON: " + e.getMessage());
    }
  }

  private static void spend(long[] budget, long n) throws BadValueException {
    budget[0] -= n;
    if (budget[0] < 0) throw new BadValueException("JSON value holds more values than the reader allows");
  }

  private static PyValue read(JsonParser p, JsonToken t, int depth, long[] budget) throws IOException, BadValueException {
    if (depth > MAX_DEPTH) throw new BadValueException("JSON nested deeper than " + MAX_DEPTH);
    return switch (t) {
      case START_OBJECT -> {
        spend(budget, BOXED_COST);
        var m = new LinkedHashMap<String, PyValue>();
        for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
          String key = p.currentName();
          spend(budget, BOXED_COST);
          PyValue v = read(p, p.nextToken(), depth + 1, budget);
          m.remove(key); // a repeated key: the last wins, at its own place
          m.put(key, v);
        }
        yield new PyValue.PyDict(m);
      }
      case START_ARRAY -> readArray(p, depth, budget);
      case VALUE_STRING -> { spend(budget, BOXED_COST); yield new PyValue.PyStr(p.getText()); }
      case VALUE_NUMBER_INT -> { spend(budget, BOXED_COST); yield new PyValue.PyInt(longValue(p)); }
      case VALUE_NUMBER_FLOAT -> { spend(budget, BOXED_COST); yield new PyValue.PyFloat(p.getDoubleValue()); }
      case VALUE_TRUE -> new PyValue.PyBool(true);
      case VALUE_FALSE -> new PyValue.PyBool(false);
      case VALUE_NULL -> PyValue.PyNone.INSTANCE;
      default -> throw new BadValueException("unexpected JSON token " + t);
    };
  }

  private static long longValue(JsonParser p) throws IOException, BadValueException {
    if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) throw new BadValueException("JSON integer beyond 64 bits: " + p.getText());
    return p.getLongValue();
  }

  // A run of numbers and nulls is collected flat (with each element's kind); at the first other token the run so
  // far becomes boxed values and the list continues boxed.
  private static PyValue readArray(JsonParser p, int depth, long[] budget) throws IOException, BadValueException {
    long[] ints = null;
    double[] floats = null;
    byte[] kinds = null;
    int n = 0;
    int seen = 0; // bit set of the kinds met
    JsonToken t = p.nextToken();
    for (; t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NULL; t = p.nextToken()) {
      spend(budget, 1);
      if (floats == null) {
        floats = new double[8];
        ints = new long[8];
        kinds = new byte[8];
      } else if (n == floats.length) {
        floats = Arrays.copyOf(floats, n * 2);
        ints = Arrays.copyOf(ints, n * 2);
        kinds = Arrays.copyOf(kinds, n * 2);
      }
      byte kind = switch (t) {
        case VALUE_NUMBER_INT -> { ints[n] = longValue(p); yield INT; }
        case VALUE_NUMBER_FLOAT -> { floats[n] = p.getDoubleValue(); yield FLOAT; }
        default -> { floats[n] = Double.NaN; yield NULL; }
      };
      kinds[n++] = kind;
      seen |= 1 << kind;
    }
    if (t == JsonToken.END_ARRAY && n > 0) {
      if (seen == 1 << INT) return NdArray.int64(new int[] {n}, Arrays.copyOf(ints, n));
      if ((seen & 1 << FLOAT) != 0 && (seen & 1 << INT) == 0) return NdArray.float64(new int[] {n}, Arrays.copyOf(floats, n));
    }
    var items = new ArrayList<PyValue>(Math.max(n, 4));
    for (int i = 0; i < n; i++) {
      spend(budget, BOXED_COST);
      items.add(switch (kinds[i]) {
        case INT -> new PyValue.PyInt(ints[i]);
        case FLOAT -> new PyValue.PyFloat(floats[i]);
        default -> PyValue.PyNone.INSTANCE;
      });
    }
    for (; t != JsonToken.END_ARRAY; t = p.nextToken()) {
      if (t == null) throw new BadValueException("JSON ends inside a list");
      spend(budget, BOXED_COST);
      items.add(read(p, t, depth + 1, budget));
    }
    return stack(items);
  }

  private static final byte INT = 0;
  private static final byte FLOAT = 1;
  private static final byte NULL = 2;

  /** Equal-shaped arrays of one dtype in a list become one array with a leading dimension; else the list. */
  private static PyValue stack(List<PyValue> items) {
    if (items.isEmpty() || !(items.get(0) instanceof NdArray first)) return new PyValue.PyList(items);
    for (PyValue v : items) {
      if (!(v instanceof NdArray a) || !a.dtype().equals(first.dtype()) || !Arrays.equals(a.shape(), first.shape())) {
        return new PyValue.PyList(items);
      }
    }
    int each = first.size();
    long total = (long) each * items.size();
    if (total > Integer.MAX_VALUE - 16) return new PyValue.PyList(items);
    int[] shape = new int[first.shape().length + 1];
    shape[0] = items.size();
    System.arraycopy(first.shape(), 0, shape, 1, first.shape().length);
    if (first.data() instanceof long[]) {
      long[] out = new long[(int) total];
      for (int i = 0; i < items.size(); i++) System.arraycopy(((NdArray) items.get(i)).longs(), 0, out, i * each, each);
      return NdArray.int64(shape, out);
    }
    double[] out = new double[(int) total];
    for (int i = 0; i < items.size(); i++) System.arraycopy(((NdArray) items.get(i)).doubles(), 0, out, i * each, each);
    return NdArray.float64(shape, out);
  }

  /** The value as fairchem's reader holds it: arrays made by {@link #parse} back into nested lists. */
  public static PyValue unpack(PyValue v) {
    return switch (v) {
      case NdArray a -> unpack(a, 0, 0);
      case PyValue.PyList l -> {
        var out = new ArrayList<PyValue>(l.items().size());
        for (PyValue x : l.items()) out.add(unpack(x));
        yield new PyValue.PyList(out);
      }
      case PyValue.PyDict d -> {
        var out = new LinkedHashMap<String, PyValue>();
        d.entries().forEach((k, x) -> out.put(k, unpack(x)));
        yield new PyValue.PyDict(out);
      }
      default -> v;
    };
  }

  private static PyValue unpack(NdArray a, int dim, int offset) {
    int[] shape = a.shape();
    if (dim == shape.length) {
      if (a.data() instanceof long[] l) return new PyValue.PyInt(l[offset]);
      double d = a.doubles()[offset];
      return Double.isNaN(d) ? PyValue.PyNone.INSTANCE : new PyValue.PyFloat(d);
    }
    int stride = 1;
    for (int k = dim + 1; k < shape.length; k++) stride *= shape[k];
    var out = new ArrayList<PyValue>(shape[dim]);
    for (int i = 0; i < shape[dim]; i++) out.add(unpack(a, dim + 1, offset + i * stride));
    return new PyValue.PyList(out);
  }
}
