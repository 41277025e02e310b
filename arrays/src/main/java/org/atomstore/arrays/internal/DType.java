package org.atomstore.arrays.internal;

import java.nio.ByteOrder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Zarr v2 / NumPy {@code dtype.str}, parsed: byte order, kind, item size and, for datetime64/timedelta64,
 * the unit. Only the kinds a chunk can carry as plain bytes are accepted: {@code b i u f c S U M m V}.
 *
 * @param str the spelling as stored ({@code <f8}, {@code |b1}, {@code <M8[ns]})
 */
public record DType(String str, char order, char kind, int itemSize, String unit) {

  /** The largest item size accepted (a {@code <U} of a million code points). */
  public static final int MAX_ITEM_SIZE = 1 << 22;

  private static final Pattern SPELLING = Pattern.compile("([<>|=])([biufcSUMmV])(\\d{1,8})(\\[([a-zA-Z]{1,3}|[0-9]{1,4}[a-zA-Z]{1,3})\\])?");

  /** Parses a spelling, or returns null when it is not one this reader understands. */
  public static DType parse(String s) {
    if (s == null) return null;
    Matcher m = SPELLING.matcher(s);
    if (!m.matches()) return null;
    char kind = m.group(2).charAt(0);
    long n = Long.parseLong(m.group(3));
    long size = kind == 'U' ? n * 4 : n;
    if (size > MAX_ITEM_SIZE) return null;
    String unit = m.group(5);
    boolean time = kind == 'M' || kind == 'm';
    if (time != (unit != null)) return null;
    boolean ok = switch (kind) {
      case 'b' -> size == 1;
      case 'i', 'u' -> size == 1 || size == 2 || size == 4 || size == 8;
      case 'f' -> size == 2 || size == 4 || size == 8;
      case 'c' -> size == 8 || size == 16;
      case 'M', 'm' -> size == 8;
      default -> true;
    };
    if (!ok) return null;
    char order = m.group(1).charAt(0);
    if (order == '=') order = '<';
    // NumPy's dtype.str writes '|' for single-byte and byte-string kinds whatever was asked
    if (size == 1 || kind == 'S' || kind == 'V' || kind == 'b') order = '|';
    String str = order + m.group(2) + m.group(3) + (unit == null ? "" : "[" + unit + "]");
    return new DType(str, order, kind, (int) size, unit);
  }

  public ByteOrder byteOrder() { return order == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN; }

  /** The size of one byte-swappable unit: the item size, or half of it for complex, 4 for {@code U}, 1 for raw bytes. */
  public int swapUnit() {
    return switch (kind) {
      case 'c' -> itemSize / 2;
      case 'U' -> 4;
      case 'S', 'V', 'b' -> 1;
      default -> itemSize;
    };
  }

  public boolean isFloat() { return kind == 'f'; }

  public boolean isInteger() { return kind == 'i' || kind == 'u' || kind == 'M' || kind == 'm'; }
}
