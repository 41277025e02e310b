package org.atomstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.atomstore.model.Value;
import org.atomstore.store.AtpReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code convert} settles one type per key over all frames (io/README.md, "One schema across a file"). */
class ConvertSchemaTest {

  @TempDir Path dir;

  @Test
  void keyChangingTypeBetweenFramesIsSettledWithOneWarning() throws Exception {
    Path in = dir.resolve("mixed.xyz");
    Files.writeString(in, """
        1
        Properties=species:S:1:pos:R:3:CS:R:2 tag=20 e=1
        H 0 0 0 1 2
        1
        Properties=species:S:1:pos:R:3:CS:R:3 tag=mol e=1.5
        H 0 0 0 1 2 3
        1
        tag=3 e=2
        H 0 0 0
        """);
    Path out = dir.resolve("mixed.atp");
    var r = CliRun.of("convert", in.toString(), out.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err()).containsOnlyOnce("'tag'").contains("stored as strings");
    try (var reader = AtpReader.open(out)) {
      assertThat(reader.size()).isEqualTo(3);
      assertThat(reader.get(0).properties().get("tag")).isEqualTo(new Value.Text("20"));
      assertThat(reader.get(1).properties().get("tag")).isEqualTo(new Value.Text("mol"));
      assertThat(reader.get(0).properties().get("e")).isEqualTo(new Value.Float64(1));
      assertThat(reader.get(0).atomProperties().get("CS")).isEqualTo(new Value.TensorFloat64(new int[] {1, 2}, new double[] {1, 2}));
      assertThat(reader.get(1).atomProperties().get("CS")).isEqualTo(new Value.TensorFloat64(new int[] {1, 3}, new double[] {1, 2, 3}));
    }
  }

  @Test
  void keyWithNoCommonTypeNamesKeyFileLineAndTypesAndSkipSkipsTheFramesThatDisagree() throws Exception {
    Path in = dir.resolve("conflict.xyz");
    Files.writeString(in, "1\nx=1.5\nH 0 0 0\n1\nx=\"1 2 3\"\nH 0 0 0\n1\nx=2.5\nH 0 0 0\n");
    var stop = CliRun.of("convert", in.toString(), dir.resolve("a.atp").toString());
    assertThat(stop.exitCode()).isEqualTo(ExitCodes.CORRUPT_INPUT);
    assertThat(stop.err()).contains("conflict.xyz:4").contains("'x'").contains("an array of 3 integers")
        .contains("a float").doesNotContain("type 1").doesNotContain("schema mismatch");
    assertThat(dir.resolve("a.atp")).doesNotExist();
    var skip = CliRun.of("convert", "--on-error", "skip", in.toString(), dir.resolve("b.atp").toString());
    assertThat(skip.exitCode()).as(skip.err()).isZero();
    assertThat(skip.err()).contains("conflict.xyz:4");
    try (var reader = AtpReader.open(dir.resolve("b.atp"))) {
      assertThat(reader.size()).isEqualTo(2);
      assertThat(reader.get(1).properties().get("x")).isEqualTo(new Value.Float64(2.5));
    }
  }

  @Test
  void whatAGivenUpOptimisticPassReportedIsReportedOnce() throws Exception {
    // the bool warning and the bad frame come before 'tag' changes type, so the one-pass attempt met them too
    Path in = dir.resolve("late.xyz");
    Files.writeString(in, """
        1
        flag=T tag=20
        H 0 0 0
        1
        flag=T tag=21
        H 0 0
        1
        flag=T tag=22
        H 0 0 0
        1
        flag=F tag=mol
        H 0 0 0
        """);
    Path out = dir.resolve("late.atp");
    var r = CliRun.of("convert", "--on-error", "skip", "--json", in.toString(), out.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err()).containsOnlyOnce("skipped frame at").containsOnlyOnce("'tag'")
        .containsOnlyOnce("info 'flag' is a bool: stored as Int64 1 (2 frames)");
    assertThat(r.out()).contains("\"skipped\" : 1").contains("\"molecules\" : 3");
    assertThat(dir.resolve(".late.atp.partial")).doesNotExist();
    try (var reader = AtpReader.open(out)) {
      assertThat(reader.size()).isEqualTo(3);
      assertThat(reader.get(0).properties().get("tag")).isEqualTo(new Value.Text("20"));
      assertThat(reader.get(2).properties().get("tag")).isEqualTo(new Value.Text("mol"));
    }
  }

  @Test
  void keyChangingTypeInALaterInputOfOneOutputIsSettledOverAllInputs() throws Exception {
    Path a = dir.resolve("a.xyz");
    Path b = dir.resolve("b.xyz");
    Files.writeString(a, "1\ne=1\nH 0 0 0\n1\ne=2\nH 0 0 0\n");
    Files.writeString(b, "1\ne=2.5\nH 0 0 0\n");
    Path out = dir.resolve("ab.atp");
    var r = CliRun.of("convert", a.toString(), b.toString(), out.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    try (var reader = AtpReader.open(out)) {
      assertThat(reader.size()).isEqualTo(3);
      assertThat(reader.get(0).properties().get("e")).isEqualTo(new Value.Float64(1));
      assertThat(reader.get(2).properties().get("e")).isEqualTo(new Value.Float64(2.5));
    }
  }

  @Test
  void inputReadOnceFromAPipeIsConvertedInOnePassWithTheTypesAsTheyCome() throws Exception {
    Path fifo = dir.resolve("pipe.xyz");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
    org.junit.jupiter.api.Assumptions.assumeTrue(mk.waitFor() == 0, "mkfifo is needed for a named pipe input");
    var feeder = Thread.ofVirtual().start(() -> {
      try {
        Files.writeString(fifo, "1\ne=1.5\nH 0 0 0\n1\ne=2.5\nH 0 0 0\n");
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    Path out = dir.resolve("pipe.atp");
    var r = CliRun.of("convert", fifo.toString(), out.toString());
    feeder.join();
    assertThat(r.exitCode()).as(r.err()).isZero();
    try (var reader = AtpReader.open(out)) {
      assertThat(reader.size()).isEqualTo(2);
      assertThat(reader.get(1).properties().get("e")).isEqualTo(new Value.Float64(2.5));
    }
  }

  @Test
  void keyOfAPipeChangingTypeIsABadFrameInWordsExit3AndNoOutput() throws Exception {
    String text = "1\ntag=20\nH 0 0 0\n1\ntag=mol\nH 0 0 0\n1\ntag=3\nH 0 0 0\n";
    Path out = dir.resolve("stop.atp");
    var r = convertFromPipe(text, out);
    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.CORRUPT_INPUT);
    assertThat(r.err()).contains("pipe.xyz:4").contains("property 'tag' is a string here but an integer at " + dir.resolve("pipe.xyz") + ":1,")
        .doesNotContain("schema mismatch").doesNotContain("type 1").doesNotContain("type tag");
    assertThat(out).doesNotExist();
    assertThat(AtomicAtp.temporaryName(out)).doesNotExist();
  }

  @Test
  void keyOfAPipeChangingTypeIsSkippedOnceAndCountedWithSkip() throws Exception {
    String text = "1\ntag=20\nH 0 0 0\n1\ntag=mol\nH 0 0 0\n"
        + "1\nProperties=species:S:1:pos:R:3:CS:R:1 tag=3\nH 0 0 0 1.5\n"
        + "1\nProperties=species:S:1:pos:R:3:CS:R:3 tag=4\nH 0 0 0 1 2 3\n1\ntag=5\nH 0 0 0\n";
    Path out = dir.resolve("skip.atp");
    var r = convertFromPipe(text, out, "--on-error", "skip");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err()).containsOnlyOnce("pipe.xyz:4").containsOnlyOnce("pipe.xyz:10")
        .contains("per-atom property 'CS' is ").contains(" here but one float per atom at " + dir.resolve("pipe.xyz") + ":7,")
        .doesNotContain("schema mismatch");
    assertThat(r.out()).contains("converted 3 structures, skipped 2,");
    assertThat(AtomicAtp.temporaryName(out)).doesNotExist();
    try (var reader = AtpReader.open(out)) {
      assertThat(reader.size()).isEqualTo(3);
      assertThat(reader.get(0).properties().get("tag")).isEqualTo(new Value.Int64(20));
      assertThat(reader.get(1).atomProperties().get("CS")).isNotNull();
      assertThat(reader.get(2).properties().get("tag")).isEqualTo(new Value.Int64(5));
    }
  }

  @Test
  void valueOfAPipeThatConvertsWithoutLossToTheWrittenTypeIsConverted() throws Exception {
    String text = "1\nProperties=species:S:1:pos:R:3:q:R:1 e=1.5 label=mol\nH 0 0 0 0.5\n"
        + "1\nProperties=species:S:1:pos:R:3:q:I:1 e=2 label=7\nH 0 0 0 3\n";
    Path out = dir.resolve("promoted.atp");
    var r = convertFromPipe(text, out);
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err()).contains("property 'label'").contains("stored as strings");
    try (var reader = AtpReader.open(out)) {
      assertThat(reader.size()).isEqualTo(2);
      assertThat(reader.get(1).properties().get("e")).isEqualTo(new Value.Float64(2));
      assertThat(reader.get(1).properties().get("label")).isEqualTo(new Value.Text("7"));
      assertThat(reader.get(1).atomProperties().get("q")).isEqualTo(new Value.Float64Array(new double[] {3}));
    }
  }

  @Test
  void atpInputsWhoseKeyChangesTypeFailInWordsOrSkipTheRecordsThatDisagree() throws Exception {
    Path a = dir.resolve("a.xyz");
    Path b = dir.resolve("b.xyz");
    Files.writeString(a, "1\ntag=20\nH 0 0 0\n");
    Files.writeString(b, "1\ntag=mol\nH 0 0 0\n1\ntag=3.5\nH 0 0 0\n");
    assertThat(CliRun.of("convert", a.toString(), dir.resolve("a.atp").toString()).exitCode()).isZero();
    assertThat(CliRun.of("convert", b.toString(), dir.resolve("b.atp").toString()).exitCode()).isZero();
    Path out = dir.resolve("ab.atp");
    var stop = CliRun.of("convert", dir.resolve("a.atp").toString(), dir.resolve("b.atp").toString(), out.toString());
    assertThat(stop.exitCode()).as(stop.err()).isEqualTo(ExitCodes.CORRUPT_INPUT);
    assertThat(stop.err()).contains("record 0").contains("property 'tag' is a string here but an integer at " + dir.resolve("a.atp") + " record 0,")
        .doesNotContain("schema mismatch");
    assertThat(out).doesNotExist();
    var skip = CliRun.of("convert", "--on-error", "skip", dir.resolve("a.atp").toString(), dir.resolve("b.atp").toString(),
        out.toString());
    assertThat(skip.exitCode()).as(skip.err()).isZero();
    assertThat(skip.out()).contains("converted 1 structures, skipped 2,");
    try (var reader = AtpReader.open(out)) {
      assertThat(reader.size()).isEqualTo(1);
      assertThat(reader.get(0).properties().get("tag")).isEqualTo(new Value.Int64(20));
    }
  }

  // Converts text fed through a named pipe (read once: cannot be started over) into out. One parse worker, so the
  // first frame in the file is the first pinned (with more, which of two disagreeing frames is reported may vary).
  private CliRun convertFromPipe(String text, Path out, String... options) throws Exception {
    Path fifo = dir.resolve("pipe.xyz");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
    org.junit.jupiter.api.Assumptions.assumeTrue(mk.waitFor() == 0, "mkfifo is needed for a named pipe input");
    var feeder = Thread.ofVirtual().start(() -> {
      try {
        Files.writeString(fifo, text);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    var args = new java.util.ArrayList<String>(java.util.List.of("convert", "--jobs", "1"));
    args.addAll(java.util.List.of(options));
    args.add(fifo.toString());
    args.add(out.toString());
    var r = CliRun.of(args.toArray(String[]::new));
    feeder.join();
    return r;
  }

  @Test
  void aseDatabaseRowsKeepTheirKeyValuePairs() throws Exception {
    Path db = Path.of(System.getProperty("atomstore.shared", "../shared")).resolve("testdata/generated/db/g2_molecules.db");
    Path out = dir.resolve("g2.atp");
    var r = CliRun.of("convert", db.toString(), out.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    try (var reader = AtpReader.open(out)) {
      assertThat(reader.get(0).name()).isEqualTo("H2O");
      assertThat(reader.get(0).properties()).containsKeys("g2_index", "n_atoms_heavy", "data.inertia", "data.description");
    }
  }

  @Test
  void demoSampleHasNameOnlyAsTheBuiltin() throws Exception {
    // the G2 fluorine atom has name=F, which ASE reads as the bool False
    Path sample = Path.of("src/main/resources/samples/sample.extxyz");
    Path out = dir.resolve("sample.atp");
    var r = CliRun.of("convert", sample.toString(), out.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    try (var reader = AtpReader.open(out)) {
      boolean fluorine = false;
      for (long i = 0; i < reader.size(); i++) {
        var m = reader.get(i);
        assertThat(m.properties()).as("structure %d", i).doesNotContainKey("name");
        fluorine |= "F".equals(m.name());
      }
      assertThat(fluorine).isTrue();
    }
  }
}
