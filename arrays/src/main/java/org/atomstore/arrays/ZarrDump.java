package org.atomstore.arrays;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.atomstore.arrays.internal.ArrayMeta;
import org.atomstore.arrays.internal.PyJson;
import org.atomstore.arrays.internal.Values;
import org.atomstore.model.NdArray;
import org.atomstore.source.ObjectStore;

/**
 * A store as {@code zarr-expected/1} JSON (the layout of {@code shared/compat/zarr-v2/README.md}, which
 * {@code peers/zarr_dump.py} prints from zarr-python): every group with its attributes, every array with its
 * metadata, the raw {@code .zarray}, the chunk keys present, its values and their SHA-256. The {@code xarray}
 * block of the peer (xarray's CF decoding) is not Zarr's and is not produced.
 *
 * <p>Stateless; safe for concurrent use.
 */
public final class ZarrDump {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private ZarrDump() {}

  /** The dump as text, laid out as the peer writes it. */
  public static String text(ZarrStore z, long maxElements) throws IOException {
    return PyJson.dump(dump(z, maxElements));
  }

  /**
   * The dump as a JSON tree; arrays of more than {@code maxElements} elements get {@code data_head} and
   * {@code data_tail} (16 elements each) instead of {@code data} ({@code Long.MAX_VALUE}: never).
   */
  public static ObjectNode dump(ZarrStore z, long maxElements) throws IOException {
    ObjectStore store = z.objectStore();
    List<ObjectStore.Entry> listing = store.list("");
    Set<String> nodeDirs = new HashSet<>();
    for (ObjectStore.Entry e : listing) {
      String n = e.name();
      if (n.endsWith(".zarray") || n.endsWith(".zgroup")) nodeDirs.add(n.lastIndexOf('/') < 0 ? "" : n.substring(0, n.lastIndexOf('/')));
    }
    ObjectNode out = F.objectNode();
    out.put("schema", "zarr-expected/1");
    String addr = z.address().replaceAll("/+$", "");
    out.put("store", addr.substring(addr.lastIndexOf('/') + 1));
    out.set("producer", F.objectNode().put("atomstore", "arrays"));
    out.put("consolidated", z.consolidated());
    ArrayNode groups = out.putArray("groups");
    for (String g : z.groups()) {
      ZarrStore.GroupNode gn = (ZarrStore.GroupNode) z.node(g);
      ObjectNode o = groups.addObject();
      o.put("path", g);
      o.set("attributes", gn.attrs());
      o.set("zgroup", rawJson(store, g, ".zgroup", gn.zgroup()));
    }
    ArrayNode arrays = out.putArray("arrays");
    for (String a : z.arrays()) arrays.add(array(z, a, listing, nodeDirs, maxElements));
    if (z.consolidated()) {
      JsonNode zm = PyJson.MAPPER.readTree(read(store, ".zmetadata"));
      out.set("zmetadata_format", zm.get("zarr_consolidated_format"));
      List<String> keys = new ArrayList<>();
      zm.path("metadata").fieldNames().forEachRemaining(keys::add);
      keys.sort(String::compareTo);
      ArrayNode k = out.putArray("zmetadata_keys");
      keys.forEach(k::add);
      boolean same = true;
      for (String key : keys) {
        byte[] file = readOrNull(store, key);
        if (file == null || !PyJson.MAPPER.readTree(file).equals(zm.path("metadata").get(key))) same = false;
      }
      out.put("zmetadata_matches_nodes", same);
    }
    return out;
  }

  private static ObjectNode array(ZarrStore z, String path, List<ObjectStore.Entry> listing, Set<String> nodeDirs, long maxElements) throws IOException {
    ZarrStore.ArrNode an = z.arrayNode(path);
    ArrayMeta m = an.meta();
    ObjectNode o = F.objectNode();
    o.put("path", path);
    o.put("dtype", m.dtype().str());
    ArrayNode shape = o.putArray("shape");
    for (long s : m.shape()) shape.add(s);
    ArrayNode chunks = o.putArray("chunks");
    for (int c : m.chunks()) chunks.add(c);
    o.set("fill_value", m.fill() == null ? F.nullNode() : Values.element(m.dtype(), MemorySegment.ofArray(m.fill()), 0));
    o.put("order", String.valueOf(m.order()));
    o.set("compressor", m.compressor() == null ? F.nullNode() : m.zarray().get("compressor"));
    JsonNode filters = m.zarray().get("filters");
    o.set("filters", filters == null || filters.isEmpty() ? F.nullNode() : filters);
    o.put("dimension_separator", String.valueOf(m.separator()));
    o.set("attributes", an.attrs());
    o.set("zarray", rawJson(z.objectStore(), path, ".zarray", m.zarray()));
    ArrayNode keys = o.putArray("chunk_keys");
    String prefix = path.isEmpty() ? "" : path + "/";
    List<String> ck = new ArrayList<>();
    for (ObjectStore.Entry e : listing) {
      String n = e.name();
      if (!n.startsWith(prefix)) continue;
      String rel = n.substring(prefix.length());
      String file = rel.substring(rel.lastIndexOf('/') + 1);
      if (file.equals(".zarray") || file.equals(".zattrs") || file.equals(".zgroup") || file.equals(".zmetadata")) continue;
      if (insideChildNode(path, rel, nodeDirs)) continue;
      ck.add(rel);
    }
    ck.sort(String::compareTo);
    ck.forEach(keys::add);
    o.put("nchunks", m.nchunks());
    NdArray data = z.read(path);
    o.put("sha256", Values.sha256(m.dtype(), data.data()));
    MemorySegment s = MemorySegment.ofArray(data.data());
    long n = m.elements();
    if (n > maxElements) {
      o.putNull("data");
      o.set("data_omitted", F.objectNode().put("elements", n).put("max_elements", maxElements));
      o.set("data_head", Values.flat(m.dtype(), s, 0, Math.min(16, n)));
      o.set("data_tail", Values.flat(m.dtype(), s, Math.max(0, n - 16), n));
    } else {
      o.set("data", Values.nested(m.dtype(), m.shape(), s));
    }
    return o;
  }

  private static boolean insideChildNode(String path, String rel, Set<String> nodeDirs) {
    String prefix = path.isEmpty() ? "" : path + "/";
    int slash = rel.indexOf('/');
    while (slash >= 0) {
      if (nodeDirs.contains(prefix + rel.substring(0, slash))) return true;
      slash = rel.indexOf('/', slash + 1);
    }
    return false;
  }

  /** The node's metadata file as stored (the consolidated copy when the file is absent). */
  private static JsonNode rawJson(ObjectStore store, String path, String file, JsonNode fallback) throws IOException {
    byte[] b = readOrNull(store, path.isEmpty() ? file : path + "/" + file);
    return b == null ? fallback : PyJson.MAPPER.readTree(b);
  }

  private static byte[] readOrNull(ObjectStore store, String key) throws IOException {
    if (store.size(key).isEmpty()) return null;
    return read(store, key);
  }

  private static byte[] read(ObjectStore store, String key) throws IOException {
    try (var in = store.read(key)) {
      return in.readAllBytes();
    }
  }

  static String utf8(byte[] b) { return new String(b, StandardCharsets.UTF_8); }
}
