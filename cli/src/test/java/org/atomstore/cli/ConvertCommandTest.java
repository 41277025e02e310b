package org.atomstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.atomstore.io.ase.AseAtoms;
import org.atomstore.io.extxyz.ExtxyzReader;
import org.atomstore.store.AtpReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConvertCommandTest {

  @TempDir Path dir;

  static final Path GEN = Path.of(System.getProperty("atomstore.shared", "../shared")).resolve("testdata/generated");

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    var cl = Main.newCommandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void convertsExtxyzToAtpAndExportsBackExactly() throws Exception {
    Path src = GEN.resolve("extxyz/calc_results.xyz");
    Path atp = dir.resolve("c.atp");
    var r = run("convert", src.toString(), atp.toString(), "--compression", "zstd:3");
    assertThat(r.code()).as(r.err()).isZero();
    try (var reader = AtpReader.open(atp)) {
      assertThat(reader.size()).isEqualTo(9);
    }
    Path back = dir.resolve("back.extxyz");
    assertThat(run("export", atp.toString(), back.toString()).code()).isZero();
    var a = ExtxyzReader.readAll(src);
    var b = ExtxyzReader.readAll(back);
    for (int i = 0; i < a.size(); i++) {
      AseAtoms x = a.get(i), y = b.get(i);
      assertThat(y.positions()).containsExactly(x.positions());
      assertThat(y.cell()).containsExactly(x.cell());
      assertThat(y.results().get("forces")).isEqualTo(x.results().get("forces"));
    }
    try (var s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactlyInAnyOrder("c.atp", "back.extxyz");
    }
  }

  @Test
  void convertsDatabaseIntoDirectory() throws Exception {
    var r = run("convert", GEN.resolve("db/g2_molecules.db").toString(), dir.resolve("out") + "/");
    assertThat(r.code()).as(r.err()).isZero();
    try (var reader = AtpReader.open(dir.resolve("out/g2_molecules.atp"))) {
      assertThat(reader.size()).isEqualTo(32);
    }
  }

  @Test
  void skipModeReportsBadFramesWithFileAndLine() throws Exception {
    Path bad = dir.resolve("bad.xyz");
    Files.writeString(bad, "1\n\nH 0 0 0\n1\n\nH 0 zz 0\n1\n\nO 0 0 0\n");
    var stop = run("convert", bad.toString(), dir.resolve("s.atp").toString());
    assertThat(stop.code()).isEqualTo(ExitCodes.CORRUPT_INPUT);
    assertThat(stop.err()).contains("bad.xyz:6:");
    assertThat(dir.resolve("s.atp")).doesNotExist();
    var skip = run("convert", bad.toString(), dir.resolve("k.atp").toString(), "--on-error", "skip", "--jobs", "1");
    assertThat(skip.code()).as(skip.err()).isZero();
    assertThat(skip.err()).contains("skipped frame at " + bad + ":6: could not convert string to float: 'zz'");
    try (var reader = AtpReader.open(dir.resolve("k.atp"))) {
      assertThat(reader.size()).isEqualTo(2);
    }
  }

  @Test
  void dumpPrintsAseLayoutAndRefusesWhatAseRefuses() {
    var ok = run("dump", GEN.resolve("handwritten/hw_z_column.xyz").toString());
    assertThat(ok.code()).isZero();
    assertThat(ok.out()).contains("\"nframes\"").contains("\"frames\"");
    var bad = run("dump", GEN.resolve("errors/err_truncated_frame.xyz").toString());
    assertThat(bad.code()).isEqualTo(ExitCodes.CORRUPT_INPUT);
    assertThat(bad.err()).contains("err_truncated_frame.xyz:").contains("Frame has 2 atoms, expected 3");
    // `dump x > out.json` must not record a document saying "no error, 0 frames"
    assertThat(bad.out()).isEmpty();
  }

  @Test
  void plainOutputNamesPathSizeAndTimeAndJsonIsOneDocument() throws Exception {
    Path src = GEN.resolve("extxyz/calc_results.xyz");
    Path atp = dir.resolve("c.atp");
    var plain = run("convert", src.toString(), atp.toString());
    assertThat(plain.code()).as(plain.err()).isZero();
    assertThat(plain.out()).matches("converted 9 structures to " + java.util.regex.Pattern.quote(atp.toString())
        + " \\(([0-9,]+ bytes|[0-9.]+ KiB), none\\) in [0-9.]+ s, [0-9,]+ structures/s\\n");
    var json = run("convert", src.toString(), atp.toString(), "--json");
    assertThat(json.code()).as(json.err()).isZero();
    var doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
    assertThat(doc.get("command").asText()).isEqualTo("convert");
    assertThat(doc.get("inputs").get(0).asText()).isEqualTo(src.toString());
    assertThat(doc.get("output").asText()).isEqualTo(atp.toString());
    assertThat(doc.get("molecules").asLong()).isEqualTo(9);
    assertThat(doc.get("bytes").asLong()).isEqualTo(Files.size(atp));
    assertThat(doc.get("outputs").get(0).get("path").asText()).isEqualTo(atp.toString());
    assertThat(doc.get("seconds").isNumber()).isTrue();
    assertThat(doc.get("molecules_per_second").isNumber()).isTrue();
    assertThat(doc.get("compression").asText()).isEqualTo("none");
  }

  @Test
  void dumpOfACorruptAtpPrintsNothingOnStdout() throws Exception {
    Path junk = Files.writeString(dir.resolve("junk.atp"), "this is not an atompack file at all");
    var r = run("dump", junk.toString());
    assertThat(r.code()).isEqualTo(ExitCodes.CORRUPT_INPUT);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("junk.atp").contains("bad magic");
  }

  @Test
  void withJsonAFailureIsStillOneDocumentOnStdout() throws Exception {
    Path bad = dir.resolve("bad.xyz");
    Files.writeString(bad, "1\n\nH 0 0 0\n1\n\nH 0 zz 0\n");
    var r = run("convert", bad.toString(), dir.resolve("s.atp").toString(), "--json");
    assertThat(r.code()).isEqualTo(ExitCodes.CORRUPT_INPUT);
    assertThat(r.err()).contains("atomstore convert: ").contains("bad.xyz:6:");
    var doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
    assertThat(doc.get("ok").asBoolean(true)).isFalse();
    assertThat(doc.get("exit_code").asInt()).isEqualTo(ExitCodes.CORRUPT_INPUT);
    assertThat(doc.get("error").asText()).contains("bad.xyz:6:");
    var usage = run("convert", bad.toString(), dir.resolve("s.xyz").toString(), "--json");
    assertThat(usage.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(usage.out()).get("exit_code").asInt())
        .isEqualTo(ExitCodes.USAGE);
    assertThat(dir.resolve("s.atp")).doesNotExist();
  }
}
