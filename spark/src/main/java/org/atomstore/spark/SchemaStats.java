package org.atomstore.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.atomstore.dataset.Manifest;
import org.atomstore.model.Molecule;
import org.atomstore.model.TypeTag;

/**
 * The type tags one field was written with and in how many molecules, as a dataset manifest's schema records them;
 * kept per shard by the tasks ({@link Tally}) and merged by the driver.
 */
record SchemaStats(TreeSet<Integer> tags, long molecules) implements Serializable {

  SchemaStats plus(SchemaStats o) {
    TreeSet<Integer> t = new TreeSet<>(tags);
    t.addAll(o.tags);
    return new SchemaStats(t, molecules + o.molecules);
  }

  /**
   * The counts of one shard as its molecules are written, without allocating per molecule (the hot path of a
   * conversion task). Belongs to one thread.
   */
  static final class Tally {
    private final Map<String, Counts> positions = new HashMap<>();
    private final Map<String, Counts> builtin = new HashMap<>();
    private final Map<String, Counts> atom = new HashMap<>();
    private final Map<String, Counts> molecule = new HashMap<>();

    private static final class Counts {
      final TreeSet<Integer> tags = new TreeSet<>();
      int lastTag = Integer.MIN_VALUE;
      long molecules;
    }

    /** Counts the fields of {@code m} as written: custom properties with the tag they are stored with. */
    void note(Molecule m) {
      add(positions, "positions", m.positions().typeTag());
      for (var e : m.builtins().entrySet()) add(builtin, e.getKey(), e.getValue().typeTag());
      for (var e : m.atomProperties().entrySet()) add(atom, e.getKey(), TypeTag.customTag(e.getValue().typeTag()));
      for (var e : m.properties().entrySet()) add(molecule, e.getKey(), TypeTag.customTag(e.getValue().typeTag()));
    }

    private static void add(Map<String, Counts> scope, String key, int tag) {
      Counts c = scope.get(key);
      if (c == null) scope.put(key, c = new Counts());
      if (tag != c.lastTag) {
        c.tags.add(tag);
        c.lastTag = tag;
      }
      c.molecules++;
    }

    /** The counts, keyed {@code scope + '\0' + key}. */
    Map<String, SchemaStats> stats() {
      Map<String, SchemaStats> out = new TreeMap<>();
      put(out, "positions", positions);
      put(out, "builtin", builtin);
      put(out, "atom", atom);
      put(out, "molecule", molecule);
      return out;
    }

    private static void put(Map<String, SchemaStats> out, String scope, Map<String, Counts> counts) {
      counts.forEach((k, c) -> out.put(scope + '\0' + k, new SchemaStats(new TreeSet<>(c.tags), c.molecules)));
    }
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
