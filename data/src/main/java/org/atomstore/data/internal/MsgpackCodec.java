package org.atomstore.data.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
    return decode(MemorySegment.ofArray(bytes));
  }

  /** The value in the remaining bytes of {@code buf} (its position is not moved). */
  public static Object decode(ByteBuffer buf) throws MsgpackFormatException {
    return decode(MemorySegment.ofBuffer(buf));
  }

  /**
   * The value in {@code value} (all its bytes), as asebytes reads it. Nothing returned refers to the segment: it
   * may be a view of a mapped file that closes later.
   */
  public static Object decode(MemorySegment value) throws MsgpackFormatException {
    long total = value.byteSize();
    if (total == 0) throw new MsgpackFormatException(0, "empty value: no msgpack object");
    // Decoded straight from the segment (no unpacker, no intermediate buffers): this is every LMDB read's hot path.
    Reader r = new Reader(value);
    Object v = r.read(0);
    if (r.pos != r.end) {
      throw new MsgpackFormatException(r.pos, "extra bytes after the msgpack object: " + (r.end - r.pos) + " of " + total);
    }
    return v;
  }

  /**
   * A msgpack-numpy ndarray read in place: its dtype (one of the common spellings, shared), shape, and where its
   * {@code need} data bytes start in the value.
   */
  public record NdView(String dtype, int itemSize, long[] shape, long dataOffset, long dataLength) {}

  /**
   * The ndarray {@code value} holds when it is msgpack-numpy's plain form (a map of the bin keys nd = true, type =
   * a common dtype, kind = "", shape = ints, data = bin, each once and nothing after), read without copying;
   * null for anything else, which {@link #decode(MemorySegment)} then reads (or refuses) as always. Where it is not
   * null, {@code decode} gives the {@link NdArray} of this dtype and shape over these bytes.
   */
  public static NdView ndView(MemorySegment value) {
    Reader r = new Reader(value);
    return r.ndView();
  }

  private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
  private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
  private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

  /** msgpack-numpy's keys as small codes, so that a numpy map's bin keys are matched in place, not copied. */
  private static final int K_OTHER = 0, K_ND = 1, K_TYPE = 2, K_KIND = 3, K_SHAPE = 4, K_DATA = 5, K_COMPLEX = 6;
  private static final Integer[] KEY_CODES = {0, 1, 2, 3, 4, 5, 6};
  /** The bin value of a numpy map's "data", kept as a place in the segment until the array's size is known. */
  private record Slice(long offset, long length) {}

  /** dtype strings most stores hold, shared instead of decoded each time. */
  private static final String[] COMMON_DTYPES = {"<f8", "<i8", "|b1", "<f4", "<i4", "<u8", "<u4", "|u1", "|i1", "<f2",
      "<i2", "<u2", "<c16", "<c8", ">f8", ">i8"};
  private static final byte[][] COMMON_DTYPE_BYTES = new byte[COMMON_DTYPES.length][];

  /** Their item sizes. */
  private static final int[] COMMON_ITEM_SIZES = java.util.Arrays.stream(COMMON_DTYPES).mapToInt(NdArray::itemSize).toArray();
  /** The three-byte spellings as big-endian ints (-1 for longer ones). */
  private static final int[] COMMON_DTYPE3 = new int[COMMON_DTYPES.length];

  static {
    for (int k = 0; k < COMMON_DTYPES.length; k++) {
      byte[] d = ascii(COMMON_DTYPES[k]);
      COMMON_DTYPE_BYTES[k] = d;
      COMMON_DTYPE3[k] = d.length == 3 ? (d[0] & 0xff) << 16 | (d[1] & 0xff) << 8 | d[2] & 0xff : -1;
    }
  }

  /** A cursor over one value's bytes; offsets (in messages too) are from the value's start. */
  private static final class Reader {
    final MemorySegment b;
    final long end;
    long pos;

    Reader(MemorySegment b) {
      this.b = b;
      this.end = b.byteSize();
    }

    private long at() { return pos; }

    private long left() { return end - pos; }

    private void need(int n, long itemAt) throws MsgpackFormatException {
      if (n > end - pos) {
        throw new MsgpackFormatException(itemAt, "invalid msgpack: truncated value (" + n + " bytes needed, " + left() + " left)");
      }
    }

    private int u8() { return b.get(ValueLayout.JAVA_BYTE, pos++) & 0xff; }

    private int u16() { int v = b.get(U16, pos) & 0xffff; pos += 2; return v; }

    private int i32() { int v = b.get(I32, pos); pos += 4; return v; }

    private long i64() { long v = b.get(I64, pos); pos += 8; return v; }

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
      if (t <= 0xbf) return str(t & 0x1f, at);
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
        case 0xd0 -> { need(1, at); yield (long) b.get(ValueLayout.JAVA_BYTE, pos++); }
        case 0xd1 -> { need(2, at); yield (long) (short) u16(); }
        case 0xd2 -> { need(4, at); yield (long) i32(); }
        case 0xd3 -> { need(8, at); yield i64(); }
        case 0xd9 -> str(header(1, at), at);
        case 0xda -> str(header(2, at), at);
        case 0xdb -> str(header(4, at), at);
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
      byte[] out = b.asSlice(pos, len).toArray(ValueLayout.JAVA_BYTE);
      pos += len;
      return out;
    }

    private String str(long n, long at) throws MsgpackFormatException {
      int len = length(n, 1, "str length");
      long from = pos;
      pos += len;
      return utf8(b, from, len, at);
    }

    /**
     * A map key: str (as String) or bin (as the Integer code of msgpack-numpy's key it equals, {@code K_OTHER} for
     * any other); msgpack 1.x refuses other key types.
     */
    private Object key() throws MsgpackFormatException {
      long at = at();
      need(1, at);
      int t = b.get(ValueLayout.JAVA_BYTE, pos) & 0xff;
      if (t >= 0xa0 && t <= 0xbf || t == 0xd9 || t == 0xda || t == 0xdb) return read(0);
      if (t == 0xc4 || t == 0xc5 || t == 0xc6) {
        pos++;
        int len = length(header(t == 0xc4 ? 1 : t == 0xc5 ? 2 : 4, at), 1, "bin length");
        long from = pos;
        pos += len;
        return KEY_CODES[binKey(from, len)];
      }
      throw new MsgpackFormatException(at, "map key of type " + typeName(t) + " (msgpack 1.x reads only str and bytes keys)");
    }

    private int binKey(long from, int len) {
      // By length first, then the bytes at once: this runs for each of a numpy map's five keys.
      return switch (len) {
        case 2 -> b.get(U16, from) == ('n' << 8 | 'd') ? K_ND : K_OTHER;
        case 4 -> switch (b.get(I32, from)) {
          case 'd' << 24 | 'a' << 16 | 't' << 8 | 'a' -> K_DATA;
          case 't' << 24 | 'y' << 16 | 'p' << 8 | 'e' -> K_TYPE;
          case 'k' << 24 | 'i' << 16 | 'n' << 8 | 'd' -> K_KIND;
          default -> K_OTHER;
        };
        case 5 -> is(from, len, SHAPE) ? K_SHAPE : K_OTHER;
        case 7 -> is(from, len, COMPLEX) ? K_COMPLEX : K_OTHER;
        default -> K_OTHER;
      };
    }

    private boolean is(long from, int len, byte[] name) {
      if (len != name.length) return false;
      for (int k = 0; k < len; k++) if (b.get(ValueLayout.JAVA_BYTE, from + k) != name[k]) return false;
      return true;
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
      // Keys stay as read (String, or the code of a bin key) until we know whether msgpack-numpy's hook claims the map.
      Object[] keys = new Object[n];
      Object[] values = new Object[n];
      boolean binKeys = false;
      for (int i = 0; i < n; i++) {
        Object k = key();
        keys[i] = k;
        if (k instanceof Integer code) {
          binKeys = true;
          values[i] = binKeyValue(code, depth);
        } else {
          values[i] = read(depth + 1);
        }
      }
      if (binKeys) return numpyHook(keys, values, at);
      Map<String, Object> map = LinkedHashMap.newLinkedHashMap(n);
      for (int i = 0; i < n; i++) map.put((String) keys[i], values[i]);
      return map;
    }

    /** The value of a bin key: "data" as a {@link Slice} when bin, "type" shared when common; else read as usual. */
    private Object binKeyValue(int code, int depth) throws MsgpackFormatException {
      if (pos < end) {
        int t = b.get(ValueLayout.JAVA_BYTE, pos) & 0xff;
        if (code == K_DATA && (t == 0xc4 || t == 0xc5 || t == 0xc6)) {
          long at = at();
          pos++;
          int len = length(header(t == 0xc4 ? 1 : t == 0xc5 ? 2 : 4, at), 1, "bin length");
          Slice s = new Slice(pos, len);
          pos += len;
          return s;
        }
        if (code == K_TYPE && t >= 0xa0 && t <= 0xbf) {
          int len = t & 0x1f;
          if (len <= left() - 1) {
            String common = commonDtype(pos + 1, len);
            if (common != null) {
              pos += 1 + len;
              return common;
            }
          }
        }
      }
      return read(depth + 1);
    }

    NdView ndView() {
      if (end < 1) return null;
      int t = u8();
      if (t != 0x85) return null; // a fixmap of the five keys
      String dtype = null;
      int dtypeIndex = -1;
      long[] shape = null;
      long dataOff = -1, dataLen = -1;
      int seen = 0;
      for (int i = 0; i < 5; i++) {
        if (left() < 2 || (b.get(ValueLayout.JAVA_BYTE, pos) & 0xff) != 0xc4) return null;
        int klen = b.get(ValueLayout.JAVA_BYTE, pos + 1) & 0xff;
        if (klen > left() - 2) return null;
        int code = binKey(pos + 2, klen);
        pos += 2 + klen;
        if (code == K_OTHER || code == K_COMPLEX || (seen & 1 << code) != 0 || left() < 1) return null;
        seen |= 1 << code;
        int v = b.get(ValueLayout.JAVA_BYTE, pos) & 0xff;
        switch (code) {
          case K_ND -> { if (v != 0xc3) return null; pos++; }
          case K_KIND -> { if (v != 0xc4 || left() < 2 || b.get(ValueLayout.JAVA_BYTE, pos + 1) != 0) return null; pos += 2; }
          case K_TYPE -> {
            if (v < 0xa0 || v > 0xbf || (v & 0x1f) > left() - 1) return null;
            dtypeIndex = commonDtypeIndex(pos + 1, v & 0x1f);
            if (dtypeIndex < 0) return null;
            dtype = COMMON_DTYPES[dtypeIndex];
            pos += 1 + (v & 0x1f);
          }
          case K_SHAPE -> {
            if (v < 0x90 || v > 0x9f) return null;
            pos++;
            shape = new long[v & 0x0f];
            for (int d = 0; d < shape.length; d++) {
              if (left() < 1) return null;
              int x = b.get(ValueLayout.JAVA_BYTE, pos) & 0xff;
              if (x <= 0x7f) { shape[d] = x; pos++; }
              else if (x == 0xcc && left() >= 2) { pos++; shape[d] = u8(); }
              else if (x == 0xcd && left() >= 3) { pos++; shape[d] = u16(); }
              else if (x == 0xce && left() >= 5) { pos++; shape[d] = i32() & 0xffffffffL; }
              else return null;
            }
          }
          default -> { // K_DATA
            if (v != 0xc4 && v != 0xc5 && v != 0xc6) return null;
            int w = v == 0xc4 ? 1 : v == 0xc5 ? 2 : 4;
            if (left() < 1 + w) return null;
            pos++;
            long len = w == 1 ? u8() : w == 2 ? u16() : i32() & 0xffffffffL;
            if (len > left()) return null;
            dataOff = pos;
            dataLen = len;
            pos += len;
          }
        }
      }
      if (pos != end) return null;
      int item = COMMON_ITEM_SIZES[dtypeIndex];
      long n = item;
      for (long d : shape) {
        if (d > Integer.MAX_VALUE) return null;
        n = d == 0 ? 0 : (n > dataLen / d + 1 ? Long.MAX_VALUE : n * d);
      }
      if (n > dataLen) return null;
      return new NdView(dtype, item, shape, dataOff, n);
    }

    private String commonDtype(long from, int len) {
      int k = commonDtypeIndex(from, len);
      return k < 0 ? null : COMMON_DTYPES[k];
    }

    private int commonDtypeIndex(long from, int len) {
      if (len == 3) {
        int v = (b.get(U16, from) & 0xffff) << 8 | b.get(ValueLayout.JAVA_BYTE, from + 2) & 0xff;
        for (int k = 0; k < COMMON_DTYPE3.length; k++) if (COMMON_DTYPE3[k] == v) return k;
        return -1;
      }
      for (int k = 0; k < COMMON_DTYPES.length; k++) {
        if (is(from, len, COMMON_DTYPE_BYTES[k])) return k;
      }
      return -1;
    }

    private byte[] bytesOf(Object v) {
      return v instanceof Slice s ? b.asSlice(s.offset, s.length).toArray(ValueLayout.JAVA_BYTE) : v instanceof byte[] x ? x : null;
    }

    private Object numpyHook(Object[] keys, Object[] values, long at) throws MsgpackFormatException {
      Object nd = binValue(keys, values, K_ND);
      if (nd != ABSENT) {
        Object type = binValue(keys, values, K_TYPE);
        Object data = binValue(keys, values, K_DATA);
        if (type == ABSENT || data == ABSENT) {
          throw new MsgpackFormatException(at, "msgpack-numpy map without 'type' or 'data'");
        }
        String dtype = dtype(type, at);
        if (!(data instanceof Slice) && !(data instanceof byte[])) throw new MsgpackFormatException(at, "msgpack-numpy 'data' is not bytes");
        long rawLength = data instanceof Slice s ? s.length : ((byte[]) data).length;
        int item;
        try {
          item = NdArray.itemSize(dtype);
        } catch (IllegalArgumentException e) {
          throw new MsgpackFormatException(at, "msgpack-numpy dtype " + dtype + ": " + e.getMessage());
        }
        if (Boolean.TRUE.equals(nd)) return ndarray(keys, values, dtype, item, data, rawLength, at);
        // np.frombuffer(data, dtype)[0]
        if (item == 0 || rawLength < item || rawLength % item != 0) {
          throw new MsgpackFormatException(at, "NumPy scalar of " + dtype + " with " + rawLength + " data bytes");
        }
        return new NumpyScalar(dtype, prefix(data, item));
      }
      Object c = binValue(keys, values, K_COMPLEX);
      if (c != ABSENT) {
        Object data = binValue(keys, values, K_DATA);
        byte[] raw = bytesOf(data);
        String text = data instanceof String s ? s : raw != null ? new String(raw, StandardCharsets.ISO_8859_1) : null;
        Complex z = text == null ? null : parseComplex(text);
        if (z == null) throw new MsgpackFormatException(at, "complex 'data' is not a complex number: " + (raw != null ? text : data));
        return z;
      }
      throw new MsgpackFormatException(at, "map with bytes keys that is no msgpack-numpy value (not representable)");
    }

    /** The first {@code n} bytes of a "data" value (a Slice or byte[] at least that long), copied once. */
    private byte[] prefix(Object data, long n) {
      if (data instanceof Slice s) return b.asSlice(s.offset, n).toArray(ValueLayout.JAVA_BYTE);
      byte[] raw = (byte[]) data;
      return raw.length == n ? raw : Arrays.copyOf(raw, (int) n);
    }

    private Object ndarray(Object[] keys, Object[] values, String dtype, int item, Object raw, long rawLength, long at)
        throws MsgpackFormatException {
      Object kind = binValue(keys, values, K_KIND);
      byte[] k = kind instanceof Slice || kind instanceof byte[] ? bytesOf(kind) : null;
      if (k != null && k.length == 1 && (k[0] == 'V' || k[0] == 'O')) {
        throw new MsgpackFormatException(at, "msgpack-numpy " + (k[0] == 'O' ? "object array (pickled)" : "structured array")
            + " is not supported");
      }
      Object shapeValue = binValue(keys, values, K_SHAPE);
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
        need = d == 0 ? 0 : (need > rawLength / d + 1 ? Long.MAX_VALUE : need * d);
      }
      if (need > rawLength) {
        throw new MsgpackFormatException(at, "ndarray " + dtype + " of shape " + dims + " needs more than the "
            + rawLength + " data bytes");
      }
      // NumPy accepts a buffer longer than the array (np.ndarray(buffer=...)); the rest is ignored.
      byte[] data = prefix(raw, need);
      try {
        return new NdArray(dtype, shape, data);
      } catch (IllegalArgumentException | ArithmeticException e) {
        throw new MsgpackFormatException(at, "ndarray " + dtype + " of shape " + dims + ": " + e.getMessage());
      }
    }

    private String dtype(Object type, long at) throws MsgpackFormatException {
      if (type instanceof String s) return s;
      byte[] raw = type instanceof Slice || type instanceof byte[] ? bytesOf(type) : null;
      if (raw != null) return new String(raw, StandardCharsets.ISO_8859_1);
      throw new MsgpackFormatException(at, "msgpack-numpy 'type' is not a dtype string: " + type);
    }
  }

  private static final Object ABSENT = new Object();

  private static Object binValue(Object[] keys, Object[] values, int code) {
    // The last of duplicate keys wins, as in a Python dict.
    for (int i = keys.length - 1; i >= 0; i--) {
      if (keys[i] instanceof Integer c && c == code) return values[i];
    }
    return ABSENT;
  }

  private static String utf8(MemorySegment seg, long from, int len, long at) throws MsgpackFormatException {
    // ASCII (dtype strings, most keys) needs no validating decoder: Latin-1 of ASCII bytes is the same text.
    byte[] b = seg.asSlice(from, len).toArray(ValueLayout.JAVA_BYTE);
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
