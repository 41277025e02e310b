package org.atomstore.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.atomstore.dataset.Manifest;
import org.atomstore.model.Molecule;
import org.atomstore.model.TypeTag;

/**
 * The type tags one field was written with and in how many molecules, as a dataset manifest's schema records them;
 * kept per shard by the tasks (keyed {@code scope + '\0' + key}) and merged by the driver.
 */
record SchemaStats(TreeSet<Integer> tags, long molecules) implements Serializable {

  SchemaStats plus(SchemaStats o) {
    TreeSet<Integer> t = new TreeSet<>(tags);
    t.addAll(o.tags);
    return new SchemaStats(t, molecules + o.molecules);
  }

  /** Counts the fields of {@code m} as written: custom properties with the tag they are stored with. */
  static void note(Map<String, SchemaStats> fields, Molecule m) {
    note(fields, "positions", "positions", m.positions().typeTag());
    for (var e : m.builtins().entrySet()) note(fields, "builtin", e.getKey(), e.getValue().typeTag());
    for (var e : m.atomProperties().entrySet()) note(fields, "atom", e.getKey(), TypeTag.customTag(e.getValue().typeTag()));
    for (var e : m.properties().entrySet()) note(fields, "molecule", e.getKey(), TypeTag.customTag(e.getValue().typeTag()));
  }

  private static void note(Map<String, SchemaStats> fields, String scope, String key, int tag) {
    fields.merge(scope + '\0' + key, new SchemaStats(new TreeSet<>(List.of(tag)), 1), SchemaStats::plus);
  }

  /** The merged counts as the manifest's schema fields. */
  static List<Manifest.SchemaField> schema(Map<String, SchemaStats> fields) {
    List<Manifest.SchemaField> out = new ArrayList<>();
    fields.forEach((k, v) -> {
      String[] sk = k.split("\0", 2);
      out.add(new Manifest.SchemaField(sk[0], sk[1], List.copyOf(v.tags()), v.molecules()));
    });
    return out;
  }
}
