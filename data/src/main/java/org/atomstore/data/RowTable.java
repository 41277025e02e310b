package org.atomstore.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
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

  @Override
  public Map<String, Object> get(long index, Collection<String> keys) throws IOException {
    Map<String, Object> row = get(index);
    if (row == null) return null;
    Map<String, Object> out = new LinkedHashMap<>();
    for (var e : row.entrySet()) if (keys.contains(e.getKey())) out.put(e.getKey(), e.getValue());
    return out;
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
