package org.atomstore.data;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.atomstore.model.Molecule;
import org.atomstore.table.Table;

/** The table suite on a memory table (molecules stored as asebytes-style rows). */
class MemoryTableContractTest extends TableContract {
  private String address;

  @Override
  protected Table create(List<Molecule> molecules, Path dir) throws java.io.IOException {
    address = "memory://" + UUID.randomUUID() + "/train";
    MoleculeTable t = Tiers.molecules(MemoryTable.open(address));
    t.extend(molecules);
    return t;
  }

  @Override
  protected String address() { return address; }

  @Override
  protected Molecule expected(Molecule m) { return viaAse(m); }
}
