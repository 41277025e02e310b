package org.atomstore.io.mapping;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.atomstore.io.mapping.SchemaSettler.FieldType;
import org.atomstore.model.Molecule;
import org.atomstore.model.TypeTag;
import org.atomstore.model.Value;

/**
 * Holds each property key to the first type it is written with, for a conversion that cannot start over (an
 * input that is not a regular file, e.g. a named pipe, can be read only once). A frame whose key has another type
 * is converted to the pinned one where {@link SchemaSettler}'s rules would settle the two to it without loss (an
 * integer where floats were written, int32 elements where int64 were, any number where strings were); otherwise
 * the frame cannot be stored, and {@link #pin} says why in words, as {@link SchemaPlan#apply} does. So every frame
 * it accepts has the types of the frames accepted before it, and the writer never meets a key that changes type.
 *
 * <p>Thread-safe: the parse workers of one conversion share one pin ({@link #pin} is atomic per frame). Which of
 * two disagreeing frames is pinned first depends on the workers' timing; every accepted frame agrees either way.
 */
public final class SchemaPin {

  /** What {@link #pin} decided: why the frame cannot be stored (null when it can), and what was unified. */
  public record Check(String problem, List<String> warnings) {
    static final Check OK = new Check(null, List.of());

    /** Whether the frame keeps the pinned types (possibly after conversion) and can be written. */
    public boolean ok() { return problem == null; }
  }

  /** A key's pinned type and where it was first seen. */
  private record Pinned(FieldType type, String where) {}

  private final Map<String, Pinned> pinned = new HashMap<>();

  /** A pin that has seen no frame. */
  public SchemaPin() {}

  /**
   * Checks the frame's properties against the types pinned so far and converts, in place, those that can be
   * converted to them; pins the types of keys seen for the first time, {@code where} naming the frame (e.g.
   * {@code a.xyz:12}). When some property cannot be converted, nothing is pinned or changed.
   */
  public synchronized Check pin(Molecule m, String where) {
    List<Object[]> changes = null;
    List<String> warnings = null;
    for (int scope = 0; scope < 2; scope++) {
      boolean perAtom = scope == 1;
      for (var e : (perAtom ? m.atomProperties() : m.properties()).entrySet()) {
        Pinned p = pinned.get(SchemaPlan.ruleKey(perAtom, e.getKey()));
        if (p == null) continue;
        FieldType t = FieldType.of(e.getValue(), perAtom);
        if (t.equals(p.type())) continue;
        String what = (perAtom ? "per-atom property '" : "property '") + e.getKey() + "'";
        FieldType target = SchemaSettler.pairTarget(p.type(), t, e.getValue(), perAtom);
        Value v = p.type().equals(target) ? SchemaPlan.convert(e.getValue(), target) : null;
        if (v == null) {
          return new Check(what + " is " + t.describe(perAtom) + " here but " + p.type().describe(perAtom) + " at "
              + p.where() + ", already written; an input read only once (a pipe) cannot be converted again with "
              + "one type for both", List.of());
        }
        if (changes == null) changes = new ArrayList<>();
        changes.add(new Object[] {perAtom, e.getKey(), v});
        if (target.tag() == TypeTag.STRING) {
          if (warnings == null) warnings = new ArrayList<>();
          warnings.add(what + " holds strings (first at " + p.where() + ") and numbers in later frames: the numbers "
              + "stored as strings");
        }
      }
    }
    for (int scope = 0; scope < 2; scope++) {
      boolean perAtom = scope == 1;
      for (var e : (perAtom ? m.atomProperties() : m.properties()).entrySet()) {
        pinned.computeIfAbsent(SchemaPlan.ruleKey(perAtom, e.getKey()),
            k -> new Pinned(FieldType.of(e.getValue(), perAtom), where));
      }
    }
    if (changes != null) {
      for (Object[] c : changes) {
        if ((Boolean) c[0]) m.atomProperty((String) c[1], (Value) c[2]);
        else m.property((String) c[1], (Value) c[2]);
      }
    }
    return changes == null ? Check.OK : new Check(null, warnings == null ? List.of() : List.copyOf(warnings));
  }
}
