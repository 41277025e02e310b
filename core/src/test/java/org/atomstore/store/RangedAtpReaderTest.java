package org.atomstore.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.atomstore.codec.Compression;
import org.atomstore.model.Molecule;
import org.atomstore.model.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RangedAtpReader} gives {@link AtpReader}'s answers: for every golden file of Atompack 0.4.0 and for
 * damaged copies of them, every read gives the same molecules, batches, index entries, verify findings, or the
 * same exception with the same message. Opening a large file takes two reads; its index is read in pages.
 */
class RangedAtpReaderTest {
  @TempDir Path tmp;

  @Test
  void readsEveryGoldenFileAsTheMappedReaderDoes() throws IOException {
    List<Path> files = Golden.atpFiles();
    assertThat(files).isNotEmpty();
    for (Path p : files) {
      assertThat(transcript(p, true)).as(p.toString()).isEqualTo(transcript(p, false));
    }
  }

  @Test
  void damagedFilesGiveTheSameAnswersAndExceptions() throws IOException {
    long seed = Long.getLong("atomstore.fuzz.seed", System.nanoTime());
    SplittableRandom rnd = new SplittableRandom(seed);
    List<byte[]> corpus = new ArrayList<>();
    for (Path g : Golden.atpFiles()) if (Files.size(g) < (1 << 20)) corpus.add(Files.readAllBytes(g));
    Path file = tmp.resolve("damaged.atp");
    for (int n = 0; n < 300; n++) {
      StringBuilder how = new StringBuilder();
      byte[] input = AtpReaderFuzzTest.mutate(corpus.get(rnd.nextInt(corpus.size())).clone(), rnd, how);
      Files.write(file, input);
      assertThat(transcript(file, true)).as("seed " + seed + " input " + n + " " + how).isEqualTo(transcript(file, false));
    }
  }

  @Test
  void opensALargeFileInTwoReadsAndReadsItsIndexInPages() throws IOException {
    Path p = tmp.resolve("large.atp");
    int n = 3 * RangedAtpReader.PAGE_ENTRIES + 17;
    try (AtpWriter w = AtpWriter.create(p, Compression.NONE)) {
      for (int i = 0; i < n; i++) {
        Molecule m = Molecule.create(new Value.Vec3Float32(new float[] {i, 0, 0, 0, i, 0}), new byte[] {1, 8});
        m.energy(new Value.Float64(i));
        w.add(m);
      }
    }
    try (CountingFileSource src = new CountingFileSource(p); RangedAtpReader r = RangedAtpReader.open(src)) {
      assertThat(src.reads.get()).isLessThanOrEqualTo(2);
      assertThat(src.bytes.get()).isLessThan(8192 + 2L * RangedAtpReader.PAGE_ENTRIES * 20);
      long before = src.reads.get();
      assertThat(r.get(n - 1).energy()).isEqualTo(new Value.Float64(n - 1));
      assertThat(src.reads.get() - before).isEqualTo(2); // one index page, one record
      assertThat(r.cachedPages()).isEqualTo(2);
      FlatBatch b = r.readBatch(new long[] {5, n - 2, 2 * RangedAtpReader.PAGE_ENTRIES + 3, 6}, FieldSet.ALL, false);
      assertThat(b.energy()).containsExactly(5, n - 2, 2 * RangedAtpReader.PAGE_ENTRIES + 3, 6);
      assertThat(r.cachedPages()).isEqualTo(3);
    }
  }

  @Test
  void closeIsIdempotentAndReadsAfterCloseFail() throws IOException {
    Path p = Golden.atpFiles().get(0);
    CountingFileSource src = new CountingFileSource(p);
    RangedAtpReader r = RangedAtpReader.open(src, true);
    r.close();
    r.close();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> r.readBatch(new long[] {0}, FieldSet.ALL, false))
        .isInstanceOf(IllegalStateException.class);
  }

  /** Everything a caller can read from the file, each outcome a line: a value or an exception and its message. */
  static String transcript(Path p, boolean ranged) throws IOException {
    List<String> out = new ArrayList<>();
    AtpFile r;
    try {
      r = ranged ? RangedAtpReader.open(new CountingFileSource(p), true) : AtpReader.open(p);
    } catch (IOException e) {
      return "open: " + e.getClass().getSimpleName() + ": " + e.getMessage();
    }
    try (r) {
      out.add(r.size() + " " + r.fileSize() + " " + r.compression() + " " + r.recordFormat() + " " + r.fileSchema() + " "
          + r.generation() + " " + r.headerSlot() + " " + r.uncommittedBytes() + " " + r.positionsType());
      long n = Math.min(r.size(), 300);
      for (long i = 0; i < n; i++) {
        final long k = i;
        out.add(outcome(() -> r.indexEntry(k)));
        out.add(outcome(() -> r.atomCount(k)));
        out.add(outcome(() -> r.get(k)));
        out.add(outcome(() -> r.get(k, FieldSet.of("positions", "energy", "forces", "cell", "pbc"))));
      }
      long[] all = LongStream.range(0, n).toArray();
      long[] shuffled = all.clone();
      SplittableRandom rnd = new SplittableRandom(n);
      for (int i = shuffled.length - 1; i > 0; i--) {
        int j = rnd.nextInt(i + 1);
        long t = shuffled[i];
        shuffled[i] = shuffled[j];
        shuffled[j] = t;
      }
      out.add(outcome(() -> describe(r.readBatch(all, FieldSet.ALL, false))));
      out.add(outcome(() -> describe(r.readBatch(shuffled, FieldSet.ALL, true))));
      out.add(outcome(() -> describe(r.readBatch(shuffled, FieldSet.of("positions", "energy", "tensor"), false))));
      out.add(String.valueOf(r.verify(5)));
    }
    return String.join("\n", out);
  }

  interface Read {
    Object run() throws IOException;
  }

  private static String outcome(Read read) {
    try {
      return String.valueOf(read.run());
    } catch (IOException | IndexOutOfBoundsException | IllegalArgumentException e) {
      return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
  }

  /** A batch as text: every array it holds. */
  static String describe(FlatBatch b) {
    StringBuilder s = new StringBuilder();
    s.append(Arrays.toString(b.indices())).append(Arrays.toString(b.atomOffsets()));
    for (Object o : new Object[] {b.positions(), b.atomicNumbers(), b.energy(), b.forces(), b.cell(), b.stress(), b.pbc()}) {
      s.append(Arrays.deepToString(new Object[] {o}));
    }
    for (String f : List.of("energy", "forces", "cell", "stress", "pbc", "charges", "velocities", "name")) {
      s.append(f).append(Arrays.toString(b.has(f)));
    }
    for (Map.Entry<String, FlatBatch.Column> c : b.customColumns().entrySet()) {
      s.append(c.getKey()).append(c.getValue().perAtom()).append(Arrays.deepToString(new Object[] {c.getValue().data()}))
          .append(Arrays.toString(c.getValue().offsets()));
    }
    return s.toString();
  }
}
