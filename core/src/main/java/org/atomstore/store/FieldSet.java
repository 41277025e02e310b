package org.atomstore.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.atomstore.format.SectionCursor;
import org.atomstore.model.BuiltinField;

/**
 * Which fields a read decodes: {@code positions}, {@code atomic_numbers}, builtin names ({@code charges,
 * cell, energy, forces, name, pbc, stress, velocities}) and custom property keys. Fields not named are
 * skipped without decoding. Immutable and shareable.
 */
public final class FieldSet {
  public static final String POSITIONS = BuiltinField.POSITIONS.key();
  public static final String ATOMIC_NUMBERS = BuiltinField.ATOMIC_NUMBERS.key();

  /** Every field of every record. */
  public static final FieldSet ALL = new FieldSet(true, true, 0xFF, null, Set.of());

  final boolean positions;
  final boolean atomicNumbers;
  final int builtinMask;
  /** Requested custom keys as UTF-8; null means all. */
  final byte[][] customKeys;
  private final Set<String> names;

  private FieldSet(boolean positions, boolean atomicNumbers, int builtinMask, byte[][] customKeys, Set<String> names) {
    this.positions = positions;
    this.atomicNumbers = atomicNumbers;
    this.builtinMask = builtinMask;
    this.customKeys = customKeys;
    this.names = names;
  }

  public static FieldSet of(String... names) {
    return of(Arrays.asList(names));
  }

  public static FieldSet of(Collection<String> names) {
    boolean pos = false, z = false;
    int mask = 0;
    List<byte[]> custom = new ArrayList<>();
    for (String n : names) {
      BuiltinField f = BuiltinField.of(n);
      if (f == BuiltinField.POSITIONS) pos = true;
      else if (f == BuiltinField.ATOMIC_NUMBERS) z = true;
      else if (f != null) mask |= 1 << f.id();
      else custom.add(n.getBytes(StandardCharsets.UTF_8));
    }
    return new FieldSet(pos, z, mask, custom.toArray(new byte[0][]), Set.copyOf(new LinkedHashSet<>(names)));
  }

  public boolean positions() { return positions; }

  public boolean atomicNumbers() { return atomicNumbers; }

  public boolean builtin(int id) { return (builtinMask & (1 << id)) != 0; }

  public boolean builtin(String name) {
    int id = SectionCursor.builtinId(name);
    return id >= 0 && builtin(id);
  }

  public boolean allCustom() { return customKeys == null; }

  /** True when the cursor's current section is a requested custom key. */
  boolean wantsCustom(SectionCursor c) {
    if (customKeys == null) return true;
    for (byte[] k : customKeys) if (c.keyEquals(k)) return true;
    return false;
  }

  /** True when this set names the custom key. */
  public boolean custom(String key) {
    if (customKeys == null) return true;
    byte[] b = key.getBytes(StandardCharsets.UTF_8);
    for (byte[] k : customKeys) if (Arrays.equals(k, b)) return true;
    return false;
  }

  @Override
  public String toString() {
    return this == ALL ? "FieldSet[ALL]" : "FieldSet" + names;
  }
}
