package org.atomstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.atomstore.io.ase.AseAtoms;
import org.atomstore.io.extxyz.MappedExtxyzReader;
import org.junit.jupiter.api.Test;

class ProgressTest {
  @Test
  void aKnownTotalShowsPercentageElapsedAndTimeLeft() {
    List<String> frames = new ArrayList<>();
    try (Progress p = Progress.bytesRenderedTo("convert big.xyz", 8L << 20, frames::add)) {
      p.stepTo(2L << 20);
      p.refresh();
    }
    String quarter = frames.stream().filter(f -> f.contains(" 25%")).findFirst().orElseThrow();
    // "convert big.xyz  25% [===     ] 2/8 MiB (0:00:00 / 0:00:00) 0.0 MiB/s": elapsed / estimated time left
    assertThat(quarter).startsWith("convert big.xyz").contains("2/8 MiB").containsPattern("\\(\\d+:\\d\\d:\\d\\d / \\d+:\\d\\d:\\d\\d\\)")
        .contains("MiB/s");
  }

  @Test
  void aGzipInputShowsAPercentageOfItsCompressedSizeAndEndsAt100() throws Exception {
    // as convert feeds its bar: the file's size as the total, the reader's count of the file's bytes as progress
    Path gz = Path.of(System.getProperty("atomstore.shared", "../shared")).resolve("testdata/generated/extxyz/large_20k.xyz.gz");
    List<String> frames = new ArrayList<>();
    try (var r = MappedExtxyzReader.<AseAtoms>open(gz, 2, () -> a -> a);
        Progress p = Progress.bytesRenderedTo("convert large_20k.xyz.gz", Files.size(gz), frames::add)) {
      for (long n = 1; r.read() != null; n++) {
        if (n % 4096 == 0) {
          p.stepTo(r.sourceBytesRead());
          p.refresh();
        }
      }
      p.stepTo(r.sourceBytesRead());
      p.refresh();
    }
    assertThat(frames).as("a percentage on the way").anyMatch(f -> f.matches("(?s).*\\s([1-9]|[1-9]\\d)%.*"));
    assertThat(frames.getLast()).contains("100%").contains("7/7 MiB");
  }
}
