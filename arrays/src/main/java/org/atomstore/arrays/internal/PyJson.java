package org.atomstore.arrays.internal;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * JSON as Python writes it: zarr's metadata files ({@code json.dumps(indent=4, sort_keys=True,
 * ensure_ascii=True)}) and the {@code zarr-expected/1} dump layout (keys sorted, one space a level, lists of
 * scalars on one line), floats as Python's {@code repr}. Reading accepts NaN and Infinity, as Python's json does.
 *
 * <p>Stateless; safe for concurrent use.
 */
public final class PyJson {
  /** Reads metadata; Jackson's own limits bound nesting, string and number lengths. */
  public static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .build();

  static {
    MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(256).build());
  }

  private PyJson() {}

  /** zarr's metadata file text. */
  public static String metadata(JsonNode n) {
    StringBuilder sb = new StringBuilder();
    writeIndented(sb, n, 0);
    return sb.toString();
  }

  private static void writeIndented(StringBuilder sb, JsonNode n, int level) {
    if (n.isObject()) {
      if (n.isEmpty()) { sb.append("{}"); return; }
      sb.append("{\n");
      List<String> keys = sortedKeys(n);
      for (int i = 0; i < keys.size(); i++) {
        indent(sb, level + 1, 4);
        string(sb, keys.get(i), true);
        sb.append(": ");
        writeIndented(sb, n.get(keys.get(i)), level + 1);
        if (i < keys.size() - 1) sb.append(',');
        sb.append('\n');
      }
      indent(sb, level, 4);
      sb.append('}');
    } else if (n.isArray()) {
      if (n.isEmpty()) { sb.append("[]"); return; }
      sb.append("[\n");
      for (int i = 0; i < n.size(); i++) {
        indent(sb, level + 1, 4);
        writeIndented(sb, n.get(i), level + 1);
        if (i < n.size() - 1) sb.append(',');
        sb.append('\n');
      }
      indent(sb, level, 4);
      sb.append(']');
    } else {
      scalar(sb, n, true);
    }
  }

  /** The dump layout of {@code peers/zarr_dump.py}'s {@code to_json}, ending in a newline. */
  public static String dump(JsonNode n) {
    StringBuilder sb = new StringBuilder();
    enc(sb, n, 0);
    return sb.append('\n').toString();
  }

  private static boolean flat(JsonNode n) {
    if (n.isObject()) return false;
    if (n.isArray()) {
      for (JsonNode e : n) if (!flat(e)) return false;
    }
    return true;
  }

  private static void enc(StringBuilder sb, JsonNode n, int ind) {
    if (flat(n)) {
      compact(sb, n);
      return;
    }
    if (n.isObject()) {
      if (n.isEmpty()) { sb.append("{}"); return; }
      sb.append("{\n");
      List<String> keys = sortedKeys(n);
      for (int i = 0; i < keys.size(); i++) {
        indent(sb, ind + 1, 1);
        string(sb, keys.get(i), false);
        sb.append(": ");
        enc(sb, n.get(keys.get(i)), ind + 1);
        if (i < keys.size() - 1) sb.append(',');
        sb.append('\n');
      }
      indent(sb, ind, 1);
      sb.append('}');
    } else {
      sb.append("[\n");
      for (int i = 0; i < n.size(); i++) {
        indent(sb, ind + 1, 1);
        enc(sb, n.get(i), ind + 1);
        if (i < n.size() - 1) sb.append(',');
        sb.append('\n');
      }
      indent(sb, ind, 1);
      sb.append(']');
    }
  }

  private static void compact(StringBuilder sb, JsonNode n) {
    if (n.isArray()) {
      sb.append('[');
      for (int i = 0; i < n.size(); i++) {
        if (i > 0) sb.append(',');
        compact(sb, n.get(i));
      }
      sb.append(']');
    } else {
      scalar(sb, n, false);
    }
  }

  private static List<String> sortedKeys(JsonNode n) {
    List<String> keys = new ArrayList<>();
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) keys.add(it.next());
    // Python sorts str keys by code point; Java's String order is by UTF-16 unit, which differs only for
    // keys mixing characters above U+FFFF with U+E000..U+FFFF
    keys.sort(PyJson::compareCodePoints);
    return keys;
  }

  private static int compareCodePoints(String a, String b) {
    int i = 0, j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i), cb = b.codePointAt(j);
      if (ca != cb) return Integer.compare(ca, cb);
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  private static void indent(StringBuilder sb, int level, int width) {
    sb.repeat(' ', level * width);
  }

  private static void scalar(StringBuilder sb, JsonNode n, boolean ascii) {
    if (n.isNull() || n.isMissingNode()) sb.append("null");
    else if (n.isBoolean()) sb.append(n.booleanValue());
    else if (n.isTextual()) string(sb, n.textValue(), ascii);
    else if (n.isIntegralNumber()) sb.append(n.bigIntegerValue());
    else if (n.isNumber()) sb.append(repr(n.doubleValue()));
    else sb.append(n);
  }

  /** Python's {@code repr} of a double: the shortest round-tripping digits, exponent outside [1e-4, 1e16). */
  public static String repr(double d) {
    if (Double.isNaN(d)) return "NaN";
    if (Double.isInfinite(d)) return d > 0 ? "Infinity" : "-Infinity";
    if (d == 0) return (Double.doubleToRawLongBits(d) < 0) ? "-0.0" : "0.0";
    // Java 19+ Double.toString gives the shortest digits that round-trip, closest to the value, as Python's repr
    BigDecimal bd = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
    // Double.toString keeps two digits for some subnormals (4.9E-324); shorten while the value still reads back
    while (bd.precision() > 1) {
      BigDecimal shorter = bd.round(new java.math.MathContext(bd.precision() - 1, java.math.RoundingMode.HALF_EVEN));
      if (shorter.doubleValue() != Math.abs(d)) break;
      bd = shorter.stripTrailingZeros();
    }
    String digits = bd.unscaledValue().toString();
    int decpt = digits.length() - bd.scale();
    StringBuilder sb = new StringBuilder();
    if (d < 0) sb.append('-');
    if (decpt <= -4 || decpt > 16) {
      sb.append(digits.charAt(0));
      if (digits.length() > 1) sb.append('.').append(digits, 1, digits.length());
      int e = decpt - 1;
      sb.append('e').append(e < 0 ? '-' : '+');
      int ae = Math.abs(e);
      if (ae < 10) sb.append('0');
      sb.append(ae);
    } else if (decpt <= 0) {
      sb.append("0.").repeat('0', -decpt).append(digits);
    } else if (decpt >= digits.length()) {
      sb.append(digits).repeat('0', decpt - digits.length()).append(".0");
    } else {
      sb.append(digits, 0, decpt).append('.').append(digits, decpt, digits.length());
    }
    return sb.toString();
  }

  private static void string(StringBuilder sb, String s, boolean ascii) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (c < 0x20 || (ascii && c > 0x7f)) sb.append(String.format("\\u%04x", (int) c));
          else sb.append(c);
        }
      }
    }
    sb.append('"');
  }

  /** A plain Java value (Map, List, String, Number, Boolean, null, arrays of primitives) as a JSON tree. */
  public static JsonNode toTree(Object value) {
    return MAPPER.valueToTree(value);
  }

  /** A JSON tree as plain Java values (LinkedHashMap, ArrayList, String, Integer/Long/BigInteger, Double, Boolean). */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> toMap(JsonNode n) {
    return MAPPER.convertValue(n, Map.class);
  }
}
