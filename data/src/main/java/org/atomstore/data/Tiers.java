package org.atomstore.data;

import org.atomstore.table.Table;

/** The adapters between tiers (DESIGN seam 5), written once for every backend. */
public final class Tiers {
  private Tiers() {}

  /** Molecules over an object table, by Atompack's ASE mapping; the result owns {@code rows}. */
  public static MoleculeTable molecules(ObjectTable rows) {
    return new MoleculeTable(rows, MoleculeRows.standard());
  }

  /**
   * Rows over a table of molecules; the result owns {@code table}. A {@link MoleculeTable}'s own rows are returned as they are, an
   * extended XYZ file's rows come straight from ASE's structures ({@link ExtxyzTable#rows()}).
   */
  public static ObjectTable rows(Table table) {
    if (table instanceof MoleculeTable m) return m.rows();
    if (table instanceof ExtxyzTable x) return x.rows();
    return new RowTable(table, MoleculeRows.standard());
  }
}
