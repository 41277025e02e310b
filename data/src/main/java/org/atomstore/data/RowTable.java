package org.atomstore.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;
import org.atomstore.store.FieldSet;
import org.atomstore.model.Molecule;
import org.atomstore.table.Table;

/**
 * The object tier over any {@link Table} (DESIGN seam 5): each molecule becomes an asebytes-style row through
 * {@link MoleculeRows}. Read-only: a table of molecules is changed through its own API (an {@code .atp} file is
 * append-only). Owns the table: closing this closes it. Thread contract: the table's.
 */
public final class RowTable implements ObjectTable {
  private final Table table;
  private final MoleculeRows mapping;
  private volatile List<String> keys;

  public RowTable(Table table, MoleculeRows mapping) {
    this.table = table;
    this.mapping = mapping;
  }

  /** The table underneath. */
  public Table table() { return table; }

  @Override
  public String source() { return table.source(); }

  @Override
  public long size() throws IOException { return table.size(); }

  @Override
  public Map<String, Object> get(long index) throws IOException {
    Molecule m = table.get(index);
    return mapping.toRow(m);
  }

  /** Reads only the fields of the molecule that {@code keys} come from (positions and numbers always). */
  @Override
  public Map<String, Object> get(long index, Collection<String> keys) throws IOException {
    Map<String, Object> row = mapping.toRow(table.get(index, fieldsOf(keys)));
    if (row == null) return null;
    Map<String, Object> out = new LinkedHashMap<>();
    for (var e : row.entrySet()) if (keys.contains(e.getKey())) out.put(e.getKey(), e.getValue());
    return out;
  }

  /**
   * The molecule fields the row keys come from under Atompack's ASE mapping; positions and atomic numbers always
   * (a row needs them), the rest only when asked.
   */
  static FieldSet fieldsOf(Collection<String> keys) {
    Set<String> f = new LinkedHashSet<>();
    f.add(FieldSet.POSITIONS);
    f.add(FieldSet.ATOMIC_NUMBERS);
    for (String k : keys) {
      switch (k) {
        case "cell" -> f.add("cell");
        case "pbc" -> f.add("pbc");
        case "calc.energy" -> f.add("energy");
        case "calc.forces" -> f.add("forces");
        case "calc.stress", "info.stress" -> f.add("stress");
        case "info.name" -> f.add("name");
        case "arrays.initial_charges" -> f.add("charges");
        case "arrays.velocities" -> f.add("velocities");
        default -> {
          int dot = k.indexOf('.');
          // a custom property keeps its own key under info., arrays. or calc.
          if (dot > 0) f.add(k.substring(dot + 1));
        }
      }
    }
    return FieldSet.of(f);
  }

  /** The keys of the first rows (up to {@link Table#SCHEMA_SAMPLE_ROWS}), sorted: an {@code .atp} file fixes them. */
  @Override
  public List<String> keys() throws IOException {
    List<String> k = keys;
    if (k == null) {
      TreeSet<String> all = new TreeSet<>();
      long n = Math.min(size(), Table.SCHEMA_SAMPLE_ROWS);
      for (long i = 0; i < n; i++) {
        Map<String, Object> row = get(i);
        if (row != null) all.addAll(row.keySet());
      }
      keys = k = List.copyOf(new ArrayList<>(all));
    }
    return k;
  }

  @Override
  public void close() throws IOException { table.close(); }
}
