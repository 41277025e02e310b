package org.atomstore.samples.index;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JSON documents as the plain values {@link DagCbor} hashes, with the input conventions of atdata's CID vectors:
 * a number written with {@code .} or {@code e} is a float, any other an integer, and {@code {"/": {"bytes":
 * "<base64>"}}} a byte string (DAG-JSON's bytes form). Stateless, thread-safe.
 */
public final class JsonValues {
  private JsonValues() {}

  /**
   * The value of a JSON tree parsed by Jackson (which keeps the float/integer distinction of the text).
   *
   * @throws IllegalArgumentException when a bytes form is not valid base64
   */
  public static Object of(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) return null;
    if (n.isObject()) {
      if (n.size() == 1 && n.has("/") && n.get("/").isObject() && n.get("/").size() == 1 && n.get("/").has("bytes")) {
        return Base64.getDecoder().decode(n.get("/").get("bytes").asText());
      }
      Map<String, Object> m = new LinkedHashMap<>();
      n.fields().forEachRemaining(e -> m.put(e.getKey(), of(e.getValue())));
      return m;
    }
    if (n.isArray()) {
      var l = new ArrayList<Object>(n.size());
      n.forEach(x -> l.add(of(x)));
      return l;
    }
    if (n.isFloatingPointNumber()) return n.doubleValue();
    if (n.isBigInteger()) return n.bigIntegerValue();
    if (n.isIntegralNumber()) return n.longValue();
    if (n.isTextual()) return n.textValue();
    if (n.isBoolean()) return n.booleanValue();
    throw new IllegalArgumentException("no value for JSON node " + n.getNodeType());
  }
}
