package org.atomstore.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.atomstore.dataset.ShardedDataset;
import org.atomstore.dataset.ShardedWriter;
import org.atomstore.model.Molecule;
import org.atomstore.table.Table;

/** The table suite on a sharded dataset directory (several shards, with a manifest). */
class DatasetTableTest extends TableContract {
  private Path ds;

  @Override
  protected Table create(List<Molecule> molecules, Path dir) throws IOException {
    ds = dir.resolve("ds");
    try (ShardedWriter w = ShardedWriter.builder(ds).maxShardMolecules(5).open()) {
      w.addAll(molecules);
      w.finish();
    }
    return ShardedDataset.open(ds);
  }

  @Override
  protected String address() { return ds.toString(); }
}
