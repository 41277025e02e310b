package org.atomstore.data.lmdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/** The shared asebytes corpus and JSON comparison helpers for the LMDB tests. */
final class LmdbTestSupport {
  private LmdbTestSupport() {}

  static final ObjectMapper JSON = new ObjectMapper();

  static Path corpus() {
    return Path.of(System.getProperty("atomstore.shared", "../../shared")).resolve("compat/asebytes");
  }

  static List<Path> stores() throws IOException {
    try (Stream<Path> s = Files.list(corpus())) {
      return s.filter(p -> p.getFileName().toString().endsWith(".lmdb")).sorted().toList();
    }
  }

  static JsonNode expected(Path store) throws IOException {
    return withoutProducedBy(JSON.readTree(store.resolveSibling(store.getFileName() + ".expected.json").toFile()));
  }

  static JsonNode dump(Path store, String view) throws IOException {
    StringWriter w = new StringWriter();
    AsebytesDump.write(store, view, w);
    return withoutProducedBy(JSON.readTree(w.toString()));
  }

  static JsonNode withoutProducedBy(JsonNode n) {
    ((ObjectNode) n).remove("produced_by");
    return n;
  }

  /** The path of the first difference, or null when equal (numbers compared by value: 2.0 != 2). */
  static String firstDifference(JsonNode a, JsonNode b, String path) {
    if (a.equals(b)) return null;
    if (a.isObject() && b.isObject()) {
      for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!b.has(k)) return path + "/" + k + " missing in actual";
        String d = firstDifference(a.get(k), b.get(k), path + "/" + k);
        if (d != null) return d;
      }
      for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!a.has(k)) return path + "/" + k + " unexpected in actual";
      }
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) return path + " size " + a.size() + " vs " + b.size();
      for (int i = 0; i < a.size(); i++) {
        String d = firstDifference(a.get(i), b.get(i), path + "/" + i);
        if (d != null) return d;
      }
    }
    String ea = a.toString(), eb = b.toString();
    return path + ": expected " + ea.substring(0, Math.min(300, ea.length())) + " got " + eb.substring(0, Math.min(300, eb.length()));
  }
}
