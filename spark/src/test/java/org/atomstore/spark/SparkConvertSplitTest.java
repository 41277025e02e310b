package org.atomstore.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.atomstore.codec.Compression;
import org.atomstore.dataset.ShardedDataset;
import org.atomstore.io.ase.AseAtoms;
import org.atomstore.io.extxyz.ExtxyzReader;
import org.atomstore.io.mapping.AseMapping;
import org.atomstore.io.mapping.SchemaPlan;
import org.atomstore.io.mapping.SchemaSurvey;
import org.atomstore.model.Molecule;
import org.atomstore.store.AtpReader;
import org.atomstore.store.AtpWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `spark convert` of text files cut into ranges of whole frames: the records and their order are convert's. */
class SparkConvertSplitTest {
  static SparkSession spark;
  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").appName("atomstore-split-test")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
  }

  @AfterAll
  static void stop() {
    if (spark != null) spark.stop();
  }

  /** Frames of 0 to 4 atoms, some with a comment line that is a count, VEC lines, CRLF and lone-CR line ends. */
  static String tricky(int frames, String eol) {
    StringBuilder sb = new StringBuilder();
    for (int k = 0; k < frames; k++) {
      int n = k % 5;
      sb.append(n).append(eol);
      if (k % 3 == 0) sb.append(Math.max(0, n - 1)).append(eol); // a comment that is a count, one less than n
      else if (k % 3 == 1) sb.append("Properties=species:S:1:pos:R:3 energy=").append(-k * 0.5).append(" step=").append(k).append(eol);
      else sb.append(eol); // an empty comment line
      for (int a = 0; a < n; a++) {
        sb.append(a % 2 == 0 ? "H" : "O").append(String.format(Locale.ROOT, " %.3f %.3f %.3f", k + a * 0.5, a * 0.25, -a * 1.0)).append(eol);
      }
      if (n == 2 && k % 4 == 2) sb.append("VEC1 5.0 0 0").append(eol).append("VEC2 0 5.0 0").append(eol).append("VEC3 0 0 5.0").append(eol);
    }
    return sb.toString();
  }

  /** What `atomstore convert` writes for these files: types settled over all, frames in order, one file. */
  static Path reference(List<Path> inputs, String name) throws IOException {
    SchemaPlan plan = SchemaSurvey.survey(inputs, AseMapping.Precision.FLOAT64, 1);
    Path out = dir.resolve(name);
    try (AtpWriter w = AtpWriter.create(out, Compression.NONE)) {
      for (Path in : inputs) {
        try (ExtxyzReader r = ExtxyzReader.open(in, 1)) {
          for (AseAtoms f = r.read(); f != null; f = r.read()) {
            Molecule m = AseMapping.toMolecule(f, AseMapping.Precision.FLOAT64).molecule();
            assertThat(plan.apply(m)).isEmpty();
            w.add(m);
          }
        }
      }
    }
    return out;
  }

  static void assertSameRecords(Path reference, Path dataset) throws IOException {
    try (AtpReader a = AtpReader.open(reference); ShardedDataset b = ShardedDataset.open(dataset)) {
      assertThat(b.size()).isEqualTo(a.size()).isPositive();
      for (long i = 0; i < a.size(); i++) assertThat(b.get(i)).as("structure %d", i).isEqualTo(a.get(i));
    }
  }

  @Test
  void aFileCutIntoManyRangesGivesConvertsRecordsInOrder() throws IOException {
    for (String eol : List.of("\n", "\r\n", "\r")) {
      String tag = eol.equals("\n") ? "lf" : eol.equals("\r") ? "cr" : "crlf";
      Path in = dir.resolve("tricky-" + tag + ".extxyz");
      Files.writeString(in, tricky(400, eol), StandardCharsets.UTF_8);
      Path ref = reference(List.of(in), "tricky-" + tag + ".atp");
      for (long split : new long[] {37, 256, 4096}) {
        Path out = dir.resolve("split-" + tag + "-" + split);
        var r = SparkConvert.run(spark, List.of(in), out, Compression.NONE, false, 0, split);
        assertThat(r.tasks()).as("tasks").isGreaterThan((int) (Files.size(in) / split) - 1);
        assertThat(r.passes()).isEqualTo(1);
        assertSameRecords(ref, out);
      }
    }
  }

  @Test
  void rangesResyncOnAFrameStartEvenWhereTheGuessIsFooled() throws IOException {
    // two atoms and a comment "1": from the comment line, one frame of one atom seems to start there, followed by
    // true frames, so FrameSync takes it for a frame start when it starts looking inside a count line (padded, so
    // that most range offsets do); the check against the range before must catch it
    String count = "2" + " ".repeat(60) + "\n";
    StringBuilder sb = new StringBuilder();
    for (int k = 0; k < 300; k++) sb.append(count).append("1\nH ").append(k).append(" 0 0\nO 0 ").append(k).append(" 0\n");
    Path in = dir.resolve("fooled.xyz");
    Files.writeString(in, sb.toString());
    try (FileChannel ch = FileChannel.open(in)) {
      long frame = (count + "1\nH 0 0 0\nO 0 0 0\n").length();
      assertThat(new FrameSync(ch).next(frame + 1)).as("lands on a comment line").isEqualTo(frame + count.length());
      assertThat(new FrameSync(ch).next(frame)).as("a count line that starts at the offset").isEqualTo(frame);
    }
    Path out = dir.resolve("fooled-out");
    var r = SparkConvert.run(spark, List.of(in), out, Compression.NONE, false, 0, 500);
    assertThat(r.tasks()).as("the ranges, then one more task for the rest of the file from the first miss")
        .isEqualTo((int) ((Files.size(in) + 499) / 500) + 1);
    assertSameRecords(reference(List.of(in), "fooled.atp"), out);
  }

  @Test
  void frameSyncFindsTheNextFrameStart() throws IOException {
    String text = tricky(60, "\n");
    Path in = dir.resolve("sync.xyz");
    Files.writeString(in, text);
    // the true frame starts, by reading the frames one after the other
    List<Long> starts = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    long off = 0;
    int li = 0;
    while (li < lines.length - 1) {
      starts.add(off);
      int n = Integer.parseInt(lines[li].trim());
      int skip = 2 + n;
      while (li + skip < lines.length - 1 && lines[li + skip].startsWith("VEC")) skip++;
      for (int s = 0; s < skip; s++) off += lines[li + s].length() + 1;
      li += skip;
    }
    try (FileChannel ch = FileChannel.open(in)) {
      FrameSync sync = new FrameSync(ch);
      int found = 0;
      for (long f = 1; f < text.length(); f += 7) {
        long from = f;
        long next = sync.next(from);
        long truth = starts.stream().filter(s -> s >= from).findFirst().orElse((long) text.length());
        // the comment "n-1" frames may fool the guess by one line, never anywhere else
        assertThat(next).isBetween(from, truth);
        if (next == truth) found++;
      }
      assertThat(found).as("most offsets resync on the true frame start").isGreaterThan(text.length() / 7 / 2);
    }
  }

  @Test
  void aKeyThatChangesTypeAcrossRangesIsSettledOverAll() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int k = 0; k < 200; k++) {
      // 'charge' is an integer in the first half and a float in the second: settled to float everywhere
      sb.append("1\nProperties=species:S:1:pos:R:3 charge=").append(k < 100 ? Integer.toString(k) : k + ".5").append("\nH 0 0 ").append(k).append('\n');
    }
    Path in = dir.resolve("types.xyz");
    Files.writeString(in, sb.toString());
    SchemaPlan plan = SchemaSurvey.survey(List.of(in), AseMapping.Precision.FLOAT64, 1);
    assertThat(plan.isEmpty()).isFalse();
    Path ref = dir.resolve("types.atp");
    try (AtpWriter w = AtpWriter.create(ref, Compression.NONE); ExtxyzReader r = ExtxyzReader.open(in, 1)) {
      for (AseAtoms f = r.read(); f != null; f = r.read()) {
        Molecule m = AseMapping.toMolecule(f, AseMapping.Precision.FLOAT64).molecule();
        plan.apply(m);
        w.add(m);
      }
    }
    Path out = dir.resolve("types-out");
    var r = SparkConvert.run(spark, List.of(in), out, Compression.NONE, false, 0, 1000);
    assertThat(r.passes()).isEqualTo(2);
    assertSameRecords(ref, out);
  }

  @Test
  void aBadFrameInOneRangeFailsTheJobWithItsLineAndPublishesNothing() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int k = 0; k < 300; k++) {
      sb.append("1\nstep=").append(k).append("\nH 0 0 ").append(k == 211 ? "oops" : Integer.toString(k)).append('\n');
    }
    Path in = dir.resolve("bad.xyz");
    Files.writeString(in, sb.toString());
    Path out = dir.resolve("bad-out");
    int line = 211 * 3 + 3;
    assertThatThrownBy(() -> SparkConvert.run(spark, List.of(in), out, Compression.NONE, false, 0, 300))
        .isInstanceOf(IOException.class).hasMessageStartingWith(in + ":" + line + ":");
    assertThat(Files.exists(out)).isFalse();
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("bad-out"));
    }
  }
}
