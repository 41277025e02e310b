package org.atomstore.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.atomstore.bench.store.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Smoke test of the comparison harness at a tiny size: correctness of every store and the report files only. */
class CompareBenchTest {

  @TempDir Path tmp;

  /** The harness's progress lines (one per store and phase), kept out of the build log. */
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();

  private List<StoreResult> run(DatasetSpec spec, List<String> stores, int threads) throws Exception {
    var options = new CompareBench.Options(spec, stores, tmp.resolve("work"), tmp.resolve("out"), 64, 0, threads,
        42, true, false);
    return new CompareBench(options, new PrintStream(log, true, StandardCharsets.UTF_8)).run();
  }

  @Test
  void everyStoreReturnsWhatItWasGivenAndTheReportIsWritten() throws Exception {
    var results = run(new DatasetSpec(200, 8, true, true), Stores.ALL, 2);

    assertThat(results).extracting(StoreResult::id).containsExactlyElementsOf(Stores.ALL);
    for (StoreResult r : results) {
      assertThat(r.skipped()).as(r.id()).isNull();
      assertThat(r.verified()).as(r.id() + " read back what was written").isTrue();
      assertThat(r.sizeBytes()).as(r.id()).isGreaterThan(new DatasetSpec(200, 8, true, true).payloadBytes() / 2);
      assertThat(r.shuffledPerSecond()).as(r.id()).isPositive();
    }
    Path out = tmp.resolve("out");
    for (String f : List.of(CompareReport.MARKDOWN, CompareReport.CSV, CompareReport.THROUGHPUT_PNG, CompareReport.SIZE_PNG)) {
      assertThat(out.resolve(f)).isNotEmptyFile();
    }
    List<String> csv = Files.readAllLines(out.resolve(CompareReport.CSV));
    assertThat(csv).hasSize(1 + Stores.ALL.size());
    assertThat(csv.get(0)).contains("shuffled_read_mol_per_s", "ratio_shuffled_read", "size_bytes");
    assertThat(Files.readString(out.resolve(CompareReport.MARKDOWN))).contains("| lmdb |", "Ratios atp-none / peer");
    assertThat(Files.readAllBytes(out.resolve(CompareReport.THROUGHPUT_PNG))).startsWith(0x89, 'P', 'N', 'G');
    assertThat(tmp.resolve("work")).isEmptyDirectory();
    String progress = log.toString(StandardCharsets.UTF_8);
    for (String id : Stores.ALL) assertThat(progress).as("progress of " + id).containsPattern("shuffled +" + Pattern.quote(id) + " ");
  }

  @Test
  void storesWithoutPropertiesReturnPositionsAndNumbersOnly() throws Exception {
    var results = run(new DatasetSpec(50, 3, false, false), Stores.ALL, 1);
    assertThat(results).allSatisfy(r -> assertThat(r.verified()).as(r.id()).isTrue());
  }
}
