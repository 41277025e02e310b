package org.atomstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.atomstore.codec.Compression;
import org.atomstore.store.AtpReader;
import org.atomstore.store.AtpWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Options out of range are refused with a reason and exit 2, before anything is written. */
class OptionValidationTest {
  @TempDir Path tmp;
  Path xyz;
  Path atp;

  @BeforeEach
  void inputs() throws Exception {
    xyz = Files.writeString(tmp.resolve("a.xyz"), "1\n\nH 0 0 0\n2\n\nO 0 0 0\nH 0 0 1\n");
    atp = tmp.resolve("in.atp");
    try (var w = AtpWriter.create(atp, Compression.NONE)) {
      for (long i = 0; i < 5; i++) w.add(DatasetCliTest.molecule(i));
    }
  }

  @ParameterizedTest(name = "--compression {0}")
  @ValueSource(strings = {"zstd:99", "zstd:23", "zstd:-7", "zstd:0", "zstd:x", "gzip"})
  void compressionOutsideZstdsRangeIsRefusedByEveryWriter(String spec) {
    Path out = tmp.resolve("o.atp");
    List<List<String>> commands = List.of(
        List.of("convert", xyz.toString(), out.toString()),
        List.of("shard", atp.toString(), tmp.resolve("ds").toString()),
        List.of("merge", atp.toString(), out.toString()),
        List.of("demo", "--out", tmp.resolve("demo").toString()),
        List.of("bench", "--path", out.toString(), "--num-molecules", "10"));
    for (List<String> c : commands) {
      String[] args = java.util.stream.Stream.concat(c.stream(), java.util.stream.Stream.of("--compression", spec))
          .toArray(String[]::new);
      CliRun run = CliRun.of(args);
      assertThat(run.exitCode()).as("%s: %s", c, run.err()).isEqualTo(ExitCodes.USAGE);
      assertThat(run.out()).isEmpty();
      assertThat(run.err()).contains("'" + spec + "'").contains("--help");
    }
    assertThat(out).doesNotExist();
    assertThat(tmp.resolve("ds")).doesNotExist();
    assertThat(tmp.resolve("demo")).doesNotExist();
  }

  @Test
  void zstdLevelsOneToTwentyTwoAreAccepted() throws Exception {
    for (int level : new int[] {1, 22}) {
      Path out = tmp.resolve("z" + level + ".atp");
      CliRun run = CliRun.of("convert", xyz.toString(), out.toString(), "--compression", "zstd:" + level);
      assertThat(run.exitCode()).as(run.err()).isZero();
      try (var r = AtpReader.open(out)) {
        assertThat(r.compression()).isEqualTo(Compression.zstd(level));
      }
    }
  }

  @Test
  void iterateRefusesAnUnknownFieldAndZeroThreads() {
    CliRun fields = CliRun.of("iterate", atp.toString(), "--batch-size", "2", "--fields", "positions,nonsense");
    assertThat(fields.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(fields.out()).isEmpty();
    assertThat(fields.err()).contains("--fields: 'nonsense' is not a field of " + atp).contains("energy");
    CliRun threads = CliRun.of("iterate", atp.toString(), "--batch-size", "2", "--threads", "0");
    assertThat(threads.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(threads.out()).isEmpty();
    assertThat(threads.err()).contains("--threads must be at least 1, not 0");
    CliRun ok = CliRun.of("iterate", atp.toString(), "--batch-size", "2", "--fields", "positions,energy,forces");
    assertThat(ok.exitCode()).as(ok.err()).isZero();
  }

  @Test
  void convertRefusesAnOutputThatIsNeitherAtpNorADirectory() throws Exception {
    CliRun run = CliRun.of("convert", xyz.toString(), tmp.resolve("o5.xyz").toString());
    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("'" + tmp.resolve("o5.xyz") + "' is neither a file ending in .atp nor an existing directory");
    assertThat(tmp.resolve("o5.xyz")).doesNotExist();
    // a trailing slash asks for a directory, which is created
    CliRun dir = CliRun.of("convert", xyz.toString(), tmp.resolve("new") + "/");
    assertThat(dir.exitCode()).as(dir.err()).isZero();
    assertThat(tmp.resolve("new/a.atp")).isRegularFile();
    // an existing directory of any name is an output directory
    Path existing = Files.createDirectory(tmp.resolve("o6.xyz"));
    assertThat(CliRun.of("convert", xyz.toString(), existing.toString()).exitCode()).isZero();
    assertThat(existing.resolve("a.atp")).isRegularFile();
  }

  @Test
  void convertRefusesZeroJobs() {
    CliRun run = CliRun.of("convert", xyz.toString(), tmp.resolve("j.atp").toString(), "--jobs", "0");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("--jobs must be at least 1");
    assertThat(tmp.resolve("j.atp")).doesNotExist();
  }
}
