package org.atomstore.data.lmdb;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.atomstore.data.MutableBlobTable;

/**
 * One group of an asebytes LMDB store as a blob table (asebytes' {@code BlobIO}): field names and values are
 * the stored bytes, unchanged. Thread contract as {@link LmdbObjectTable}.
 */
public final class LmdbBlobTable implements MutableBlobTable {

  private final LmdbGroup g;

  LmdbBlobTable(LmdbGroup g) { this.g = g; }

  @Override
  public String source() { return g.where(); }

  public String group() { return g.group(); }

  public Path directory() { return g.dir(); }

  @Override
  public long size() { return g.size(); }

  @Override
  public List<Field> get(long index) throws IOException {
    List<Field> row = new ArrayList<>();
    return g.readRow(index, (n, v) -> row.add(new Field(n, v.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)))) ? row : null;
  }

  @Override
  public List<Field> get(long index, Collection<byte[]> keys) throws IOException {
    List<byte[]> names = new ArrayList<>(keys);
    names.sort(LmdbGroup.BYTEWISE);
    List<Field> row = new ArrayList<>();
    g.readFields(index, names, (n, v) -> row.add(new Field(n, v.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE))));
    return row;
  }

  @Override
  public List<byte[]> keys() { return g.schema(); }

  @Override
  public void set(long index, List<Field> row) throws IOException {
    g.set(index, names(row), values(row));
  }

  @Override
  public void update(long index, List<Field> fields) throws IOException {
    g.update(index, names(fields), values(fields));
  }

  @Override
  public void delete(long index) throws IOException { g.delete(index, index + 1); }

  @Override
  public void delete(long from, long to) throws IOException { g.delete(from, to); }

  @Override
  public void insert(long index, List<Field> row) throws IOException {
    g.insert(index, names(row), values(row));
  }

  @Override
  public void extend(List<? extends List<Field>> rows) throws IOException {
    List<List<byte[]>> names = new ArrayList<>(rows.size());
    List<List<byte[]>> values = new ArrayList<>(rows.size());
    for (var r : rows) {
      names.add(names(r));
      values.add(values(r));
    }
    g.extend(names, values);
  }

  @Override
  public void reserve(long count) throws IOException {
    if (count < 0) throw new IllegalArgumentException("negative count " + count);
    List<List<byte[]>> empty = java.util.Collections.nCopies((int) count, List.of());
    g.extend(empty, empty);
  }

  @Override
  public void clear() throws IOException { g.delete(0, g.size()); }

  @Override
  public void close() { g.close(); }

  private static List<byte[]> names(List<Field> row) {
    List<byte[]> out = new ArrayList<>();
    if (row != null) for (Field f : row) out.add(f.key());
    return out;
  }

  private static List<byte[]> values(List<Field> row) {
    List<byte[]> out = new ArrayList<>();
    if (row != null) for (Field f : row) out.add(f.value());
    return out;
  }
}
