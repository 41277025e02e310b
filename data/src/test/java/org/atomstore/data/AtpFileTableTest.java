package org.atomstore.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.atomstore.codec.Compression;
import org.atomstore.model.Molecule;
import org.atomstore.store.AtpReader;
import org.atomstore.store.AtpWriter;
import org.atomstore.table.Table;

/** The table suite on an {@code .atp} file. */
class AtpFileTableTest extends TableContract {
  private Path file;

  @Override
  protected Table create(List<Molecule> molecules, Path dir) throws IOException {
    file = dir.resolve("t.atp");
    try (AtpWriter w = AtpWriter.create(file, Compression.zstd(3))) {
      for (Molecule m : molecules) w.add(m);
      w.flush();
    }
    return AtpReader.open(file);
  }

  @Override
  protected String address() { return file.toString(); }
}
