package org.atomstore.arrays.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * One array's {@code .zarray}, parsed and bounded: every size that is later allocated (a chunk's bytes) is
 * checked here, and the chunk count cannot overflow.
 *
 * @param fill one element's bytes in the array's byte order, or null for {@code fill_value: null}
 */
public record ArrayMeta(DType dtype, long[] shape, int[] chunks, JsonNode fillValue, byte[] fill, char order,
                        ChunkCodec compressor, List<Filter> filters, char separator, ObjectNode zarray) {

  /** The most dimensions accepted. */
  public static final int MAX_DIMS = 32;
  /** The largest decoded chunk accepted, in bytes. */
  public static final int MAX_CHUNK_BYTES = 1 << 30;

  /** Parses a {@code .zarray}; IllegalArgumentException names the field and the problem. */
  public static ArrayMeta parse(JsonNode z) {
    if (!z.isObject()) throw new IllegalArgumentException(".zarray is not a JSON object");
    if (z.path("zarr_format").asInt(-1) != 2 || !z.path("zarr_format").isIntegralNumber()) {
      throw new IllegalArgumentException("zarr_format is " + z.get("zarr_format") + ", expected 2");
    }
    JsonNode dt = z.get("dtype");
    if (dt == null || !dt.isTextual()) throw new IllegalArgumentException("dtype " + dt + " is not supported (structured and object dtypes are not)");
    DType dtype = DType.parse(dt.textValue());
    if (dtype == null) throw new IllegalArgumentException("dtype '" + dt.textValue() + "' is not supported");
    long[] shape = dims(z.get("shape"), "shape", 0);
    long[] ch = dims(z.get("chunks"), "chunks", 1);
    if (ch.length != shape.length) throw new IllegalArgumentException("chunks " + z.get("chunks") + " and shape " + z.get("shape") + " differ in rank");
    int[] chunks = new int[ch.length];
    long chunkElems = 1;
    for (int i = 0; i < ch.length; i++) {
      if (ch[i] > MAX_CHUNK_BYTES) throw new IllegalArgumentException("chunk dimension " + ch[i] + " is larger than " + MAX_CHUNK_BYTES);
      chunks[i] = (int) ch[i];
      chunkElems *= ch[i];
      if (chunkElems * dtype.itemSize() > MAX_CHUNK_BYTES) {
        throw new IllegalArgumentException("chunks " + z.get("chunks") + " of " + dtype.str() + " exceed " + MAX_CHUNK_BYTES + " bytes");
      }
    }
    long elems = 1;
    long nchunks = 1;
    for (int i = 0; i < shape.length; i++) {
      try {
        elems = Math.multiplyExact(elems, shape[i]);
        Math.multiplyExact(elems, (long) dtype.itemSize());
        nchunks = Math.multiplyExact(nchunks, Math.ceilDiv(shape[i], ch[i]));
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("shape " + z.get("shape") + " with chunks " + z.get("chunks") + " overflows 64 bits");
      }
    }
    String ord = z.path("order").asText("C");
    if (!ord.equals("C") && !ord.equals("F")) throw new IllegalArgumentException("order '" + ord + "' (expected C or F)");
    String sep = z.path("dimension_separator").asText(".");
    if (!sep.equals(".") && !sep.equals("/")) throw new IllegalArgumentException("dimension_separator '" + sep + "' (expected . or /)");
    ChunkCodec codec = ChunkCodec.fromConfig(z.get("compressor"));
    List<Filter> filters = Filter.fromConfig(z.get("filters"), dtype);
    JsonNode fv = z.get("fill_value");
    byte[] fill = fillBytes(fv, dtype);
    return new ArrayMeta(dtype, shape, chunks, fv == null ? JsonNodeFactory.instance.nullNode() : fv, fill, ord.charAt(0),
        codec, filters, sep.charAt(0), (ObjectNode) z);
  }

  private static long[] dims(JsonNode n, String field, long min) {
    if (n == null || !n.isArray()) throw new IllegalArgumentException(field + " is not a list: " + n);
    if (n.size() > MAX_DIMS) throw new IllegalArgumentException(field + " has " + n.size() + " dimensions, more than " + MAX_DIMS);
    long[] out = new long[n.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode e = n.get(i);
      if (!e.isIntegralNumber() || !e.canConvertToLong()) throw new IllegalArgumentException(field + "[" + i + "] is not an integer: " + e);
      out[i] = e.longValue();
      if (out[i] < min) throw new IllegalArgumentException(field + "[" + i + "] is " + out[i] + (min == 0 ? " (negative)" : " (must be positive)"));
    }
    return out;
  }

  public int rank() { return shape.length; }

  public int itemSize() { return dtype.itemSize(); }

  /** Elements in one (full) chunk. */
  public int chunkElements() {
    long n = 1;
    for (int c : chunks) n *= c;
    return (int) n;
  }

  public int chunkBytes() { return chunkElements() * dtype.itemSize(); }

  /** Elements in the array. */
  public long elements() {
    long n = 1;
    for (long s : shape) n *= s;
    return n;
  }

  /** Chunks along dimension {@code d}. */
  public long gridSize(int d) { return Math.ceilDiv(shape[d], chunks[d]); }

  /** Chunks in the grid (1 for a 0-d array, 0 when a dimension is 0). */
  public long nchunks() {
    long n = 1;
    for (int d = 0; d < shape.length; d++) n *= gridSize(d);
    return n;
  }

  /** The key of the chunk at grid position {@code idx}, relative to the array ("0" for a 0-d array). */
  public String chunkKey(long[] idx) {
    if (idx.length == 0) return "0";
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < idx.length; i++) {
      if (i > 0) sb.append(separator);
      sb.append(idx[i]);
    }
    return sb.toString();
  }

  /** A chunk's raw bytes holding nothing but the fill value (zeros for no fill value). */
  public byte[] fillChunk() {
    byte[] out = new byte[chunkBytes()];
    if (fill != null && !isZero(fill)) {
      for (int i = 0; i < out.length; i += fill.length) System.arraycopy(fill, 0, out, i, fill.length);
    }
    return out;
  }

  private static boolean isZero(byte[] b) {
    for (byte x : b) if (x != 0) return false;
    return true;
  }

  /** The fill value's element bytes in the dtype's byte order, as zarr decodes {@code fill_value}. */
  public static byte[] fillBytes(JsonNode fv, DType dt) {
    if (fv == null || fv.isNull()) return null;
    ByteBuffer b = ByteBuffer.allocate(dt.itemSize()).order(dt.byteOrder());
    switch (dt.kind()) {
      case 'f' -> putFloat(b, dt, floatValue(fv));
      case 'c' -> {
        if (fv.isArray() && fv.size() == 2) {
          putFloatHalf(b, dt, floatValue(fv.get(0)));
          putFloatHalf(b, dt, floatValue(fv.get(1)));
        } else {
          putFloatHalf(b, dt, floatValue(fv));
          putFloatHalf(b, dt, 0);
        }
      }
      case 'b' -> {
        if (fv.isBoolean()) b.put((byte) (fv.booleanValue() ? 1 : 0));
        else if (fv.isNumber()) b.put((byte) (fv.doubleValue() != 0 ? 1 : 0));
        else throw new IllegalArgumentException("fill_value " + fv + " for " + dt.str());
      }
      case 'i', 'u', 'M', 'm' -> putInt(b, dt, integerValue(fv, dt));
      case 'S', 'V' -> {
        if (!fv.isTextual()) throw new IllegalArgumentException("fill_value " + fv + " for " + dt.str() + " is not base64 text");
        byte[] raw;
        try {
          raw = Base64.getDecoder().decode(fv.textValue());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("fill_value " + fv + " for " + dt.str() + " is not valid base64");
        }
        b.put(raw, 0, Math.min(raw.length, dt.itemSize()));
      }
      case 'U' -> {
        if (!fv.isTextual()) throw new IllegalArgumentException("fill_value " + fv + " for " + dt.str() + " is not text");
        putUnicode(b, fv.textValue(), dt.itemSize() / 4);
      }
      default -> throw new IllegalArgumentException("fill_value for " + dt.str());
    }
    return b.array();
  }

  static void putUnicode(ByteBuffer b, String s, int n) {
    int[] cps = s.codePoints().toArray();
    for (int i = 0; i < Math.min(n, cps.length); i++) b.putInt(cps[i]);
  }

  static double floatValue(JsonNode fv) {
    if (fv.isNumber()) return fv.doubleValue();
    if (fv.isTextual()) {
      return switch (fv.textValue()) {
        case "NaN" -> Double.NaN;
        case "Infinity" -> Double.POSITIVE_INFINITY;
        case "-Infinity" -> Double.NEGATIVE_INFINITY;
        default -> throw new IllegalArgumentException("fill_value " + fv + " is not a number");
      };
    }
    throw new IllegalArgumentException("fill_value " + fv + " is not a number");
  }

  private static BigInteger integerValue(JsonNode fv, DType dt) {
    BigInteger v;
    if (fv.isIntegralNumber()) v = fv.bigIntegerValue();
    else if (fv.isNumber() && fv.doubleValue() == Math.rint(fv.doubleValue()) && !Double.isInfinite(fv.doubleValue())) v = fv.decimalValue().toBigInteger();
    else if (fv.isBoolean()) v = fv.booleanValue() ? BigInteger.ONE : BigInteger.ZERO;
    else if (fv.isTextual() && fv.textValue().equals("NaT") && (dt.kind() == 'M' || dt.kind() == 'm')) v = BigInteger.valueOf(Long.MIN_VALUE);
    else throw new IllegalArgumentException("fill_value " + fv + " for " + dt.str() + " is not an integer");
    int bits = dt.itemSize() * 8;
    boolean unsigned = dt.kind() == 'u';
    BigInteger min = unsigned ? BigInteger.ZERO : BigInteger.ONE.shiftLeft(bits - 1).negate();
    BigInteger max = unsigned ? BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE) : BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE);
    if (v.compareTo(min) < 0 || v.compareTo(max) > 0) throw new IllegalArgumentException("fill_value " + fv + " does not fit " + dt.str());
    return v;
  }

  private static void putInt(ByteBuffer b, DType dt, BigInteger v) {
    long l = v.longValue();
    switch (dt.itemSize()) {
      case 1 -> b.put((byte) l);
      case 2 -> b.putShort((short) l);
      case 4 -> b.putInt((int) l);
      default -> b.putLong(l);
    }
  }

  private static void putFloat(ByteBuffer b, DType dt, double v) {
    switch (dt.itemSize()) {
      case 2 -> b.putShort(Float.floatToFloat16((float) v));
      case 4 -> b.putFloat((float) v);
      default -> b.putDouble(v);
    }
  }

  private static void putFloatHalf(ByteBuffer b, DType dt, double v) {
    if (dt.itemSize() == 8) b.putFloat((float) v);
    else b.putDouble(v);
  }

  /** The {@code .zarray} JSON for a new array (zarr's own key set; {@code dimension_separator} only for "/"). */
  public static ObjectNode zarray(DType dt, long[] shape, int[] chunks, JsonNode fillValue, char order, ChunkCodec codec, char separator) {
    ObjectNode z = JsonNodeFactory.instance.objectNode();
    ArrayNode ch = z.putArray("chunks");
    for (int c : chunks) ch.add(c);
    if (codec == null) z.putNull("compressor");
    else z.set("compressor", codec.config());
    if (separator == '/') z.put("dimension_separator", "/");
    z.put("dtype", dt.str());
    z.set("fill_value", fillValue);
    z.putNull("filters");
    z.put("order", String.valueOf(order));
    ArrayNode sh = z.putArray("shape");
    for (long s : shape) sh.add(s);
    z.put("zarr_format", 2);
    return z;
  }

  static ByteOrder orderOf(DType dt) { return dt.byteOrder(); }

  static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }
}
