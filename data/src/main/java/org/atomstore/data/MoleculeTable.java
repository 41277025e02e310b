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

  @Override
  public Molecule get(long index, FieldSet fields) throws IOException {
    Map<String, Object> row = rows.get(index);
    try {
      return mapping.toMolecule(row);
    } catch (IOException | IllegalArgumentException e) {
      throw new IOException("row " + index + " of " + rows.source() + ": " + e.getMessage(), e);
    }
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
