package org.atomstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.atomstore.store.AtpReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A frame ASE reads but .atp cannot hold (a key over 255 UTF-8 bytes) is a bad frame, not a usage error. */
class ConvertUnstorableFrameTest {
  @TempDir Path tmp;

  private Path input() throws IOException {
    String longKey = "k".repeat(300);
    Path in = tmp.resolve("in.xyz");
    Files.writeString(in, """
        1
        Properties=species:S:1:pos:R:3 ok=1
        H 0.0 0.0 0.0
        1
        Properties=species:S:1:pos:R:3 %s=2
        He 1.0 0.0 0.0
        1
        Properties=species:S:1:pos:R:3 ok=3
        Li 2.0 0.0 0.0
        """.formatted(longKey));
    return in;
  }

  @Test
  void stopsWithExitCode3NamingFileAndLine() throws IOException {
    Path in = input();
    CliRun run = CliRun.of("convert", in.toString(), tmp.resolve("out.atp").toString());
    assertThat(run.exitCode()).isEqualTo(ExitCodes.CORRUPT_INPUT);
    assertThat(run.err()).contains("in.xyz:4:").contains("255");
    assertThat(tmp.resolve("out.atp")).doesNotExist();
  }

  @Test
  void skipsTheFrameWhenAsked() throws IOException {
    Path in = input();
    Path out = tmp.resolve("out.atp");
    CliRun run = CliRun.of("convert", in.toString(), out.toString(), "--on-error", "skip");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).contains("skipped frame at").contains("in.xyz:4");
    try (AtpReader r = AtpReader.open(out)) {
      assertThat(r.size()).isEqualTo(2);
      assertThat(r.get(1).atomicNumber(0)).isEqualTo(3);
    }
  }
}
