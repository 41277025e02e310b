package org.atomstore.samples.internal;

import java.util.List;
import java.util.Map;

/**
 * JSON text as Python's {@code json.dumps} writes it with its defaults ({@code ", "} and {@code ": "}
 * separators, {@code ensure_ascii}), so schema records stored in an index read the same from both languages.
 */
public final class PyJson {
  private PyJson() {}

  public static String dumps(Object v) {
    var sb = new StringBuilder();
    write(sb, v);
    return sb.toString();
  }

  private static void write(StringBuilder sb, Object v) {
    switch (v) {
      case null -> sb.append("null");
      case Boolean b -> sb.append(b ? "true" : "false");
      case String s -> string(sb, s);
      case Double d -> sb.append(pyFloat(d));
      case Float f -> sb.append(pyFloat(f));
      case Number n -> sb.append(n);
      case List<?> l -> {
        sb.append('[');
        for (int i = 0; i < l.size(); i++) { if (i > 0) sb.append(", "); write(sb, l.get(i)); }
        sb.append(']');
      }
      case Map<?, ?> m -> {
        sb.append('{');
        boolean first = true;
        for (var e : m.entrySet()) {
          if (!first) sb.append(", ");
          first = false;
          string(sb, String.valueOf(e.getKey()));
          sb.append(": ");
          write(sb, e.getValue());
        }
        sb.append('}');
      }
      default -> throw new IllegalArgumentException("no JSON form for " + v.getClass().getName());
    }
  }

  private static String pyFloat(double d) {
    if (Double.isNaN(d)) return "NaN";
    if (Double.isInfinite(d)) return d > 0 ? "Infinity" : "-Infinity";
    return Double.toString(d);
  }

  private static void string(StringBuilder sb, String s) {
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
          if (c < 0x20 || c > 0x7e) sb.append(String.format("\\u%04x", (int) c));
          else sb.append(c);
        }
      }
    }
    sb.append('"');
  }
}
