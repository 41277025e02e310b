package org.atomstore.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.atomstore.model.Molecule;
import org.atomstore.table.Table;

/** The table suite on a read-through cache in front of a memory table. */
class ReadThroughCacheContractTest extends TableContract {
  @Override
  protected Table create(List<Molecule> molecules, Path dir) throws IOException {
    MoleculeTable src = Tiers.molecules(MemoryTable.open("memory://" + UUID.randomUUID()));
    src.extend(molecules);
    return ReadThroughCache.open(src, dir.resolve("cache-" + UUID.randomUUID() + ".atp"));
  }

  @Override
  protected Molecule expected(Molecule m) { return viaAse(m); }
}
