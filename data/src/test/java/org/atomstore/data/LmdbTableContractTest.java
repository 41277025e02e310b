package org.atomstore.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.atomstore.data.lmdb.AsebytesLmdb;
import org.atomstore.model.Molecule;
import org.atomstore.table.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The table suite on molecules stored as asebytes rows in an LMDB group, reopened read-only. */
class LmdbTableContractTest extends TableContract {
  @Override
  protected Table create(List<Molecule> molecules, Path dir) throws IOException {
    Path store = dir.resolve("t-" + System.nanoTime() + ".lmdb");
    try (MoleculeTable w = Tiers.molecules(AsebytesLmdb.openObjects(store, "train", AsebytesLmdb.Mode.READ_WRITE))) {
      w.extend(molecules);
    }
    return Tiers.molecules(AsebytesLmdb.openObjects(store, "train", AsebytesLmdb.Mode.READ_ONLY));
  }

  @Override
  protected Molecule expected(Molecule m) { return viaAse(m); }
}
