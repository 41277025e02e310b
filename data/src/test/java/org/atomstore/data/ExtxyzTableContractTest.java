package org.atomstore.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.atomstore.io.extxyz.ExtxyzWriter;
import org.atomstore.io.mapping.AseMapping;
import org.atomstore.model.Molecule;
import org.atomstore.table.Table;

/** The table suite on a gzipped extended XYZ file. */
class ExtxyzTableContractTest extends TableContract {
  private Path file;

  @Override
  protected Table create(List<Molecule> molecules, Path dir) throws IOException {
    Path plain = dir.resolve("t.extxyz");
    try (ExtxyzWriter w = ExtxyzWriter.create(plain)) {
      for (Molecule m : molecules) w.write(AseMapping.fromMolecule(m));
    }
    file = dir.resolve("t.extxyz.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      Files.copy(plain, out);
    }
    return ExtxyzTable.open(file);
  }

  @Override
  protected String address() { return file.toString(); }

  @Override
  protected Molecule expected(Molecule m) { return viaAse(m); }
}
