package org.atomstore.spark;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.SupportsWrite;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.write.LogicalWriteInfo;
import org.apache.spark.sql.connector.write.WriteBuilder;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/** One dataset path as a Spark table: batch reads with column pruning, batch writes (append, overwrite). */
final class AtpSparkTable implements SupportsRead, SupportsWrite {
  private final StructType schema;
  private final Map<String, String> properties;

  AtpSparkTable(StructType schema, Map<String, String> properties) {
    this.schema = schema;
    this.properties = properties;
  }

  static String path(Map<String, String> options) {
    String p = options.get("path");
    if (p == null) {
      for (var e : options.entrySet()) if (e.getKey().equalsIgnoreCase("path")) p = e.getValue();
    }
    if (p == null || p.isEmpty()) throw new IllegalArgumentException("format atp needs a path: load(PATH) or save(PATH)");
    return p;
  }

  @Override
  public String name() { return "atp:" + path(properties); }

  @Override
  public StructType schema() { return schema; }

  @Override
  public Set<TableCapability> capabilities() {
    return EnumSet.of(TableCapability.BATCH_READ, TableCapability.BATCH_WRITE, TableCapability.TRUNCATE);
  }

  @Override
  public ScanBuilder newScanBuilder(CaseInsensitiveStringMap options) {
    return new AtpScan.Builder(path(properties), schema, options);
  }

  @Override
  public WriteBuilder newWriteBuilder(LogicalWriteInfo info) {
    return new AtpWrite.Builder(path(properties), info);
  }
}
