package org.atomstore.loader;

import java.io.IOException;
import org.atomstore.store.FieldSet;
import org.atomstore.store.FlatBatch;
import org.atomstore.table.Table;

/**
 * Reads batches of any {@link Table} ({@code .atp} file, dataset, extended XYZ, memory, LMDB, a cache, ...) as
 * {@link FlatBatch}es, decoding only {@code fields}, floats as float32 or float64. The size and shard starts are
 * taken once, at construction. Shares the table, which stays owned (and closed) by the caller; the table's reads
 * must be thread-safe (every table's are unless it says otherwise).
 */
public record TableSource(Table table, FieldSet fields, boolean float64, long size, long[] shardStarts)
    implements BatchSource<FlatBatch> {

  /** A source over {@code table}, its size and shard starts read now. */
  public static TableSource of(Table table, FieldSet fields, boolean float64) throws IOException {
    return new TableSource(table, fields, float64, table.size(), table.shardStarts());
  }

  /** The training fields: positions, atomic numbers, energy, forces, cell, stress and pbc, as float32. */
  public static TableSource training(Table table) throws IOException {
    return of(table, FieldSet.of("positions", "atomic_numbers", "energy", "forces", "cell", "stress", "pbc"), false);
  }

  @Override
  public long[] shardStarts() { return shardStarts.clone(); }

  @Override
  public FlatBatch read(long[] indices) throws IOException {
    return table.readBatch(indices, fields, float64);
  }
}
