package org.atomstore.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.atomstore.model.Molecule;
import org.atomstore.store.FieldSet;
import org.atomstore.table.Table;

/**
 * The {@link Molecule} tier over any {@link ObjectTable} (DESIGN seam 5): each row becomes a molecule through
 * {@link MoleculeRows}; writes go the other way when the object table is mutable. Reads are whole rows (a
 * molecule needs positions and numbers anyway); a projection drops the rest. Owns the object table: closing this
 * closes it.
 *
 * <p>Thread contract: reads as the object table allows; writes belong to one thread at a time.
 */
public final class MoleculeTable implements Table {
  private final ObjectTable rows;
  private final MoleculeRows mapping;

  public MoleculeTable(ObjectTable rows, MoleculeRows mapping) {
    this.rows = rows;
    this.mapping = mapping;
  }

  /** The object table underneath. */
  public ObjectTable rows() { return rows; }

  @Override
  public String source() { return rows.source(); }

  @Override
  public long size() throws IOException { return rows.size(); }

  /** Reads only the row keys {@code fields} map to (with numbers, positions, cell and pbc, which a structure needs). */
  @Override
  public Molecule get(long index, FieldSet fields) throws IOException {
    Map<String, Object> row = fields == FieldSet.ALL ? rows.get(index) : rows.get(index, keysOf(fields));
    try {
      return mapping.toMolecule(row);
    } catch (IOException | IllegalArgumentException e) {
      throw new IOException("row " + index + " of " + rows.source() + ": " + e.getMessage(), e);
    }
  }

  /** The row keys a projection reads: those of the builtins asked for, and every custom key it names. */
  private List<String> keysOf(FieldSet fields) throws IOException {
    List<String> keys = new ArrayList<>(List.of("arrays.numbers", "arrays.positions", "cell", "pbc"));
    if (fields.builtin("energy")) keys.add("calc.energy");
    if (fields.builtin("forces")) keys.add("calc.forces");
    if (fields.builtin("stress")) keys.addAll(List.of("calc.stress", "info.stress"));
    if (fields.builtin("name")) keys.add("info.name");
    if (fields.builtin("charges")) keys.addAll(List.of("arrays.initial_charges", "calc.charges"));
    if (fields.builtin("velocities")) keys.addAll(List.of("arrays.velocities", "arrays.vel"));
    for (String k : rows.keys()) {
      int dot = k.indexOf('.');
      if (dot > 0 && !keys.contains(k) && fields.custom(k.substring(dot + 1)) && k.startsWith("info.") | k.startsWith("arrays.") | k.startsWith("calc.")) {
        keys.add(k);
      }
    }
    return keys;
  }

  /** Appends molecules (one transaction where the backend has them). */
  public void extend(List<Molecule> molecules) throws IOException {
    List<Map<String, Object>> out = new ArrayList<>(molecules.size());
    for (Molecule m : molecules) out.add(mapping.toRow(m));
    mutable("extend").extend(out);
  }

  /** Appends one molecule. */
  public void add(Molecule m) throws IOException { extend(List.of(m)); }

  /** Replaces row {@code index}. */
  public void set(long index, Molecule m) throws IOException { mutable("set").set(index, mapping.toRow(m)); }

  /** Inserts before row {@code index}; later rows move up by one. */
  public void insert(long index, Molecule m) throws IOException { mutable("insert").insert(index, mapping.toRow(m)); }

  /** Deletes row {@code index}; later rows move down by one. */
  public void delete(long index) throws IOException { mutable("delete").delete(index); }

  private MutableObjectTable mutable(String op) {
    if (rows instanceof MutableObjectTable m) return m;
    throw new UnsupportedOperationException(op + ": " + rows.source() + " is read-only");
  }

  @Override
  public void close() throws IOException { rows.close(); }
}
