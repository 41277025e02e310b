package org.atomstore.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.connector.metric.CustomMetric;
import org.apache.spark.sql.connector.metric.CustomSumMetric;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.read.SupportsPushDownRequiredColumns;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import org.atomstore.dataset.ShardedDataset;
import org.atomstore.model.BuiltinField;
import org.atomstore.model.Molecule;
import org.atomstore.model.Value;
import org.atomstore.store.FieldSet;

/**
 * A read of a dataset: only the columns the query needs are decoded ({@link FieldSet} projection), in partitions
 * that are row ranges of one shard each. The plan shows the fields read ({@link #description()}), and each task
 * reports the bytes of the values it decoded ({@code decodedBytes}).
 */
final class AtpScan implements Scan, Batch {
  static final int DEFAULT_ROWS_PER_PARTITION = 65536;

  private final String path;
  private final StructType schema;
  private final int rowsPerPartition;

  AtpScan(String path, StructType schema, int rowsPerPartition) {
    this.path = path;
    this.schema = schema;
    this.rowsPerPartition = rowsPerPartition;
  }

  /** Keeps the columns Spark asks for. */
  static final class Builder implements ScanBuilder, SupportsPushDownRequiredColumns {
    private final String path;
    private StructType schema;
    private final int rowsPerPartition;

    Builder(String path, StructType schema, CaseInsensitiveStringMap options) {
      this.path = path;
      this.schema = schema;
      this.rowsPerPartition = options.getInt("rowsPerPartition", DEFAULT_ROWS_PER_PARTITION);
      if (rowsPerPartition < 1) throw new IllegalArgumentException("rowsPerPartition must be positive, not " + rowsPerPartition);
    }

    @Override
    public void pruneColumns(StructType required) { this.schema = required; }

    @Override
    public Scan build() { return new AtpScan(path, schema, rowsPerPartition); }
  }

  @Override
  public StructType readSchema() { return schema; }

  @Override
  public String description() {
    return "AtpScan " + path + " fields=" + String.join(",", schema.fieldNames());
  }

  @Override
  public Batch toBatch() { return this; }

  @Override
  public CustomMetric[] supportedCustomMetrics() { return new CustomMetric[] {new DecodedBytes()}; }

  @Override
  public InputPartition[] planInputPartitions() {
    try (ShardedDataset ds = Datasets.open(path)) {
      List<InputPartition> out = new ArrayList<>();
      long[] starts = ds.shardStarts();
      for (int s = 0; s + 1 < starts.length; s++) {
        for (long from = starts[s]; from < starts[s + 1]; from += rowsPerPartition) {
          out.add(new Range(path, from, Math.min(starts[s + 1], from + rowsPerPartition)));
        }
      }
      return out.toArray(InputPartition[]::new);
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public PartitionReaderFactory createReaderFactory() { return new ReaderFactory(schema); }

  /** Rows {@code [from, to)} of the dataset at {@code path}. */
  record Range(String path, long from, long to) implements InputPartition {}

  record ReaderFactory(StructType schema) implements PartitionReaderFactory {
    @Override
    public PartitionReader<InternalRow> createReader(InputPartition partition) {
      try {
        return new RangeReader((Range) partition, SparkSchema.fromStruct(schema));
      } catch (IOException e) {
        throw new UncheckedIOException(((Range) partition).path() + ": " + e.getMessage(), e);
      }
    }
  }

  /** Reads one range, row after row. */
  static final class RangeReader implements PartitionReader<InternalRow> {
    private final ShardedDataset ds;
    private final List<SparkSchema.Column> columns;
    private final FieldSet fields;
    private final long to;
    private long next;
    private InternalRow row;
    private long decodedBytes;

    RangeReader(Range range, List<SparkSchema.Column> columns) throws IOException {
      this.ds = Datasets.open(range.path());
      this.columns = columns;
      this.to = range.to();
      this.next = range.from();
      List<String> names = new ArrayList<>();
      for (SparkSchema.Column c : columns) if (c.scope() != SparkSchema.Scope.INDEX) names.add(c.name());
      this.fields = FieldSet.of(names);
    }

    @Override
    public boolean next() throws IOException {
      if (next >= to) return false;
      long i = next++;
      Molecule m = ds.get(i, fields);
      Object[] values = new Object[columns.size()];
      for (int k = 0; k < values.length; k++) {
        SparkSchema.Column c = columns.get(k);
        values[k] = switch (c.scope()) {
          case INDEX -> i;
          case POSITIONS -> count(SparkValues.toSpark(m.positions()), m.positions());
          case NUMBERS -> {
            byte[] z = m.atomicNumbers();
            int[] n = new int[z.length];
            for (int a = 0; a < z.length; a++) n[a] = z[a] & 0xFF;
            decodedBytes += z.length;
            yield UnsafeArrayData.fromPrimitiveArray(n);
          }
          case BUILTIN -> {
            Value v = SparkSchema.builtin(m, BuiltinField.section(c.name()));
            yield count(SparkValues.toSpark(v), v);
          }
          case ATOM -> {
            Value v = m.atomProperties().get(c.name());
            yield count(SparkValues.toSpark(v), v);
          }
          case MOLECULE -> {
            Value v = m.properties().get(c.name());
            yield count(SparkValues.toSpark(v), v);
          }
        };
      }
      row = new GenericInternalRow(values);
      return true;
    }

    private Object count(Object spark, Value v) {
      if (v != null) {
        long n = v.elementCount();
        decodedBytes += v instanceof Value.Text t ? t.value().length() : n * 8;
      }
      return spark;
    }

    @Override
    public InternalRow get() { return row; }

    @Override
    public CustomTaskMetric[] currentMetricsValues() {
      long bytes = decodedBytes;
      return new CustomTaskMetric[] {new CustomTaskMetric() {
        @Override
        public String name() { return DecodedBytes.NAME; }

        @Override
        public long value() { return bytes; }
      }};
    }

    @Override
    public void close() { ds.close(); }
  }

  /** Bytes of the values decoded (8 per number, a string's length): shows what column pruning saves. */
  public static final class DecodedBytes extends CustomSumMetric {
    static final String NAME = "decodedBytes";

    @Override
    public String name() { return NAME; }

    @Override
    public String description() { return "bytes of values decoded"; }
  }
}
