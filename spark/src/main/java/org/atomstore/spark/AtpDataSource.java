package org.atomstore.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import org.atomstore.dataset.ShardedDataset;

/**
 * {@code spark.read.format("atp").load(PATH)} and {@code df.write.format("atp").save(PATH)}: Atompack {@code .atp}
 * files and Atomstore datasets as DataFrames (see {@link SparkSchema} for the columns). Registered under the short
 * name {@code atp}.
 *
 * <p>Options: {@code path}; for reads {@code rowsPerPartition} (default 65536; partitions never span shards);
 * for writes {@code compression} ({@code none}, {@code lz4}, {@code zstd[:level]}; default none).
 */
public final class AtpDataSource implements TableProvider, DataSourceRegister {

  @Override
  public String shortName() { return "atp"; }

  @Override
  public StructType inferSchema(CaseInsensitiveStringMap options) {
    String path = AtpSparkTable.path(options);
    try (ShardedDataset ds = Datasets.open(path)) {
      return SparkSchema.struct(SparkSchema.of(ds));
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Table getTable(StructType schema, Transform[] partitioning, Map<String, String> properties) {
    return new AtpSparkTable(schema, properties);
  }

  /** The schema a write gives is taken as it is (a new dataset has none to infer). */
  @Override
  public boolean supportsExternalMetadata() { return true; }
}
