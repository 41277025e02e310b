package org.atomstore.io.mapping;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.atomstore.io.mapping.SchemaSettler.FieldType;
import org.atomstore.model.Molecule;
import org.atomstore.model.Value;

/**
 * Watches the frames of a one-pass conversion for a property key that changes type: remembers the first type each
 * key has (molecule and per-atom properties apart) and tells whether a frame agrees with them, in the sense of
 * {@link SchemaSettler}. So when every frame agrees, the settler would have settled nothing ({@link
 * SchemaPlan#isEmpty()}) and the frames can be written as they come; the first frame that disagrees is where a
 * conversion must settle the types over all frames ({@link SchemaSurvey}) and start again.
 *
 * <p>Thread-safe: the parse workers of one conversion share one watch. When two frames disagree, which of them is
 * reported depends on the workers' timing; that some frame disagrees does not.
 */
public final class SchemaWatch {

  private final Map<String, FieldType> molecule = new ConcurrentHashMap<>();
  private final Map<String, FieldType> atom = new ConcurrentHashMap<>();

  /** A watch that has seen no frame. */
  public SchemaWatch() {}

  /**
   * Records the types of the frame's properties that no frame had before; returns false when a property has a type
   * other than the one its key had first.
   */
  public boolean agrees(Molecule m) {
    return agrees(molecule, m.properties(), false) & agrees(atom, m.atomProperties(), true);
  }

  private static boolean agrees(Map<String, FieldType> first, Map<String, Value> values, boolean perAtom) {
    boolean agrees = true;
    for (var e : values.entrySet()) {
      FieldType t = FieldType.of(e.getValue(), perAtom);
      FieldType had = first.putIfAbsent(e.getKey(), t);
      if (had != null && !had.equals(t)) agrees = false;
    }
    return agrees;
  }
}
