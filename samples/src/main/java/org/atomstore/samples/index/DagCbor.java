package org.atomstore.samples.index;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A canonical DAG-CBOR encoder for plain values, as the IPLD codec (and atdata's {@code libipld}) writes them:
 * maps with string keys sorted by UTF-8 length then bytewise, shortest-form integers and lengths, every float as
 * an 8-byte float, definite lengths only; NaN and infinities refused.
 *
 * <p>Values: {@code null}, {@code Boolean}, {@code Long/Integer/Short/Byte/BigInteger} (in [-2^64, 2^64-1]),
 * {@code Double/Float}, {@code String}, {@code byte[]}, {@code List} and {@code Map<String, ?>}. Stateless,
 * thread-safe.
 */
public final class DagCbor {
  private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

  private DagCbor() {}

  /** The DAG-CBOR bytes of {@code value}. */
  public static byte[] encode(Object value) {
    var out = new ByteArrayOutputStream();
    write(out, value);
    return out.toByteArray();
  }

  private static void write(ByteArrayOutputStream out, Object v) {
    switch (v) {
      case null -> out.write(0xf6);
      case Boolean b -> out.write(b ? 0xf5 : 0xf4);
      case Long l -> integer(out, l);
      case Integer i -> integer(out, i);
      case Short s -> integer(out, s);
      case Byte b -> integer(out, b);
      case BigInteger b -> bigInteger(out, b);
      case Double d -> float64(out, d);
      case Float f -> float64(out, f);
      case String s -> {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        head(out, 3, b.length);
        out.writeBytes(b);
      }
      case byte[] b -> {
        head(out, 2, b.length);
        out.writeBytes(b);
      }
      case List<?> l -> {
        head(out, 4, l.size());
        for (Object o : l) write(out, o);
      }
      case Map<?, ?> m -> map(out, m);
      default -> throw new IllegalArgumentException("no DAG-CBOR form for " + v.getClass().getName());
    }
  }

  private static void map(ByteArrayOutputStream out, Map<?, ?> m) {
    byte[][] keys = new byte[m.size()][];
    Object[] values = new Object[m.size()];
    int i = 0;
    for (var e : m.entrySet()) {
      if (!(e.getKey() instanceof String k)) throw new IllegalArgumentException("DAG-CBOR map keys must be strings: " + e.getKey());
      keys[i] = k.getBytes(StandardCharsets.UTF_8);
      values[i++] = e.getValue();
    }
    Integer[] order = new Integer[keys.length];
    for (int j = 0; j < order.length; j++) order[j] = j;
    Arrays.sort(order, (a, b) -> keys[a].length != keys[b].length ? Integer.compare(keys[a].length, keys[b].length)
        : Arrays.compareUnsigned(keys[a], keys[b]));
    head(out, 5, keys.length);
    for (int j = 0; j < order.length; j++) {
      if (j > 0 && Arrays.equals(keys[order[j]], keys[order[j - 1]])) throw new IllegalArgumentException("duplicate map key");
      head(out, 3, keys[order[j]].length);
      out.writeBytes(keys[order[j]]);
      write(out, values[order[j]]);
    }
  }

  private static void integer(ByteArrayOutputStream out, long v) {
    if (v >= 0) head(out, 0, v);
    else head(out, 1, -1 - v);
  }

  private static void bigInteger(ByteArrayOutputStream out, BigInteger b) {
    if (b.signum() >= 0) {
      if (b.compareTo(TWO_64) >= 0) throw new IllegalArgumentException("integer above 2^64-1: " + b);
      head(out, 0, b.longValue());
    } else {
      BigInteger n = b.negate().subtract(BigInteger.ONE);
      if (n.compareTo(TWO_64) >= 0) throw new IllegalArgumentException("integer below -2^64: " + b);
      head(out, 1, n.longValue());
    }
  }

  private static void float64(ByteArrayOutputStream out, double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) throw new IllegalArgumentException("DAG-CBOR has no NaN or infinity");
    out.write(0xfb);
    long bits = Double.doubleToRawLongBits(d);
    for (int s = 56; s >= 0; s -= 8) out.write((int) (bits >>> s));
  }

  /** A major type and an unsigned argument (as an unsigned long), shortest form. */
  private static void head(ByteArrayOutputStream out, int major, long arg) {
    int m = major << 5;
    if (Long.compareUnsigned(arg, 24) < 0) out.write(m | (int) arg);
    else if (Long.compareUnsigned(arg, 0x100) < 0) { out.write(m | 24); out.write((int) arg); }
    else if (Long.compareUnsigned(arg, 0x10000) < 0) { out.write(m | 25); out.write((int) (arg >>> 8)); out.write((int) arg); }
    else if (Long.compareUnsigned(arg, 0x100000000L) < 0) {
      out.write(m | 26);
      for (int s = 24; s >= 0; s -= 8) out.write((int) (arg >>> s));
    } else {
      out.write(m | 27);
      for (int s = 56; s >= 0; s -= 8) out.write((int) (arg >>> s));
    }
  }
}
