package org.atomstore.io.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.atomstore.io.aselmdb.AseLmdbReader;
import org.atomstore.io.asedb.AseDbReader;
import org.atomstore.io.asedb.AseRow;
import org.atomstore.io.mapping.AseMapping;
import org.atomstore.model.BuiltinField;
import org.atomstore.model.Molecule;
import org.atomstore.model.Value;
import org.atomstore.store.CorruptFileException;
import org.atomstore.store.FieldSet;
import org.atomstore.table.Table;
import org.atomstore.table.TableProvider;

/**
 * ASE databases as read-only {@link Table}s: fairchem's {@code .aselmdb} ({@link AseLmdbReader}) and ASE's SQLite
 * {@code .db} ({@link AseDbReader}). Row {@code i} is the {@code i}-th row in id order, mapped to a {@code Molecule}
 * by {@link AseMapping#toMolecule(AseRow, AseMapping.Precision)} (float64, one row at a time: a table does not
 * settle one type per key across rows as {@code convert} does). Every row is decoded whole; a projection drops the
 * fields not asked for; batches are {@link Table#readBatch}'s default ({@code FlatBatch.of} the rows).
 */
public final class AseTables {

  private AseTables() {}

  /** The {@code .aselmdb} table provider (ServiceLoader). */
  public static final class AseLmdbProvider implements TableProvider {
    @Override
    public boolean accepts(String address) {
      return isLocal(address) && address.toLowerCase(Locale.ROOT).endsWith(".aselmdb");
    }

    @Override
    public Table open(String address) throws IOException {
      return new AseLmdbTable(address, AseLmdbReader.open(Path.of(address)));
    }
  }

  /** The ASE SQLite {@code .db} table provider (ServiceLoader). */
  public static final class AseDbProvider implements TableProvider {
    @Override
    public boolean accepts(String address) {
      return isLocal(address) && address.toLowerCase(Locale.ROOT).endsWith(".db");
    }

    @Override
    public Table open(String address) throws IOException {
      AseDbReader r = AseDbReader.open(Path.of(address));
      try {
        return new AseDbTable(address, r, r.ids());
      } catch (IOException | RuntimeException e) {
        r.close();
        throw e;
      }
    }
  }

  private static boolean isLocal(String address) {
    return !address.contains("://");
  }

  /** A {@code .aselmdb} file; reads may run on any number of threads (each is its own LMDB read transaction). */
  static final class AseLmdbTable implements Table {
    private final String source;
    private final AseLmdbReader reader;
    private volatile boolean closed;

    AseLmdbTable(String source, AseLmdbReader reader) {
      this.source = source;
      this.reader = reader;
    }

    @Override public String source() { return source; }

    @Override
    public long size() {
      ensureOpen();
      return reader.count();
    }

    @Override
    public Molecule get(long index, FieldSet fields) throws IOException {
      ensureOpen();
      checkIndex(index, reader.count(), source);
      return project(map(reader.rowAt(index).row(), reader.file()), fields);
    }

    private void ensureOpen() {
      if (closed) throw new IllegalStateException("table is closed: " + source);
    }

    @Override
    public void close() {
      closed = true;
      reader.close();
    }
  }

  /** An ASE SQLite database; reads are serialised (one JDBC connection). */
  static final class AseDbTable implements Table {
    private final String source;
    private final AseDbReader reader;
    private final long[] ids;
    private boolean closed;

    AseDbTable(String source, AseDbReader reader, long[] ids) {
      this.source = source;
      this.reader = reader;
      this.ids = ids;
    }

    @Override public String source() { return source; }

    @Override
    public synchronized long size() {
      ensureOpen();
      return ids.length;
    }

    @Override
    public synchronized Molecule get(long index, FieldSet fields) throws IOException {
      ensureOpen();
      checkIndex(index, ids.length, source);
      return project(map(reader.row(ids[(int) index]), reader.file()), fields);
    }

    private void ensureOpen() {
      if (closed) throw new IllegalStateException("table is closed: " + source);
    }

    @Override
    public synchronized void close() throws IOException {
      if (closed) return;
      closed = true;
      reader.close();
    }
  }

  private static void checkIndex(long index, long size, String source) {
    if (index < 0 || index >= size) throw new IndexOutOfBoundsException("row " + index + " of " + size + " (" + source + ")");
  }

  private static Molecule map(AseRow row, Path file) throws IOException {
    try {
      return AseMapping.toMolecule(row, AseMapping.Precision.FLOAT64).molecule();
    } catch (IllegalArgumentException e) {
      throw new CorruptFileException(file, -1, "row " + row.id() + " cannot be mapped to a molecule: " + e.getMessage());
    }
  }

  /** The molecule with only {@code fields}: what the {@code .atp} reader returns for the same projection. */
  static Molecule project(Molecule m, FieldSet fields) {
    if (fields == FieldSet.ALL) return m;
    Molecule out = Molecule.partial(m.atomCount(), fields.positions() ? m.positions() : null,
        fields.atomicNumbers() ? m.atomicNumbers() : null);
    for (BuiltinField f : BuiltinField.SECTIONS) {
      Value v = m.builtin(f);
      if (v != null && fields.builtin(f.id())) out.builtin(f, v);
    }
    m.properties().forEach((k, v) -> {
      if (fields.custom(k)) out.property(k, v);
    });
    m.atomProperties().forEach((k, v) -> {
      if (fields.custom(k)) out.atomProperty(k, v);
    });
    return out;
  }
}
