package org.atomstore.dataset;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.atomstore.store.AtpFile;
import org.atomstore.table.Table;

/**
 * A dataset of {@code .atp} shards read as one table, wherever the shards are: a local directory
 * ({@link ShardedDataset}) or an object store over HTTP, S3 or the Hugging Face Hub ({@link StoreDataset}).
 * Global index {@code i} lives in shard {@code s} with {@code shardStart(s) <= i < shardStart(s + 1)}.
 *
 * <p>Thread contract: as {@link Table}.
 */
public sealed interface Dataset extends Table permits ShardedDataset, StoreDataset {

  int shardCount();

  /** The shard's path relative to the dataset, {@code /}-separated. */
  String shardPath(int shard);

  /** First global index of {@code shard}; {@code shardStart(shardCount())} is {@link #size()}. */
  long shardStart(int shard);

  @Override
  long[] shardStarts();

  @Override
  long size();

  /** Whether the shard list came from a manifest (Atomstore's or Atompack's) rather than a listing. */
  boolean hasManifest();

  /** The field summary of Atomstore's manifest, when there is one. */
  Optional<List<Manifest.SchemaField>> manifestSchema();

  /** The shard's reader, opened on first use and kept open until the dataset is closed. */
  AtpFile shard(int shard) throws IOException;

  /** The shard's size in bytes. */
  long shardBytes(int shard) throws IOException;
}
