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
   * @throws IOException when a row is a placeholder (a batch has no place for a missing structure)
   */
  FlatBatch readBatch(long[] indices, FieldSet fields, boolean float64) throws IOException;

  /**
   * Cumulative row counts of the table's physical parts (shards, files) {@code [0, ..., size()]}: the loader's
   * block shuffles keep reads inside a few parts at a time. One part by default.
   */
  default long[] shardStarts() throws IOException {
    return new long[] {0, size()};
  }

  @Override
  void close() throws IOException;
}
