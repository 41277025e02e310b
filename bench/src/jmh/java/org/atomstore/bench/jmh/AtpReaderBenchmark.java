package org.atomstore.bench.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.atomstore.bench.MoleculeBatch;
import org.atomstore.bench.SyntheticMolecules;
import org.atomstore.bench.XorShift64;
import org.atomstore.bench.store.AtpBatches;
import org.atomstore.codec.Compression;
import org.atomstore.model.Molecule;
import org.atomstore.store.AtpReader;
import org.atomstore.store.AtpWriter;
import org.atomstore.store.FieldSet;
import org.atomstore.store.FlatBatch;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Hot paths of the {@code .atp} reader on the reference benchmark's molecules (64 atoms, energy + forces):
 * one record decode, one index lookup, one field projection (energy only) and one flat batch of
 * {@value #BATCH} molecules, each at a random index of a file of {@code molecules} records in the page cache.
 *
 * <p>Run: {@code ./mvnw -q -B -Pjmh -pl bench -am package -DskipTests} then
 * {@code java --enable-native-access=ALL-UNNAMED -jar bench/target/atomstore-jmh.jar}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Benchmark)
public class AtpReaderBenchmark {
  static final int BATCH = 256;
  private static final FieldSet ENERGY = FieldSet.of("energy");

  @Param({"none", "zstd:3"})
  public String compression;

  @Param({"100000"})
  public int molecules;

  @Param({"64"})
  public int atoms;

  private Path dir;
  private AtpReader reader;
  private long[] order;

  @Setup(Level.Trial)
  public void writeFile() throws IOException {
    dir = Files.createTempDirectory("atomstore-jmh");
    Path file = dir.resolve("bench.atp");
    try (AtpWriter w = AtpWriter.create(file, Compression.parse(compression))) {
      for (int first = 0; first < molecules; first += 8192) {
        MoleculeBatch b = SyntheticMolecules.batch(first, Math.min(8192, molecules - first), atoms, true, false);
        w.addBatch(AtpBatches.stacked(b));
      }
    }
    reader = AtpReader.open(file);
    order = XorShift64.permutation(molecules, 12_345);
  }

  @TearDown(Level.Trial)
  public void deleteFile() throws IOException {
    reader.close();
    Files.deleteIfExists(dir.resolve("bench.atp"));
    Files.deleteIfExists(dir);
  }

  /** Where each benchmark thread is in the shuffled order. */
  @State(Scope.Thread)
  public static class Cursor {
    int next;

    long index(AtpReaderBenchmark b) {
      long i = b.order[next];
      next = next + 1 == b.order.length ? 0 : next + 1;
      return i;
    }

    long[] batch(AtpReaderBenchmark b) {
      long[] idx = new long[BATCH];
      for (int k = 0; k < BATCH; k++) idx[k] = index(b);
      return idx;
    }
  }

  @Benchmark
  public Molecule recordDecode(Cursor c) throws IOException {
    return reader.get(c.index(this));
  }

  @Benchmark
  public int indexLookup(Cursor c) throws IOException {
    return reader.atomCount(c.index(this));
  }

  @Benchmark
  public double fieldProjectionEnergy(Cursor c) throws IOException {
    return reader.get(c.index(this), ENERGY).energyAsDouble();
  }

  @Benchmark
  public FlatBatch flatBatch256(Cursor c) throws IOException {
    return reader.readBatch(c.batch(this), FieldSet.ALL, false);
  }
}
