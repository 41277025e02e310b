package org.atomstore.table;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.atomstore.model.Molecule;
import org.atomstore.store.FieldSet;
import org.atomstore.store.FlatBatch;

/**
 * An indexed collection of atomistic structures (DESIGN seam 4): a {@code .atp} file, a sharded dataset, a
 * remote dataset or any backend of the data layer. Consumers (the loader, conversion, the command line, Spark,
 * DJL) read through this interface and never ask which implementation they have.
 *
 * <p>Indices run from 0 to {@link #size()} - 1. A backend that can hold placeholder rows (asebytes' {@code None})
 * returns null from {@link #get} for one. Projections ({@link FieldSet}) are honoured where the backend can read
 * fields separately; elsewhere the whole record is read and the rest dropped.
 *
 * <p>Thread contract: reads may run on any number of threads at once unless the implementation says
 * otherwise; {@link #close()} must not race with reads. Mutations are a separate interface (the data layer's
 * mutable tables) that only mutable backends implement; append-only tables say so with
 * {@link UnsupportedOperationException}.
 */
public interface Table extends AutoCloseable {

  /** What the table was opened from, as given: a path or an address; named in errors. */
  String source();

  /** Number of rows. */
  long size() throws IOException;

  /** Row {@code index}, every field; null for a placeholder row. */
  default Molecule get(long index) throws IOException {
    return get(index, FieldSet.ALL);
  }

  /** Row {@code index} with only {@code fields} decoded; null for a placeholder row. */
  Molecule get(long index, FieldSet fields) throws IOException;

  /** Rows at {@code indices}, in that order. */
  default List<Molecule> get(long[] indices, FieldSet fields) throws IOException {
    List<Molecule> out = new ArrayList<>(indices.length);
    for (long i : indices) out.add(get(i, fields));
    return out;
  }

  /**
   * Rows at {@code indices} as one flat, training-ready batch (see {@link FlatBatch}), floats as float32 or
   * float64.
   *
   * <p>By default the rows are read with {@link #get(long[], FieldSet)} and stacked by {@link FlatBatch#of}, which
   * gives the arrays the {@code .atp} reader gives for the same molecules.
   *
   * @throws IOException when a row is a placeholder (a batch has no place for a missing structure)
   */
  default FlatBatch readBatch(long[] indices, FieldSet fields, boolean float64) throws IOException {
    List<Molecule> rows = get(indices, fields);
    for (int k = 0; k < rows.size(); k++) {
      if (rows.get(k) == null) {
        throw new java.io.IOException("row " + indices[k] + " of " + source() + " is a placeholder: a batch has no place for it");
      }
    }
    return FlatBatch.of(rows, indices, fields, float64);
  }

  /**
   * Cumulative row counts of the table's physical parts (shards, files) {@code [0, ..., size()]}: the loader's
   * block shuffles keep reads inside a few parts at a time. One part by default.
   */
  default long[] shardStarts() throws IOException {
    return new long[] {0, size()};
  }

  /**
   * The table's fields (DESIGN seam 3). By default derived from the first rows (up to
   * {@value #SCHEMA_SAMPLE_ROWS}); implementations that store a schema return it. Empty for an empty table.
   */
  default TableSchema schema() throws IOException {
    long n = Math.min(size(), SCHEMA_SAMPLE_ROWS);
    List<Molecule> rows = new ArrayList<>((int) n);
    for (long i = 0; i < n; i++) rows.add(get(i));
    return TableSchema.ofMolecules(rows);
  }

  /** How many first rows {@link #schema()} looks at by default. */
  int SCHEMA_SAMPLE_ROWS = 16;

  @Override
  void close() throws IOException;
}
