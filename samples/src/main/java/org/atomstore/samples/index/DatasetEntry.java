package org.atomstore.samples.index;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One dataset in an index (atdata's {@code LocalDatasetEntry}): a name, the schema reference, the shard URLs
 * and optional metadata. Its content id covers the schema reference and the URLs only ({@link #cid()}).
 *
 * @param metadata msgpack-able values (maps, lists, strings, numbers, booleans, null, bytes), or null
 */
public record DatasetEntry(String name, String schemaRef, List<String> dataUrls, Map<String, Object> metadata) {

  public DatasetEntry {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(schemaRef, "schemaRef");
    dataUrls = List.copyOf(dataUrls);
  }

  /** atdata's CID of the entry: of {@code {"schema_ref": ..., "data_urls": [...]}}. */
  public String cid() {
    var content = new LinkedHashMap<String, Object>();
    content.put("schema_ref", schemaRef);
    content.put("data_urls", dataUrls);
    return Cid.of(content);
  }

  /**
   * The single URL atdata makes of several shards ({@code _shards_to_wds_url}): the longest common prefix and
   * suffix of the names (in characters) around a brace list of the middles, e.g. {@code scalars-00000{0,1,2}.tar};
   * one shard is itself; names with no common part are joined by spaces.
   */
  public static String wdsUrl(List<String> shards) {
    if (shards.isEmpty()) throw new IllegalArgumentException("no shards");
    if (shards.size() == 1) return shards.get(0);
    int[][] cps = shards.stream().map(s -> s.codePoints().toArray()).toArray(int[][]::new);
    int min = Integer.MAX_VALUE;
    for (int[] c : cps) min = Math.min(min, c.length);
    int prefix = 0;
    while (prefix < min && same(cps, prefix, false)) prefix++;
    int suffix = 0;
    while (suffix < min && same(cps, suffix, true)) suffix++;
    if (prefix + suffix > min) suffix = Math.max(0, min - prefix);
    if (prefix > 0 || suffix > 0) {
      var middles = new StringBuilder();
      boolean allNonEmpty = true;
      for (int[] c : cps) {
        int len = c.length - prefix - suffix;
        if (len <= 0) allNonEmpty = false;
        if (middles.length() > 0) middles.append(',');
        if (len > 0) middles.append(new String(c, prefix, len));
      }
      if (allNonEmpty) {
        return new String(cps[0], 0, prefix) + "{" + middles + "}" + new String(cps[0], cps[0].length - suffix, suffix);
      }
    }
    return String.join(" ", shards);
  }

  private static boolean same(int[][] cps, int i, boolean fromEnd) {
    int first = fromEnd ? cps[0][cps[0].length - 1 - i] : cps[0][i];
    for (int[] c : cps) if ((fromEnd ? c[c.length - 1 - i] : c[i]) != first) return false;
    return true;
  }
}
