package org.atomstore.arrays;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The differences between two JSON trees as the peer's {@code --compare} sees them: 1 and 1.0 differ, keys skipped at any depth. */
final class JsonDiff {
  private JsonDiff() {}

  static List<String> diff(JsonNode expected, JsonNode actual, Set<String> ignore) {
    List<String> out = new ArrayList<>();
    diff(expected, actual, "", ignore, out);
    return out;
  }

  private static void diff(JsonNode a, JsonNode b, String path, Set<String> ignore, List<String> out) {
    if (out.size() > 30) return;
    if (a.isObject() && b.isObject()) {
      Set<String> keys = new TreeSet<>();
      a.fieldNames().forEachRemaining(keys::add);
      b.fieldNames().forEachRemaining(keys::add);
      for (String k : keys) {
        if (ignore.contains(k)) continue;
        if (!a.has(k) || !b.has(k)) out.add(path + "/" + k + ": only in " + (a.has(k) ? "expected" : "actual"));
        else diff(a.get(k), b.get(k), path + "/" + k, ignore, out);
      }
    } else if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) out.add(path + ": length " + a.size() + " != " + b.size());
      for (int i = 0; i < Math.min(a.size(), b.size()); i++) diff(a.get(i), b.get(i), path + "[" + i + "]", ignore, out);
    } else if (a.isIntegralNumber() && b.isIntegralNumber()) {
      if (!a.bigIntegerValue().equals(b.bigIntegerValue())) out.add(path + ": expected " + a + " got " + b);
    } else if (a.isFloatingPointNumber() && b.isFloatingPointNumber()) {
      if (Double.compare(a.doubleValue(), b.doubleValue()) != 0) out.add(path + ": expected " + a + " got " + b);
    } else if (!a.equals(b)) {
      out.add(path + ": expected " + a + " got " + b);
    }
  }
}
