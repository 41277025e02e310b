package org.atomstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.atomstore.codec.Compression;
import org.atomstore.store.AtpReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
  @TempDir Path tmp;

  @Test
  void measuresALargerCopyAfterAWarmUpAndSaysWhatWasMeasured() throws Exception {
    CliRun run = CliRun.of("demo", "--out", tmp.toString(), "--copies", "3", "--seconds", "0.2");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).contains("1. Converted the bundled sample (240 structures")
        .contains("JVM loading and compiling the parser")
        .contains("3. Wrote the sample 3 times to " + tmp.resolve("sample-x3.atp") + ": 720 structures")
        .contains("after one untimed warm-up epoch").contains("molecules/s")
        .contains("What was measured:").contains("page cache");
    try (var r = AtpReader.open(tmp.resolve("sample-x3.atp"))) {
      assertThat(r.size()).isEqualTo(720);
      assertThat(r.compression()).isEqualTo(Compression.NONE);
    }
    try (var r = AtpReader.open(tmp.resolve("sample.atp"))) {
      assertThat(r.get(5)).isEqualTo(AtpReader.open(tmp.resolve("sample-x3.atp")).get(245));
    }
  }

  @Test
  void withoutOutItCleansUpItsTemporaryDirectory() throws Exception {
    Path base = Path.of(System.getProperty("java.io.tmpdir"));
    long before;
    try (var s = Files.list(base)) {
      before = s.filter(p -> p.getFileName().toString().startsWith("atomstore-demo-")).count();
    }
    CliRun run = CliRun.of("demo", "--copies", "1", "--seconds", "0.1");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).doesNotContain("Next:");
    try (var s = Files.list(base)) {
      assertThat(s.filter(p -> p.getFileName().toString().startsWith("atomstore-demo-")).count()).isEqualTo(before);
    }
  }
}
