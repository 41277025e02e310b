package org.atomstore.samples.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;

/**
 * Plain values to and from msgpack as msgpack-python's {@code packb} / {@code unpackb(raw=False)} do: maps,
 * lists, strings, integers (shortest, non-negative unsigned), floats (float 64), booleans, nil, bytes. Used for
 * the index's {@code data_urls} and {@code metadata}. Stateless, thread-safe; lengths are bounded by the input.
 */
public final class MsgpackValues {
  private static final int MAX_DEPTH = 64;

  private MsgpackValues() {}

  public static byte[] pack(Object v) {
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      pack(p, v);
      return p.toByteArray();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void pack(MessagePacker p, Object v) throws IOException {
    switch (v) {
      case null -> p.packNil();
      case Boolean b -> p.packBoolean(b);
      case Long l -> p.packLong(l);
      case Integer i -> p.packLong(i);
      case Short s -> p.packLong(s);
      case Byte b -> p.packLong(b);
      case BigInteger b -> p.packBigInteger(b);
      case Double d -> p.packDouble(d);
      case Float f -> p.packDouble(f);
      case String s -> {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        p.packRawStringHeader(b.length);
        p.writePayload(b);
      }
      case byte[] b -> { p.packBinaryHeader(b.length); p.writePayload(b); }
      case List<?> l -> { p.packArrayHeader(l.size()); for (Object o : l) pack(p, o); }
      case Map<?, ?> m -> {
        p.packMapHeader(m.size());
        for (var e : m.entrySet()) { pack(p, e.getKey()); pack(p, e.getValue()); }
      }
      default -> throw new IllegalArgumentException("no msgpack form for " + v.getClass().getName());
    }
  }

  /**
   * Unpacks one value.
   *
   * @throws IllegalArgumentException naming the problem when the bytes are not one valid msgpack value
   */
  public static Object unpack(byte[] b) {
    try (MessageUnpacker u = MessagePack.newDefaultUnpacker(b)) {
      Object v = unpack(u, b.length, 0);
      if (u.hasNext()) throw new IllegalArgumentException("bytes after the msgpack value");
      return v;
    } catch (IOException | MessagePackException e) {
      throw new IllegalArgumentException("invalid msgpack: " + e.getMessage(), e);
    }
  }

  private static Object unpack(MessageUnpacker u, long size, int depth) throws IOException {
    if (depth > MAX_DEPTH) throw new IllegalArgumentException("msgpack nested deeper than " + MAX_DEPTH);
    MessageFormat f = u.getNextFormat();
    long left = size - u.getTotalReadBytes();
    return switch (f.getValueType()) {
      case NIL -> { u.unpackNil(); yield null; }
      case BOOLEAN -> u.unpackBoolean();
      case INTEGER -> f == MessageFormat.UINT64 ? normalize(u.unpackBigInteger()) : (Object) u.unpackLong();
      case FLOAT -> u.unpackDouble();
      case STRING -> {
        int n = u.unpackRawStringHeader();
        check(n, left);
        yield new String(u.readPayload(n), StandardCharsets.UTF_8);
      }
      case BINARY -> {
        int n = u.unpackBinaryHeader();
        check(n, left);
        yield u.readPayload(n);
      }
      case ARRAY -> {
        int n = u.unpackArrayHeader();
        check(n, left);
        var l = new ArrayList<Object>(n);
        for (int i = 0; i < n; i++) l.add(unpack(u, size, depth + 1));
        yield l;
      }
      case MAP -> {
        int n = u.unpackMapHeader();
        check(n, left / 2);
        var m = new LinkedHashMap<Object, Object>();
        for (int i = 0; i < n; i++) m.put(unpack(u, size, depth + 1), unpack(u, size, depth + 1));
        yield m;
      }
      case EXTENSION -> throw new IllegalArgumentException("msgpack extension types are not supported");
    };
  }

  private static Object normalize(BigInteger b) {
    return b.bitLength() <= 63 ? (Object) b.longValue() : b;
  }

  private static void check(long n, long left) {
    if (n < 0 || n > left) throw new IllegalArgumentException("msgpack length " + Integer.toUnsignedString((int) n) + " runs past the end (" + left + " bytes left)");
  }
}
