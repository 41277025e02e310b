package org.atomstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.atomstore.io.asedb.AseDbException;
import org.atomstore.io.extxyz.ExtxyzFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorruptInputExitCodeTest {
  @TempDir Path tmp;

  private Path badXyz() throws IOException {
    Path p = tmp.resolve("bad.xyz");
    Files.writeString(p, "2\nProperties=species:S:1:pos:R:3\nH 0 0 0\nH 0 0 x1\n");
    return p;
  }

  private Path junkDb() throws IOException {
    Path p = tmp.resolve("junk.db");
    Files.writeString(p, "not a database");
    return p;
  }

  @Test
  void badExtxyzGivesCorruptInputNamingFileLineAndColumnInEveryCommand() throws IOException {
    String bad = badXyz().toString();
    for (String[] args : new String[][] {
        {"convert", bad, tmp.resolve("out.atp").toString()},
        {"convert", bad, tmp.resolve("outdir") + "/"},
        {"convert", "--jobs", "1", bad, tmp.resolve("out1.atp").toString()},
        {"dump", bad}}) {
      CliRun run = CliRun.of(args);
      assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(ExitCodes.CORRUPT_INPUT);
      assertThat(run.err()).as(String.join(" ", args)).contains("bad.xyz:4:7:").contains("'x1'");
    }
    assertThat(tmp.resolve("out.atp")).doesNotExist();
  }

  @Test
  void junkAseDatabaseGivesCorruptInput() throws IOException {
    String junk = junkDb().toString();
    for (String[] args : new String[][] {{"convert", junk, tmp.resolve("db.atp").toString()}, {"dump", junk}}) {
      CliRun run = CliRun.of(args);
      assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(ExitCodes.CORRUPT_INPUT);
      assertThat(run.err()).contains("junk.db").contains("not an SQLite database");
    }
  }

  @Test
  void formatExceptionsMapToCorruptInputEvenWhenWrapped() {
    var xyz = new ExtxyzFormatException(Path.of("a.xyz"), 3, 5, "ValueError", "bad");
    assertThat(ExitCodes.forException(xyz)).isEqualTo(ExitCodes.CORRUPT_INPUT);
    assertThat(ExitCodes.forException(new UncheckedIOException(xyz))).isEqualTo(ExitCodes.CORRUPT_INPUT);
    assertThat(ExitCodes.forException(new AseDbException(Path.of("a.db"), 7, "bad row"))).isEqualTo(ExitCodes.CORRUPT_INPUT);
  }
}
