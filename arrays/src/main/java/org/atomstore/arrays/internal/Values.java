package org.atomstore.arrays.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Elements of raw array bytes as values: JSON in the {@code zarr-expected/1} convention (floats as doubles,
 * NaN and infinities as strings, {@code u8} exact, {@code |S} as one code point per byte and {@code <U} as text,
 * both without trailing NULs, datetimes as their int64 count), doubles and longs for statistics, and the
 * canonical little-endian bytes the dump hashes.
 *
 * <p>Stateless; safe for concurrent use.
 */
public final class Values {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private Values() {}

  private static ValueLayout.OfShort s16(DType t) { return ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(t.byteOrder()); }

  private static ValueLayout.OfInt s32(DType t) { return ValueLayout.JAVA_INT_UNALIGNED.withOrder(t.byteOrder()); }

  private static ValueLayout.OfLong s64(DType t) { return ValueLayout.JAVA_LONG_UNALIGNED.withOrder(t.byteOrder()); }

  /** Element {@code i} as a signed or unsigned long (integers, bool, datetimes); u8 as its bits. */
  public static long longAt(DType t, MemorySegment s, long i) {
    long at = i * t.itemSize();
    boolean u = t.kind() == 'u' || t.kind() == 'b';
    return switch (t.itemSize()) {
      case 1 -> u ? s.get(ValueLayout.JAVA_BYTE, at) & 0xffL : s.get(ValueLayout.JAVA_BYTE, at);
      case 2 -> u ? s.get(s16(t), at) & 0xffffL : s.get(s16(t), at);
      case 4 -> u ? s.get(s32(t), at) & 0xffffffffL : s.get(s32(t), at);
      default -> s.get(s64(t), at);
    };
  }

  /** Element {@code i} of a float dtype (the real part of a complex one). */
  public static double doubleAt(DType t, MemorySegment s, long i) {
    long at = i * t.itemSize();
    int size = t.kind() == 'c' ? t.itemSize() / 2 : t.itemSize();
    return switch (size) {
      case 2 -> Float.float16ToFloat(s.get(s16(t), at));
      case 4 -> Float.intBitsToFloat(s.get(s32(t), at));
      default -> Double.longBitsToDouble(s.get(s64(t), at));
    };
  }

  private static double doubleAtOffset(DType t, MemorySegment s, long at, int size) {
    return switch (size) {
      case 4 -> Float.intBitsToFloat(s.get(s32(t), at));
      default -> Double.longBitsToDouble(s.get(s64(t), at));
    };
  }

  /** A float as the dump writes it. */
  public static JsonNode floatNode(double d) {
    if (Double.isNaN(d)) return F.textNode("NaN");
    if (Double.isInfinite(d)) return F.textNode(d > 0 ? "Infinity" : "-Infinity");
    return F.numberNode(d);
  }

  /** Element {@code i} as JSON. */
  public static JsonNode element(DType t, MemorySegment s, long i) {
    return switch (t.kind()) {
      case 'b' -> F.booleanNode(s.get(ValueLayout.JAVA_BYTE, i) != 0);
      case 'i', 'M', 'm' -> F.numberNode(longAt(t, s, i));
      case 'u' -> {
        long v = longAt(t, s, i);
        yield v >= 0 ? F.numberNode(v) : F.numberNode(new BigInteger(Long.toUnsignedString(v)));
      }
      case 'f' -> floatNode(doubleAt(t, s, i));
      case 'c' -> {
        int half = t.itemSize() / 2;
        long at = i * t.itemSize();
        ArrayNode a = F.arrayNode();
        a.add(floatNode(doubleAtOffset(t, s, at, half)));
        a.add(floatNode(doubleAtOffset(t, s, at + half, half)));
        yield a;
      }
      case 'U' -> {
        int n = t.itemSize() / 4;
        long at = i * t.itemSize();
        int end = n;
        while (end > 0 && s.get(s32(t), at + 4L * (end - 1)) == 0) end--;
        StringBuilder sb = new StringBuilder(end);
        for (int k = 0; k < end; k++) {
          int cp = s.get(s32(t), at + 4L * k);
          if (Character.isValidCodePoint(cp)) sb.appendCodePoint(cp);
          else sb.append('\uFFFD');
        }
        yield F.textNode(sb.toString());
      }
      default -> {
        long at = i * t.itemSize();
        int end = t.itemSize();
        while (end > 0 && s.get(ValueLayout.JAVA_BYTE, at + end - 1) == 0) end--;
        StringBuilder sb = new StringBuilder(end);
        for (int k = 0; k < end; k++) sb.append((char) (s.get(ValueLayout.JAVA_BYTE, at + k) & 0xff));
        yield F.textNode(sb.toString());
      }
    };
  }

  /** Elements {@code [from, to)} as a flat JSON list. */
  public static ArrayNode flat(DType t, MemorySegment s, long from, long to) {
    ArrayNode a = F.arrayNode();
    for (long i = from; i < to; i++) a.add(element(t, s, i));
    return a;
  }

  /** The whole C-order array as nested lists (a bare value for 0-d). */
  public static JsonNode nested(DType t, long[] shape, MemorySegment s) {
    if (shape.length == 0) return element(t, s, 0);
    long[] pos = {0};
    return nested(t, shape, 0, s, pos);
  }

  private static JsonNode nested(DType t, long[] shape, int d, MemorySegment s, long[] pos) {
    ArrayNode a = F.arrayNode();
    for (long k = 0; k < shape[d]; k++) {
      if (d == shape.length - 1) a.add(element(t, s, pos[0]++));
      else a.add(nested(t, shape, d + 1, s, pos));
    }
    return a;
  }

  /** Reverses the bytes of every {@code unit}-byte group in place. */
  public static void swap(MemorySegment s, int unit) {
    if (unit <= 1) return;
    long n = s.byteSize() / unit;
    switch (unit) {
      case 2 -> { for (long i = 0; i < n; i++) s.set(ValueLayout.JAVA_SHORT_UNALIGNED, 2 * i, Short.reverseBytes(s.get(ValueLayout.JAVA_SHORT_UNALIGNED, 2 * i))); }
      case 4 -> { for (long i = 0; i < n; i++) s.set(ValueLayout.JAVA_INT_UNALIGNED, 4 * i, Integer.reverseBytes(s.get(ValueLayout.JAVA_INT_UNALIGNED, 4 * i))); }
      case 8 -> { for (long i = 0; i < n; i++) s.set(ValueLayout.JAVA_LONG_UNALIGNED, 8 * i, Long.reverseBytes(s.get(ValueLayout.JAVA_LONG_UNALIGNED, 8 * i))); }
      default -> {
        for (long i = 0; i < n; i++) {
          for (int a = 0, b = unit - 1; a < b; a++, b--) {
            byte x = s.get(ValueLayout.JAVA_BYTE, i * unit + a);
            s.set(ValueLayout.JAVA_BYTE, i * unit + a, s.get(ValueLayout.JAVA_BYTE, i * unit + b));
            s.set(ValueLayout.JAVA_BYTE, i * unit + b, x);
          }
        }
      }
    }
  }

  /** SHA-256 of the canonical bytes: C order, every element little-endian. */
  public static String sha256(DType t, byte[] cOrder) {
    byte[] b = cOrder;
    if (t.byteOrder() == ByteOrder.BIG_ENDIAN && t.swapUnit() > 1) {
      b = cOrder.clone();
      swap(MemorySegment.ofArray(b), t.swapUnit());
    }
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
