package org.atomstore.data.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.atomstore.data.Complex;
import org.atomstore.data.NumpyScalar;
import org.atomstore.model.NdArray;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;

/**
 * One value as asebytes 0.3.2 stores it: a MessagePack object as msgpack 1.x writes it ({@code use_bin_type=True}:
 * str as str, bytes as bin, floats as float 64, ints in their smallest form up to uint 64, lists and tuples as
 * arrays, dicts as maps in insertion order) with msgpack-numpy 0.4.8's hooks:
 *
 * <pre>
 * ndarray     --> map{bin"nd": true, bin"type": str dtype.str, bin"kind": bin"", bin"shape": [ints], bin"data": bin}
 * numpyScalar --> map{bin"nd": false, bin"type": str dtype.str, bin"data": bin}      (np.float64: a plain float 64)
 * complex     --> map{bin"complex": true, bin"data": str repr(complex)}               ("(1.5-2j)", "2j", "(nan+infj)")
 * </pre>
 *
 * <p>Java values are those of {@link org.atomstore.data.ObjectTable}: null, Boolean, Long (and Integer, Short,
 * Byte on writing), BigInteger (uint 64 past {@code Long.MAX_VALUE}), Double (Float on writing), String, byte[],
 * List, Map with String keys, {@link NdArray}, {@link NumpyScalar}, {@link Complex}. Reading returns Long,
 * Double, ArrayList and LinkedHashMap.
 *
 * <p>Reading checks every length and count against the bytes left before anything is allocated, limits nesting
 * to {@value #MAX_DEPTH} levels and refuses what asebytes would not read back (trailing bytes, invalid UTF-8,
 * non-string map keys, ext types, pickled object arrays) with a {@link MsgpackFormatException}. Stateless and
 * thread-safe. Shared by the LMDB and Redis backends.
 */
public final class MsgpackCodec {

  /** Deepest nesting of arrays and maps accepted on reading (msgpack-python's stack is no deeper in practice). */
  public static final int MAX_DEPTH = 512;

  private static final byte[] ND = ascii("nd");
  private static final byte[] TYPE = ascii("type");
  private static final byte[] KIND = ascii("kind");
  private static final byte[] SHAPE = ascii("shape");
  private static final byte[] DATA = ascii("data");
  private static final byte[] COMPLEX = ascii("complex");
  private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
  private static final BigInteger INT64_MIN = BigInteger.valueOf(Long.MIN_VALUE);

  private MsgpackCodec() {}

  // ---------------------------------------------------------------- writing

  /**
   * The bytes asebytes writes for {@code value}.
   *
   * @throws IllegalArgumentException for a value of another type, a map key that is not a String or an integer
   *     outside [-2^63, 2^64 - 1] (asebytes cannot store those either)
   */
  public static byte[] encode(Object value) {
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      write(p, value, 0);
      return p.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException("in-memory packer failed", e); // a buffer packer does no I/O
    }
  }

  private static void write(MessagePacker p, Object v, int depth) throws IOException {
    if (depth > MAX_DEPTH) throw new IllegalArgumentException("value nested deeper than " + MAX_DEPTH + " levels");
    switch (v) {
      case null -> p.packNil();
      case Boolean b -> p.packBoolean(b);
      case Long l -> p.packLong(l);
      case Integer i -> p.packLong(i);
      case Short s -> p.packLong(s);
      case Byte b -> p.packLong(b);
      case BigInteger b -> {
        if (b.compareTo(INT64_MIN) < 0 || b.compareTo(UINT64_MAX) > 0) {
          throw new IllegalArgumentException("integer out of msgpack's range [-2**63, 2**64 - 1]: " + b);
        }
        p.packBigInteger(b);
      }
      case Double d -> p.packDouble(d);
      case Float f -> p.packDouble(f);
      case String s -> writeStr(p, s);
      case byte[] b -> { p.packBinaryHeader(b.length); p.writePayload(b); }
      case NdArray a -> writeNdArray(p, a);
      case NumpyScalar s -> writeScalar(p, s);
      case Complex c -> {
        p.packMapHeader(2);
        bin(p, COMPLEX);
        p.packBoolean(true);
        bin(p, DATA);
        writeStr(p, complexRepr(c.re(), c.im()));
      }
      case List<?> list -> {
        p.packArrayHeader(list.size());
        for (Object x : list) write(p, x, depth + 1);
      }
      case Map<?, ?> map -> {
        p.packMapHeader(map.size());
        for (var e : map.entrySet()) {
          if (!(e.getKey() instanceof String k)) {
            throw new IllegalArgumentException("map key is not a String: " + e.getKey());
          }
          writeStr(p, k);
          write(p, e.getValue(), depth + 1);
        }
      }
      default -> throw new IllegalArgumentException("no msgpack form for a " + v.getClass().getName());
    }
  }

  private static void writeNdArray(MessagePacker p, NdArray a) throws IOException {
    p.packMapHeader(5);
    bin(p, ND);
    p.packBoolean(true);
    bin(p, TYPE);
    writeStr(p, a.dtype());
    bin(p, KIND);
    p.packBinaryHeader(0);
    bin(p, SHAPE);
    p.packArrayHeader(a.shape().length);
    for (long d : a.shape()) p.packLong(d);
    bin(p, DATA);
    p.packBinaryHeader(a.data().length);
    p.writePayload(a.data());
  }

  private static void writeScalar(MessagePacker p, NumpyScalar s) throws IOException {
    if (s.dtype().equals("<f8")) {
      // np.float64 is a Python float: msgpack packs it as a plain float 64 (asebytes reads a float back).
      p.packDouble(ByteBuffer.wrap(s.data()).order(java.nio.ByteOrder.LITTLE_ENDIAN).getDouble());
      return;
    }
    p.packMapHeader(3);
    bin(p, ND);
    p.packBoolean(false);
    bin(p, TYPE);
    writeStr(p, s.dtype());
    bin(p, DATA);
    p.packBinaryHeader(s.data().length);
    p.writePayload(s.data());
  }

  private static void writeStr(MessagePacker p, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    p.packRawStringHeader(b.length);
    p.writePayload(b);
  }

  private static void bin(MessagePacker p, byte[] b) throws IOException {
    p.packBinaryHeader(b.length);
    p.writePayload(b);
  }

  // ---------------------------------------------------------------- reading

  /** The value in {@code bytes}, as asebytes reads it. */
  public static Object decode(byte[] bytes) throws MsgpackFormatException {
    return decode(bytes, 0, bytes.length);
  }

  /** The value in the remaining bytes of {@code buf} (its position is not moved). */
  public static Object decode(ByteBuffer buf) throws MsgpackFormatException {
    if (buf.hasArray()) return decode(buf.array(), buf.arrayOffset() + buf.position(), buf.remaining());
    byte[] b = new byte[buf.remaining()];
    buf.get(buf.position(), b);
    return decode(b, 0, b.length);
  }

  private static Object decode(byte[] bytes, int offset, int total) throws MsgpackFormatException {
    if (total == 0) throw new MsgpackFormatException(0, "empty value: no msgpack object");
    // Decoded straight from the array (no unpacker, no intermediate buffers): this is every LMDB read's hot path.
    Reader r = new Reader(bytes, offset, offset + total);
    Object v = r.read(0);
    if (r.pos != r.end) {
      throw new MsgpackFormatException(r.pos - offset, "extra bytes after the msgpack object: " + (r.end - r.pos) + " of " + total);
    }
    return v;
  }

  /** A cursor over one value's bytes; offsets in messages are from the value's start. */
  private static final class Reader {
    final byte[] b;
    final int start;
    final int end;
    int pos;

    Reader(byte[] b, int start, int end) {
      this.b = b;
      this.start = start;
      this.end = end;
      this.pos = start;
    }

    private long at() { return pos - start; }

    private long left() { return end - pos; }

    private void need(int n, long itemAt) throws MsgpackFormatException {
      if (n > end - pos) {
        throw new MsgpackFormatException(itemAt, "invalid msgpack: truncated value (" + n + " bytes needed, " + left() + " left)");
      }
    }

    private int u8() { return b[pos++] & 0xff; }

    private int u16() { int v = ((b[pos] & 0xff) << 8) | (b[pos + 1] & 0xff); pos += 2; return v; }

    private int i32() {
      int v = ((b[pos] & 0xff) << 24) | ((b[pos + 1] & 0xff) << 16) | ((b[pos + 2] & 0xff) << 8) | (b[pos + 3] & 0xff);
      pos += 4;
      return v;
    }

    private long i64() {
      long v = ((long) i32() << 32);
      return v | (i32() & 0xffffffffL);
    }

    /** A count or length of the given header width (1, 2 or 4 bytes, unsigned). */
    private long header(int width, long itemAt) throws MsgpackFormatException {
      need(width, itemAt);
      return switch (width) {
        case 1 -> u8();
        case 2 -> u16();
        default -> i32() & 0xffffffffL;
      };
    }

    private int length(long n, int minBytesEach, String what) throws MsgpackFormatException {
      // A count or length the remaining bytes cannot hold is refused before anything is allocated.
      if (n < 0 || n * minBytesEach > left()) {
        throw new MsgpackFormatException(at(), what + " of " + n + " exceeds the " + left() + " bytes left");
      }
      return (int) n;
    }

    Object read(int depth) throws MsgpackFormatException {
      if (depth > MAX_DEPTH) throw new MsgpackFormatException(at(), "nested deeper than " + MAX_DEPTH);
      long at = at();
      need(1, at);
      int t = u8();
      if (t <= 0x7f) return (long) t;
      if (t >= 0xe0) return (long) (byte) t;
      if (t <= 0x8f) return readMap(length(t & 0x0f, 2, "map count"), depth, at);
      if (t <= 0x9f) return readArray(length(t & 0x0f, 1, "array count"), depth);
      if (t <= 0xbf) return utf8(bytes(t & 0x1f, "str length"), at);
      return switch (t) {
        case 0xc0 -> null;
        case 0xc2 -> Boolean.FALSE;
        case 0xc3 -> Boolean.TRUE;
        case 0xc4 -> bytes(header(1, at), "bin length");
        case 0xc5 -> bytes(header(2, at), "bin length");
        case 0xc6 -> bytes(header(4, at), "bin length");
        case 0xca -> { need(4, at); yield (double) Float.intBitsToFloat(i32()); }
        case 0xcb -> { need(8, at); yield Double.longBitsToDouble(i64()); }
        case 0xcc -> { need(1, at); yield (long) u8(); }
        case 0xcd -> { need(2, at); yield (long) u16(); }
        case 0xce -> { need(4, at); yield i32() & 0xffffffffL; }
        case 0xcf -> {
          need(8, at);
          long v = i64();
          yield v >= 0 ? (Object) v : new BigInteger(Long.toUnsignedString(v));
        }
        case 0xd0 -> { need(1, at); yield (long) b[pos++]; }
        case 0xd1 -> { need(2, at); yield (long) (short) u16(); }
        case 0xd2 -> { need(4, at); yield (long) i32(); }
        case 0xd3 -> { need(8, at); yield i64(); }
        case 0xd9 -> utf8(bytes(header(1, at), "str length"), at);
        case 0xda -> utf8(bytes(header(2, at), "str length"), at);
        case 0xdb -> utf8(bytes(header(4, at), "str length"), at);
        case 0xdc -> readArray(length(header(2, at), 1, "array count"), depth);
        case 0xdd -> readArray(length(header(4, at), 1, "array count"), depth);
        case 0xde -> readMap(length(header(2, at), 2, "map count"), depth, at);
        case 0xdf -> readMap(length(header(4, at), 2, "map count"), depth, at);
        case 0xc7, 0xc8, 0xc9, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8 ->
            throw new MsgpackFormatException(at, "msgpack ext type (asebytes stores none)");
        default -> throw new MsgpackFormatException(at, "invalid msgpack type byte");
      };
    }

    private List<Object> readArray(int n, int depth) throws MsgpackFormatException {
      List<Object> list = new ArrayList<>(n);
      for (int i = 0; i < n; i++) list.add(read(depth + 1));
      return list;
    }

    private byte[] bytes(long n, String what) throws MsgpackFormatException {
      int len = length(n, 1, what);
      byte[] out = Arrays.copyOfRange(b, pos, pos + len);
      pos += len;
      return out;
    }

    /** A map key: str or bin (msgpack 1.x refuses others), as String or byte[]. */
    private Object key() throws MsgpackFormatException {
      long at = at();
      need(1, at);
      int t = b[pos] & 0xff;
      if (t >= 0xa0 && t <= 0xbf || t == 0xd9 || t == 0xda || t == 0xdb || t == 0xc4 || t == 0xc5 || t == 0xc6) {
        return read(0);
      }
      throw new MsgpackFormatException(at, "map key of type " + typeName(t) + " (msgpack 1.x reads only str and bytes keys)");
    }

    private static String typeName(int t) {
      if (t <= 0x7f || t >= 0xe0 || t >= 0xcc && t <= 0xd3) return "integer";
      if (t <= 0x8f || t == 0xde || t == 0xdf) return "map";
      if (t <= 0x9f || t == 0xdc || t == 0xdd) return "array";
      return switch (t) {
        case 0xc0 -> "nil";
        case 0xc2, 0xc3 -> "boolean";
        case 0xca, 0xcb -> "float";
        case 0xc1 -> "invalid";
        default -> "extension";
      };
    }

    private Object readMap(int n, int depth, long at) throws MsgpackFormatException {
      // Keys stay as read (String or byte[]) until we know whether msgpack-numpy's hook claims the map.
      Object[] keys = new Object[n];
      Object[] values = new Object[n];
      boolean binKeys = false;
      for (int i = 0; i < n; i++) {
        keys[i] = key();
        binKeys |= keys[i] instanceof byte[];
        values[i] = read(depth + 1);
      }
      if (binKeys) return numpyHook(keys, values, at);
      Map<String, Object> map = LinkedHashMap.newLinkedHashMap(n);
      for (int i = 0; i < n; i++) map.put((String) keys[i], values[i]);
      return map;
    }

    private Object numpyHook(Object[] keys, Object[] values, long at) throws MsgpackFormatException {
      Object nd = binValue(keys, values, ND);
      if (nd != ABSENT) {
        Object type = binValue(keys, values, TYPE);
        Object data = binValue(keys, values, DATA);
        if (type == ABSENT || data == ABSENT) {
          throw new MsgpackFormatException(at, "msgpack-numpy map without 'type' or 'data'");
        }
        String dtype = dtype(type, at);
        if (!(data instanceof byte[] raw)) throw new MsgpackFormatException(at, "msgpack-numpy 'data' is not bytes");
        int item;
        try {
          item = NdArray.itemSize(dtype);
        } catch (IllegalArgumentException e) {
          throw new MsgpackFormatException(at, "msgpack-numpy dtype " + dtype + ": " + e.getMessage());
        }
        if (Boolean.TRUE.equals(nd)) return ndarray(keys, values, dtype, item, raw, at);
        // np.frombuffer(data, dtype)[0]
        if (item == 0 || raw.length < item || raw.length % item != 0) {
          throw new MsgpackFormatException(at, "NumPy scalar of " + dtype + " with " + raw.length + " data bytes");
        }
        return new NumpyScalar(dtype, raw.length == item ? raw : Arrays.copyOf(raw, item));
      }
      Object c = binValue(keys, values, COMPLEX);
      if (c != ABSENT) {
        Object data = binValue(keys, values, DATA);
        String text = data instanceof String s ? s : data instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : null;
        Complex z = text == null ? null : parseComplex(text);
        if (z == null) throw new MsgpackFormatException(at, "complex 'data' is not a complex number: " + data);
        return z;
      }
      throw new MsgpackFormatException(at, "map with bytes keys that is no msgpack-numpy value (not representable)");
    }

    private Object ndarray(Object[] keys, Object[] values, String dtype, int item, byte[] raw, long at)
        throws MsgpackFormatException {
      Object kind = binValue(keys, values, KIND);
      if (kind instanceof byte[] k && k.length == 1 && (k[0] == 'V' || k[0] == 'O')) {
        throw new MsgpackFormatException(at, "msgpack-numpy " + (k[0] == 'O' ? "object array (pickled)" : "structured array")
            + " is not supported");
      }
      Object shapeValue = binValue(keys, values, SHAPE);
      if (!(shapeValue instanceof List<?> dims) || dims.size() > NdArray.MAX_DIMS) {
        throw new MsgpackFormatException(at, "msgpack-numpy 'shape' is not a list of at most " + NdArray.MAX_DIMS + " ints");
      }
      long[] shape = new long[dims.size()];
      long need = item;
      for (int i = 0; i < shape.length; i++) {
        if (!(dims.get(i) instanceof Long d) || d < 0) {
          throw new MsgpackFormatException(at, "msgpack-numpy shape " + dims + " is not a list of non-negative ints");
        }
        shape[i] = d;
        need = d == 0 ? 0 : (need > raw.length / d + 1 ? Long.MAX_VALUE : need * d);
      }
      if (need > raw.length) {
        throw new MsgpackFormatException(at, "ndarray " + dtype + " of shape " + dims + " needs more than the "
            + raw.length + " data bytes");
      }
      // NumPy accepts a buffer longer than the array (np.ndarray(buffer=...)); the rest is ignored.
      byte[] data = need == raw.length ? raw : Arrays.copyOf(raw, (int) need);
      try {
        return new NdArray(dtype, shape, data);
      } catch (IllegalArgumentException | ArithmeticException e) {
        throw new MsgpackFormatException(at, "ndarray " + dtype + " of shape " + dims + ": " + e.getMessage());
      }
    }

    private static String dtype(Object type, long at) throws MsgpackFormatException {
      if (type instanceof String s) return s;
      if (type instanceof byte[] b) return new String(b, StandardCharsets.ISO_8859_1);
      throw new MsgpackFormatException(at, "msgpack-numpy 'type' is not a dtype string: " + type);
    }
  }

  private static final Object ABSENT = new Object();

  private static Object binValue(Object[] keys, Object[] values, byte[] key) {
    // The last of duplicate keys wins, as in a Python dict.
    for (int i = keys.length - 1; i >= 0; i--) {
      if (keys[i] instanceof byte[] k && Arrays.equals(k, key)) return values[i];
    }
    return ABSENT;
  }

  private static String utf8(byte[] b, long at) throws MsgpackFormatException {
    // ASCII (dtype strings, most keys) needs no validating decoder: Latin-1 of ASCII bytes is the same text.
    boolean ascii = true;
    for (byte x : b) ascii &= x >= 0;
    if (ascii) return new String(b, StandardCharsets.ISO_8859_1);
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
    } catch (CharacterCodingException e) {
      throw new MsgpackFormatException(at, "str is not valid UTF-8");
    }
  }

  private static byte[] ascii(String s) { return s.getBytes(StandardCharsets.US_ASCII); }

  // ---------------------------------------------------------------- Python's complex text

  /** Python's {@code repr(complex(re, im))}: {@code "(1.5-2j)"}, {@code "2j"}, {@code "(-0-0.5j)"}, {@code "(nan+infj)"}. */
  public static String complexRepr(double re, double im) {
    if (re == 0 && Math.copySign(1.0, re) > 0) return part(im) + "j";
    String i = part(im);
    return "(" + part(re) + (i.startsWith("-") ? i : "+" + i) + "j)";
  }

  /** Python's {@code repr} of one part of a complex: {@code repr(float)} without a trailing {@code .0}. */
  private static String part(double d) {
    if (Double.isNaN(d)) return "nan"; // Python ignores a NaN's sign here
    String s = PyFloats.repr(d);
    return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
  }

  private static final Pattern FLOAT = Pattern.compile(
      "[+-]?((\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?|(?i:nan|inf|infinity))");

  /** Python's {@code complex(text)}, or null when Python would raise ValueError. */
  public static Complex parseComplex(String text) {
    String s = text.strip();
    if (s.startsWith("(") && s.endsWith(")")) s = s.substring(1, s.length() - 1).strip();
    if (s.isEmpty()) return null;
    char last = s.charAt(s.length() - 1);
    if (last != 'j' && last != 'J') {
      Double re = parseFloat(s);
      return re == null ? null : new Complex(re, 0.0);
    }
    String body = s.substring(0, s.length() - 1);
    int split = -1;
    for (int k = body.length() - 1; k > 0; k--) {
      char c = body.charAt(k);
      if ((c == '+' || c == '-') && body.charAt(k - 1) != 'e' && body.charAt(k - 1) != 'E') {
        split = k;
        break;
      }
    }
    Double re = split < 0 ? Double.valueOf(0.0) : parseFloat(body.substring(0, split));
    Double im = imag(split < 0 ? body : body.substring(split));
    return re == null || im == null ? null : new Complex(re, im);
  }

  private static Double imag(String s) {
    if (s.isEmpty() || s.equals("+")) return 1.0;
    if (s.equals("-")) return -1.0;
    return parseFloat(s);
  }

  private static Double parseFloat(String s) {
    if (!FLOAT.matcher(s).matches()) return null;
    String t = s.toLowerCase(java.util.Locale.ROOT);
    boolean neg = t.startsWith("-");
    String u = t.startsWith("+") || neg ? t.substring(1) : t;
    if (u.equals("nan")) return Double.NaN;
    if (u.startsWith("inf")) return neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    return Double.parseDouble(s);
  }
}
