package org.atomstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExitCodeTest {
  @TempDir Path tmp;

  static Path golden(String name) {
    return Path.of(System.getProperty("atomstore.shared", "../shared")).resolve("compat/atompack-0.4.0").resolve(name);
  }

  @Test
  void usageErrorsCorruptInputAndMissingFilesGetDistinctCodes() throws IOException {
    assertThat(CliRun.of("dump").exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(CliRun.of("info", "--no-such-flag", "x").exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(CliRun.of("info", golden("state_corrupt_both_slots_unreadable__none.atp").toString()).exitCode())
        .isEqualTo(ExitCodes.CORRUPT_INPUT);
    CliRun missing = CliRun.of("info", tmp.resolve("missing.atp").toString());
    assertThat(missing.exitCode()).isEqualTo(ExitCodes.IO_ERROR);
    assertThat(missing.err()).contains("missing.atp");
    Path junk = tmp.resolve("junk.atp");
    Files.writeString(junk, "this is not an atompack file at all");
    CliRun bad = CliRun.of("verify", junk.toString());
    assertThat(bad.exitCode()).isEqualTo(ExitCodes.CORRUPT_INPUT);
    assertThat(bad.err()).contains("junk.atp").contains("bad magic");
  }

  @Test
  void verifyReportsTheFirstProblemOfADamagedRecord() throws IOException {
    Path copy = tmp.resolve("damaged.atp");
    Files.copy(golden("variable_atom_counts_1_to_300__none.atp"), copy);
    byte[] b = Files.readAllBytes(copy);
    // first record starts at 8192 with its atom count (1): claim 70000 atoms instead
    b[8192 + 2] = 1;
    Files.write(copy, b);
    CliRun run = CliRun.of("verify", copy.toString());
    assertThat(run.exitCode()).isEqualTo(ExitCodes.CHECK_FAILED);
    assertThat(run.err()).contains("FAILED").contains("record 0").contains("truncated at positions");
    assertThat(CliRun.of("verify", golden("variable_atom_counts_1_to_300__lz4.atp").toString()).exitCode()).isZero();
  }

  @Test
  void infoPrintsCountsCompressionAndSchema() {
    CliRun run = CliRun.of("info", golden("builtins_all_f64_v3__zstd3.atp").toString());
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("molecules:     4").contains("zstd:3").contains("record format: 3 (positions float64)")
        .contains("forces").contains("stress");
    CliRun json = CliRun.of("info", "--json", golden("builtins_all_f64_v3__zstd3.atp").toString());
    assertThat(json.out()).contains("\"num_molecules\" : 4").contains("\"record_format\" : 3");
  }
}
