package org.atomstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
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
}
