package org.atomstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file cut short after its last commit: verify fails the check, the other commands refuse it as corrupt. */
class TruncatedFileTest {
  @TempDir Path tmp;

  @Test
  void verifyFailsAndOtherCommandsRefuseAFileCutAfterItsLastCommit() throws IOException {
    Path golden = Path.of(System.getProperty("atomstore.shared", "../shared"), "compat/atompack-0.4.0/variable_atom_counts_1_to_300__none.atp");
    byte[] b = Files.readAllBytes(golden);
    Path cut = tmp.resolve("cut.atp");
    Files.write(cut, Arrays.copyOf(b, b.length - 100)); // the index's tail is gone
    CliRun verify = CliRun.of("verify", cut.toString());
    assertThat(verify.exitCode()).isEqualTo(ExitCodes.CHECK_FAILED);
    assertThat(verify.out()).doesNotContain("OK");
    assertThat(verify.err()).contains("FAILED").contains("cut.atp").contains("committed data missing");
    CliRun json = CliRun.of("verify", cut.toString(), "--json");
    assertThat(json.exitCode()).isEqualTo(ExitCodes.CHECK_FAILED);
    assertThat(json.out()).contains("\"ok\"").contains("false").contains("committed data missing");
    for (String cmd : new String[] {"info", "dump"}) {
      CliRun run = CliRun.of(cmd, cut.toString());
      assertThat(run.exitCode()).as(cmd).isEqualTo(ExitCodes.CORRUPT_INPUT);
      assertThat(run.err()).as(cmd).contains("cut.atp").contains("committed data missing");
    }
    CliRun export = CliRun.of("convert", cut.toString(), tmp.resolve("out.atp").toString());
    assertThat(export.exitCode()).isNotZero();
    assertThat(tmp.resolve("out.atp")).doesNotExist();
  }
}
