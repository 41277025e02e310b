package org.atomstore.loader;

import java.io.IOException;
import org.atomstore.dataset.Dataset;
import org.atomstore.store.FieldSet;
import org.atomstore.store.FlatBatch;

/**
 * Reads batches of a {@link Dataset} (local or remote) as {@link FlatBatch}es, decoding only {@code fields}, floats as
 * float32 or float64. Shares the dataset, which stays owned (and closed) by the caller.
 */
public record DatasetSource(Dataset dataset, FieldSet fields, boolean float64) implements BatchSource<FlatBatch> {

  /** The training fields: positions, atomic numbers, energy, forces, cell, stress and pbc, as float32. */
  public static DatasetSource training(Dataset dataset) {
    return new DatasetSource(dataset,
        FieldSet.of("positions", "atomic_numbers", "energy", "forces", "cell", "stress", "pbc"), false);
  }

  @Override
  public long size() { return dataset.size(); }

  @Override
  public long[] shardStarts() { return dataset.shardStarts(); }

  @Override
  public FlatBatch read(long[] indices) throws IOException {
    return dataset.readBatch(indices, fields, float64);
  }
}
