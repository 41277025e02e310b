package org.atomstore.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.atomstore.model.Molecule;
import org.atomstore.store.FieldSet;
import org.atomstore.table.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadThroughCacheTest {
  @TempDir Path dir;

  /** A table that counts the reads that reach it. */
  static final class Counting implements Table {
    final Table in;
    final AtomicInteger reads = new AtomicInteger();

    Counting(Table in) { this.in = in; }

    @Override public String source() { return "counting:" + in.source(); }
    @Override public long size() throws IOException { return in.size(); }
    @Override public Molecule get(long index, FieldSet fields) throws IOException {
      reads.incrementAndGet();
      return in.get(index, fields);
    }
    @Override public void close() throws IOException { in.close(); }
  }

  private Counting source(List<Molecule> ms) throws IOException {
    MoleculeTable t = Tiers.molecules(MemoryTable.open("memory://" + UUID.randomUUID()));
    t.extend(ms);
    return new Counting(t);
  }

  @Test
  void laterEpochsAndLaterRunsAreServedFromTheFile() throws IOException {
    List<Molecule> ms = TableContract.sampleMolecules(30);
    Path file = dir.resolve("cache.atp");
    Counting src = source(ms);
    try (ReadThroughCache c = ReadThroughCache.open(src, file)) {
      assertThat(c.cachedRows()).isZero();
      for (long i : new long[] {7, 3, 7, 29}) c.get(i);
      assertThat(src.reads.get()).isEqualTo(3);
      assertThat(c.cachedRows()).isEqualTo(3);
      for (long i = 0; i < 30; i++) assertThat(c.get(i)).isEqualTo(TableContract.viaAse(ms.get((int) i)));
      assertThat(c.cachedFraction()).isEqualTo(1.0);
      int first = src.reads.get();
      for (long i = 29; i >= 0; i--) c.get(i); // a second epoch
      assertThat(src.reads.get()).isEqualTo(first);
    }
    Counting again = source(ms);
    try (ReadThroughCache c = ReadThroughCache.open(again, file)) {
      assertThat(c.cachedRows()).isEqualTo(30);
      assertThat(c.readBatch(new long[] {4, 2}, FieldSet.ALL, false).energy())
          .containsExactly(ms.get(4).energyAsDouble(), ms.get(2).energyAsDouble());
      assertThat(again.reads.get()).isZero();
    }
  }

  @Test
  void aCacheOfAnotherSizeStartsAfresh() throws IOException {
    Path file = dir.resolve("c.atp");
    try (ReadThroughCache c = ReadThroughCache.open(source(TableContract.sampleMolecules(5)), file)) {
      c.get(1);
    }
    try (ReadThroughCache c = ReadThroughCache.open(source(TableContract.sampleMolecules(6)), file)) {
      assertThat(c.cachedRows()).isZero();
      assertThat(c.get(5).energyAsDouble()).isEqualTo(-7.5);
    }
  }

  @Test
  void threadsReadingWhileTheCacheFlushesSeeEveryRow() throws Exception {
    List<Molecule> ms = TableContract.sampleMolecules(2500); // more than one flush's worth of fills
    List<Molecule> expected = ms.stream().map(TableContract::viaAse).toList();
    try (ReadThroughCache c = ReadThroughCache.open(source(ms), dir.resolve("mt.atp"))) {
      List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
      try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
        for (int t = 0; t < 4; t++) {
          long seed = t;
          done.add(pool.submit(() -> {
            java.util.Random r = new java.util.Random(seed);
            for (int k = 0; k < 3000; k++) {
              int i = r.nextInt(ms.size());
              assertThat(c.get(i)).as("row %d (seed %d)", i, seed).isEqualTo(expected.get(i));
            }
            return null;
          }));
        }
        for (var f : done) f.get();
      }
      assertThat(c.cachedRows()).isPositive().isLessThanOrEqualTo(ms.size());
    }
  }
}
