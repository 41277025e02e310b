package org.atomstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.atomstore.store.AtpReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {

  @TempDir Path tmp;

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    var cl = Main.newCommandLine();
    var out = new StringWriter();
    var err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private static Map<String, String> keyValues(String out) {
    var map = new LinkedHashMap<String, String>();
    for (String line : out.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) map.put(line.substring(0, eq), line.substring(eq + 1));
    }
    return map;
  }

  @Test
  void printsTheReferenceKeysInTheReferenceOrder() throws Exception {
    Path file = tmp.resolve("bench.atp");
    Run r = run("bench", "--path", file.toString(), "--num-molecules", "300", "--atoms-per-molecule", "5",
        "--with-props", "--compression", "zstd:3", "--read-batch", "64", "--random-reads", "50", "--keep");

    assertThat(r.code()).as(r.err()).isZero();
    Map<String, String> kv = keyValues(r.out());
    // The reference's lines, in its order (atompack-bench.rs); vmrss/vmhwm only where /proc exists.
    List<String> reference = List.of("format", "path", "num_molecules", "atoms_per_molecule", "with_props",
        "write_batch", "read_batch", "random_reads", "shuffle_samples", "compression", "create_s", "write_s",
        "flush_s", "file_size_bytes", "write_molecules_per_s", "open_s", "len", "seq_read_s",
        "seq_read_molecules_per_s", "seq_read_atoms", "rand_read_s", "rand_read_molecules_per_s", "rand_read_atoms",
        "shuffle_mode", "shuffle_read_s", "shuffle_read_molecules_per_s", "shuffle_read_atoms", "open_mmap_s",
        "vmrss_kb", "vmhwm_kb");
    assertThat(List.copyOf(kv.keySet()).subList(0, reference.size())).containsExactlyElementsOf(reference);
    assertThat(kv).containsEntry("format", "atompack_v2").containsEntry("compression", "Zstd(3)")
        .containsEntry("len", "300").containsEntry("seq_read_atoms", "1500").containsEntry("rand_read_atoms", "250")
        .containsEntry("shuffle_mode", "perm").containsEntry("shuffle_read_atoms", "1500")
        .containsEntry("file_size_bytes", Long.toString(Files.size(file)));
    try (AtpReader reader = AtpReader.open(file)) {
      assertThat(reader.size()).isEqualTo(300);
      assertThat(reader.get(299).energyAsDouble()).isEqualTo(-1000.0 - 299 * 1e-3);
      assertThat(reader.get(7).forces()).isNotNull();
    }
  }

  @Test
  void deletesTheFileUnlessKeepIsGiven() {
    Path file = tmp.resolve("gone.atp");
    Run r = run("bench", "--path", file.toString(), "--num-molecules", "20", "--atoms-per-molecule", "3",
        "--compression", "none", "--shuffle-samples", "7");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(keyValues(r.out())).containsEntry("compression", "None")
        .containsEntry("shuffle_mode", "random_with_replacement");
    assertThat(file).doesNotExist();
  }

  @Test
  void rejectsAnUnknownCompressionAsAUsageError() {
    Run r = run("bench", "--path", tmp.resolve("x.atp").toString(), "--compression", "gzip");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("gzip");
  }

  @Test
  void compareWritesTheReportForTheChosenStores() throws Exception {
    Path out = tmp.resolve("report");
    Run r = run("bench", "--compare", "--num-molecules", "40", "--atoms-per-molecule", "4", "--with-props",
        "--stores", "atp-none,lmdb", "--out", out.toString(), "--work-dir", tmp.resolve("work").toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Files.readString(out.resolve("results.md"))).contains("| atp-none |", "| lmdb |");
    assertThat(Files.readAllLines(out.resolve("results.csv"))).hasSize(3);
  }

  @Test
  void compareRejectsAnUnknownStore() {
    Run r = run("bench", "--compare", "--stores", "mongodb", "--out", tmp.resolve("o").toString());
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("mongodb");
  }

  @Test
  void compareWithoutOutWritesIntoATemporaryDirectoryNotTheWorkingDirectory() throws Exception {
    Run r = run("bench", "--compare", "--num-molecules", "20", "--atoms-per-molecule", "3", "--stores", "atp-none",
        "--work-dir", tmp.resolve("work").toString());
    assertThat(r.code()).as(r.err()).isZero();
    String line = r.out().lines().filter(l -> l.startsWith("report: ")).findFirst().orElseThrow();
    Path report = Path.of(line.substring("report: ".length()));
    try {
      assertThat(report).startsWith(Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath());
      assertThat(report.resolve("results.md")).isRegularFile();
      assertThat(Path.of("bench-results")).doesNotExist();
    } finally {
      Temporaries.delete(report);
    }
  }

  @Test
  void theReferenceScenarioDefaultsToNoCompression() {
    Run r = run("bench", "--path", tmp.resolve("d.atp").toString(), "--num-molecules", "10", "--atoms-per-molecule", "2");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(keyValues(r.out())).containsEntry("compression", "None");
  }
}
