package org.atomstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.atomstore.codec.Compression;
import org.atomstore.store.AtpWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every failure says why in words, naming what the user named, never an internal temporary file. */
class FailureMessageTest {
  @TempDir Path tmp;
  Path atp;

  @BeforeEach
  void input() throws Exception {
    atp = tmp.resolve("in.atp");
    try (var w = AtpWriter.create(atp, Compression.NONE)) {
      for (long i = 0; i < 5; i++) w.add(DatasetCliTest.molecule(i));
    }
  }

  @Test
  void infoOnAMissingFileSaysNoSuchFile() {
    CliRun run = CliRun.of("info", tmp.resolve("nonexistent.atp").toString());
    assertThat(run.exitCode()).isEqualTo(ExitCodes.IO_ERROR);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().strip())
        .isEqualTo("atomstore info: " + tmp.resolve("nonexistent.atp") + ": no such file or directory");
  }

  @Test
  void shardIntoAFileSaysItIsNotADirectory() throws Exception {
    Path ds1 = Files.createDirectory(tmp.resolve("ds1"));
    Path manifest = Files.writeString(ds1.resolve("manifest.json"), "{}");
    CliRun run = CliRun.of("shard", atp.toString(), manifest.toString());
    assertThat(run.exitCode()).isEqualTo(ExitCodes.IO_ERROR);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains(manifest.toString()).contains("exists and is not a directory");
    assertThat(Files.readString(manifest)).isEqualTo("{}");
    try (var files = Files.list(ds1)) {
      assertThat(files).containsExactly(manifest);
    }
  }

  @Test
  void shardOfAMissingInputSaysSoAndCreatesNothing() {
    CliRun run = CliRun.of("shard", tmp.resolve("nope.atp").toString(), tmp.resolve("ds").toString());
    assertThat(run.exitCode()).isEqualTo(ExitCodes.IO_ERROR);
    assertThat(run.err()).contains("nope.atp").contains("no such input file or directory");
    assertThat(tmp.resolve("ds")).doesNotExist();
  }

  @Test
  void exportCreatesParentDirectoriesAndGivesTheUsualMode() throws Exception {
    Path out = tmp.resolve("a/b/out.extxyz");
    CliRun run = CliRun.of("export", atp.toString(), out.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).startsWith("exported 5 structures to " + out + " (");
    assertThat(Files.readString(out)).startsWith("2\n");
    // the mode of any new file under this process' umask (0644 under umask 022), not createTempFile's 0600
    Path plain = Files.createFile(tmp.resolve("plain"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out)))
        .isEqualTo(PosixFilePermissions.toString(Files.getPosixFilePermissions(plain)))
        .isNotEqualTo("rw-------");
    try (var files = Files.list(out.getParent())) {
      assertThat(files).containsExactly(out);
    }
  }

  @Test
  void aFailedExportNamesTheUsersPathsOnly() throws Exception {
    Path blocker = Files.writeString(tmp.resolve("file"), "x");
    CliRun run = CliRun.of("export", atp.toString(), blocker.resolve("out.extxyz").toString());
    assertThat(run.exitCode()).isEqualTo(ExitCodes.IO_ERROR);
    assertThat(run.err().strip()).isEqualTo("atomstore export: " + blocker + ": exists and is not a directory");
    CliRun missing = CliRun.of("export", tmp.resolve("missing.atp").toString(), tmp.resolve("o.extxyz").toString());
    assertThat(missing.exitCode()).isEqualTo(ExitCodes.IO_ERROR);
    assertThat(missing.err().strip()).isEqualTo("atomstore export: " + tmp.resolve("missing.atp") + ": no such file or directory");
    assertThat(tmp.resolve("o.extxyz")).doesNotExist();
  }

  @Test
  void describeNamesTheFileSystemProblem() {
    assertThat(ExitCodes.describe(new java.nio.file.AccessDeniedException("/x"))).isEqualTo("/x: permission denied");
    assertThat(ExitCodes.describe(new java.nio.file.NotDirectoryException("/x"))).isEqualTo("/x: not a directory");
    assertThat(ExitCodes.describe(new java.nio.file.FileSystemException("/x", null, "No space left on device")))
        .isEqualTo("/x: No space left on device");
  }
}
