package org.atomstore.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.atomstore.model.NdArray;
import org.atomstore.samples.internal.NdArrayBytes;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * A schema-less view of one atdata sample for inspection: its msgpack map as typed JSON in the {@code fields}
 * layout of {@code atdata-expected/1} ({@code type}, {@code value} / {@code items} / {@code hex}, {@code msgpack}
 * wire format; NDArrays with {@code dtype}, {@code shape}, {@code values}, header and digest). Bytes decode as
 * an NDArray only for the fields named (the bytes alone cannot tell, as in atdata).
 *
 * <p>Stateless; thread-safe.
 */
public final class SampleDump {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final HexFormat HEX = HexFormat.of();

  private SampleDump() {}

  /** The decoded map: field order, map format and typed fields. */
  public record Dump(List<String> fieldOrder, String mapFormat, ObjectNode fields) {}

  /**
   * Dumps one sample.
   *
   * @throws CorruptSampleException naming shard, member and field when the bytes are not a msgpack map
   */
  public static Dump dump(byte[] msgpack, Set<String> ndarrayFields, String shard, String key) throws CorruptSampleException {
    var in = new SampleType.In(MessagePack.newDefaultUnpacker(msgpack), msgpack.length, shard, key);
    try {
      MessageFormat f = in.u.getNextFormat();
      if (f.getValueType() != ValueType.MAP) throw in.corrupt(null, "expected a msgpack map, found " + f);
      int n = in.u.unpackMapHeader();
      in.checkCount(n, 2, null);
      ObjectNode fields = F.objectNode();
      var order = new java.util.ArrayList<String>();
      for (int i = 0; i < n; i++) {
        if (in.u.getNextFormat().getValueType() != ValueType.STRING) throw in.corrupt(null, "map key is not a string");
        String k = in.string(null);
        in.field = k;
        order.add(k);
        fields.set(k, value(in, ndarrayFields.contains(k)));
        in.field = null;
      }
      if (in.u.hasNext()) throw in.corrupt(null, "bytes after the sample map");
      return new Dump(List.copyOf(order), formatName(f), fields);
    } catch (MessagePackException | IOException e) {
      if (e instanceof CorruptSampleException c) throw c;
      throw in.corrupt(in.field, SampleType.why(e), e);
    }
  }

  private static ObjectNode value(SampleType.In in, boolean ndarray) throws IOException {
    MessageUnpacker u = in.u;
    MessageFormat f = u.getNextFormat();
    ObjectNode o = F.objectNode();
    o.put("msgpack", formatName(f));
    switch (f.getValueType()) {
      case NIL -> { u.unpackNil(); o.put("type", "null"); o.putNull("value"); }
      case BOOLEAN -> {
        boolean b = u.unpackBoolean();
        o.put("msgpack", b ? "true" : "false");
        o.put("type", "bool");
        o.put("value", b);
      }
      case INTEGER -> {
        o.put("type", "int");
        if (f == MessageFormat.UINT64) o.put("value", u.unpackBigInteger()); else o.put("value", u.unpackLong());
      }
      case FLOAT -> { o.put("type", "float"); o.set("value", number(u.unpackDouble())); }
      case STRING -> { o.put("type", "str"); o.put("value", in.string(in.field)); }
      case BINARY -> {
        byte[] b = in.binary();
        if (ndarray) ndarray(in, b, o); else { o.put("type", "bytes"); o.put("hex", HEX.formatHex(b)); }
      }
      case ARRAY -> {
        int n = u.unpackArrayHeader();
        in.checkCount(n, 1, in.field);
        o.put("type", "list");
        ArrayNode items = o.putArray("items");
        for (int i = 0; i < n; i++) items.add(value(in, false));
      }
      default -> throw in.corrupt(in.field, "msgpack " + f.name().toLowerCase() + " is not a sample value");
    }
    return o;
  }

  private static void ndarray(SampleType.In in, byte[] b, ObjectNode o) throws CorruptSampleException {
    NdArrayBytes.Decoded d;
    try {
      d = NdArrayBytes.decode(b);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw in.corrupt(in.field, e.getMessage());
    }
    NdArray a = d.array();
    o.put("type", "ndarray");
    o.put("encoding", d.npy() ? "npy" : "compact");
    o.put("dtype", a.dtype());
    ArrayNode shape = o.putArray("shape");
    for (long s : a.shape()) shape.add(s);
    o.set("values", values(a));
    o.put("header_hex", HEX.formatHex(b, 0, d.headerLength()));
    o.put("data_sha256", sha256Hex(b, d.headerLength(), b.length - d.headerLength()));
    o.put("bytes_len", b.length);
    if (d.npy()) {
      o.putArray("npy_version").add(d.npyMajor()).add(d.npyMinor());
      o.put("npy_header", d.npyHeader());
      o.put("fortran_order", d.fortranOrder());
    }
  }

  /** The array's elements as nested JSON lists (a bare value for 0-D), floats' specials as strings. */
  public static JsonNode values(NdArray a) {
    ByteBuffer bb = ByteBuffer.wrap(a.data()).order(a.order());
    long[] shape = a.shape();
    if (shape.length == 0) return element(a, bb, 0);
    return nest(a, bb, shape, 0, new long[] {0});
  }

  private static JsonNode nest(NdArray a, ByteBuffer bb, long[] shape, int dim, long[] next) {
    ArrayNode out = F.arrayNode();
    for (long i = 0; i < shape[dim]; i++) {
      if (dim == shape.length - 1) out.add(element(a, bb, (int) (next[0]++ * a.itemSize())));
      else out.add(nest(a, bb, shape, dim + 1, next));
    }
    return out;
  }

  private static JsonNode element(NdArray a, ByteBuffer bb, int at) {
    int size = a.itemSize();
    return switch (a.kind()) {
      case 'f' -> switch (size) {
        case 2 -> number(Float.float16ToFloat(bb.getShort(at)));
        case 4 -> number(bb.getFloat(at));
        case 8 -> number(bb.getDouble(at));
        default -> throw new IllegalArgumentException("no JSON for dtype " + a.dtype());
      };
      case 'i' -> switch (size) {
        case 1 -> F.numberNode((long) bb.get(at));
        case 2 -> F.numberNode((long) bb.getShort(at));
        case 4 -> F.numberNode((long) bb.getInt(at));
        case 8 -> F.numberNode(bb.getLong(at));
        default -> throw new IllegalArgumentException("no JSON for dtype " + a.dtype());
      };
      case 'u' -> switch (size) {
        case 1 -> F.numberNode((long) (bb.get(at) & 0xff));
        case 2 -> F.numberNode((long) (bb.getShort(at) & 0xffff));
        case 4 -> F.numberNode(bb.getInt(at) & 0xffffffffL);
        case 8 -> {
          long v = bb.getLong(at);
          yield v >= 0 ? F.numberNode(v) : F.numberNode(new BigInteger(Long.toUnsignedString(v)));
        }
        default -> throw new IllegalArgumentException("no JSON for dtype " + a.dtype());
      };
      case 'b' -> F.booleanNode(bb.get(at) != 0);
      default -> F.textNode(HEX.formatHex(a.data(), at, at + size));
    };
  }

  private static JsonNode number(double d) {
    if (Double.isNaN(d)) return F.textNode("NaN");
    if (Double.isInfinite(d)) return F.textNode(d > 0 ? "Infinity" : "-Infinity");
    return F.numberNode(d);
  }

  /** The msgpack spec's name of a wire format: {@code positive fixint}, {@code uint 8}, {@code bin 16}, ... */
  public static String formatName(MessageFormat f) {
    return switch (f) {
      case POSFIXINT -> "positive fixint";
      case NEGFIXINT -> "negative fixint";
      case FIXMAP -> "fixmap";
      case FIXARRAY -> "fixarray";
      case FIXSTR -> "fixstr";
      case NIL -> "nil";
      case BOOLEAN -> "bool";
      case NEVER_USED -> "never used";
      default -> {
        String n = f.name().toLowerCase();
        int digit = 0;
        while (digit < n.length() && !Character.isDigit(n.charAt(digit))) digit++;
        yield digit < n.length() ? n.substring(0, digit) + " " + n.substring(digit) : n;
      }
    };
  }

  static String sha256Hex(byte[] b, int off, int len) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(b, off, len);
      return HEX.formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
