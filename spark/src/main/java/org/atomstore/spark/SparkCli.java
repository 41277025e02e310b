package org.atomstore.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.atomstore.codec.Compression;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code atomstore spark ...}: run in a JVM of its own with Spark's classpath and module options, which the
 * {@code atomstore} command starts only for these commands.
 */
@Command(name = "spark", mixinStandardHelpOptions = true, subcommands = {SparkCli.Convert.class, SparkCli.Sql.class},
    description = "Spark jobs over Atomstore datasets, in local mode by default (--master local[N]) or on a cluster.")
public final class SparkCli implements Callable<Integer> {

  public static void main(String[] args) {
    System.exit(new CommandLine(new SparkCli()).execute(args));
  }

  @Override
  public Integer call() {
    CommandLine.usage(this, System.out);
    return 2;
  }

  static SparkSession session(String master, String name) {
    SparkSession.Builder b = SparkSession.builder().appName("atomstore " + name).master(master)
        .config("spark.ui.enabled", "false");
    if (master.startsWith("local")) {
      // local mode binds to loopback only
      b.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
    }
    SparkSession s = b.getOrCreate();
    s.sparkContext().setLogLevel("WARN");
    return s;
  }

  @Command(name = "convert", mixinStandardHelpOptions = true, description = {
      "Convert extended XYZ (.xyz/.extxyz, compressed too), ASE .db, fairchem .aselmdb and .atp files, dataset "
          + "directories and asebytes LMDB stores into a dataset, one Spark task per input file, or per range of whole frames of a large uncompressed text file (a new shard every --shard-molecules). The records equal those `atomstore convert` writes "
          + "for the same files; the dataset appears, manifest and all, only when every task has succeeded."})
  static final class Convert implements Callable<Integer> {
    @Parameters(arity = "2..*", paramLabel = "IN... OUT_DIR", description = "Input files, then the dataset directory to create.")
    List<Path> paths;

    @Option(names = "--master", defaultValue = "local[*]", description = "Spark master (default: ${DEFAULT-VALUE}).")
    String master;

    @Option(names = "--compression", defaultValue = "none", description = "none, lz4, zstd or zstd:LEVEL (default: ${DEFAULT-VALUE}).")
    String compression;

    @Option(names = "--shard-molecules", defaultValue = "0", paramLabel = "N", description = "At most N structures per shard (default: one shard per input).")
    long shardMolecules;

    @Option(names = "--float32", description = "Store positions and other floats as float32.")
    boolean float32;

    @Option(names = "--split-bytes", defaultValue = "0", paramLabel = "N", description = "Convert an uncompressed text "
        + "file larger than N bytes in ranges of about N bytes, one task each (default: sized for the cluster, about "
        + "three ranges per core, 8 to 128 MB).")
    long splitBytes;

    @Option(names = "--json", description = "Print the summary as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      Compression c = Compression.parse(compression);
      List<Path> inputs = paths.subList(0, paths.size() - 1);
      Path out = paths.get(paths.size() - 1);
      long t0 = System.nanoTime();
      SparkConvert.Result r;
      double job;
      double start;
      TaskMetrics metrics = new TaskMetrics();
      try (SparkSession s = session(master, "convert")) {
        long t1 = System.nanoTime();
        start = (t1 - t0) / 1e9;
        s.sparkContext().addSparkListener(metrics);
        r = SparkConvert.run(s, inputs, out, c, float32, shardMolecules, splitBytes);
        job = (System.nanoTime() - t1) / 1e9;
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      PrintWriter o = new PrintWriter(System.out, true);
      if (json) {
        ObjectNode n = new ObjectMapper().createObjectNode().put("output", out.toString()).put("molecules", r.molecules())
            .put("shards", r.shards()).put("bytes", r.bytes()).put("seconds", seconds)
            .put("molecules_per_s", r.molecules() / Math.max(seconds, 1e-9)).put("master", master)
            // the conversion alone, without starting Spark
            .put("job_seconds", job).put("spark_start_seconds", start).put("passes", r.passes());
        r.seconds().forEach((k, v) -> n.put(k + "_seconds", v));
        metrics.into(n);
        o.println(n.toPrettyString());
      } else {
        o.printf(Locale.ROOT, "Converted %,d structures from %d files into %s (%d shards, %,d bytes) in %.1f s with %s.%n",
            r.molecules(), inputs.size(), out, r.shards(), r.bytes(), seconds, master);
      }
      return 0;
    }
  }

  @Command(name = "sql", mixinStandardHelpOptions = true, description = {
      "Run a Spark SQL query over a dataset (an .atp file or a dataset directory) registered as the table `atoms`; "
          + "prints the result as CSV with a header, or as JSON with --json."})
  static final class Sql implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DATASET")
    String dataset;

    @Parameters(index = "1", paramLabel = "QUERY")
    String query;

    @Option(names = "--master", defaultValue = "local[*]", description = "Spark master (default: ${DEFAULT-VALUE}).")
    String master;

    @Option(names = "--json", description = "Print the rows as a JSON array of objects.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      try (SparkSession s = session(master, "sql")) {
        s.read().format("atp").load(dataset).createOrReplaceTempView("atoms");
        Dataset<Row> result = s.sql(query);
        List<Row> rows = result.collectAsList();
        StructField[] fields = result.schema().fields();
        PrintWriter o = new PrintWriter(System.out, true);
        if (json) {
          ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
          ArrayNode arr = m.createArrayNode();
          for (Row r : rows) {
            ObjectNode n = arr.addObject();
            for (int k = 0; k < fields.length; k++) n.set(fields[k].name(), m.valueToTree(plain(r.get(k))));
          }
          o.println(m.writeValueAsString(arr));
        } else {
          StringBuilder sb = new StringBuilder();
          for (int k = 0; k < fields.length; k++) sb.append(k > 0 ? "," : "").append(csv(fields[k].name()));
          o.println(sb);
          for (Row r : rows) {
            sb.setLength(0);
            for (int k = 0; k < fields.length; k++) sb.append(k > 0 ? "," : "").append(r.isNullAt(k) ? "" : csv(String.valueOf(plain(r.get(k)))));
            o.println(sb);
          }
        }
      }
      return 0;
    }

    /** Scala collections as Java lists, so they print and serialize as arrays. */
    private static Object plain(Object v) {
      if (v instanceof scala.collection.Seq<?> seq) {
        return scala.jdk.javaapi.CollectionConverters.asJava(seq).stream().map(Sql::plain).toList();
      }
      return v;
    }

    private static String csv(String s) {
      return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
  }
}
