package org.atomstore.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.atomstore.model.Molecule;
import org.atomstore.store.AtpReader;
import org.atomstore.store.FieldSet;
import org.atomstore.store.FlatBatch;
import org.atomstore.table.Table;
import org.atomstore.table.TableProvider;

/**
 * For tests of the commands over tables other than .atp files and datasets: {@code wrapped://PATH} opens the
 * .atp file at PATH behind a table that is no AtpReader (so nothing can be copied as stored), with row
 * {@code N} a placeholder when the address ends in {@code #placeholder=N}.
 */
public final class WrappedAtpProvider implements TableProvider {
  static final String SCHEME = "wrapped://";

  @Override
  public boolean accepts(String address) {
    return address.startsWith(SCHEME);
  }

  @Override
  public Table open(String address) throws IOException {
    String rest = address.substring(SCHEME.length());
    long placeholder = -1;
    int hash = rest.indexOf("#placeholder=");
    if (hash >= 0) {
      placeholder = Long.parseLong(rest.substring(hash + "#placeholder=".length()));
      rest = rest.substring(0, hash);
    }
    return new Wrapped(address, AtpReader.open(Path.of(rest)), placeholder);
  }

  private record Wrapped(String source, AtpReader r, long placeholder) implements Table {
    @Override public long size() { return r.size(); }
    @Override public Molecule get(long index, FieldSet fields) throws IOException {
      return index == placeholder ? null : r.get(index, fields);
    }
    @Override public FlatBatch readBatch(long[] indices, FieldSet fields, boolean float64) throws IOException {
      return r.readBatch(indices, fields, float64);
    }
    @Override public void close() { r.close(); }
  }
}
