package org.atomstore.djl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.atomstore.store.AtpReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingTest {
  @TempDir static Path dir;
  static Path file;

  @BeforeAll
  static void write() throws IOException {
    file = dir.resolve("lj.atp");
    LjClusters.write(file, 1500, 5);
  }

  private static Training.Options options(int epochs, Path checkpoint) {
    return new Training.Options(epochs, 32, 3, 2, 0.1, 32, 5.0, 6, 5e-3f, checkpoint);
  }

  @Test
  void validationLossFallsOnDataWithALearnableAnswer() throws IOException {
    try (AtpReader r = AtpReader.open(file)) {
      List<Training.EpochReport> reports = Training.run(r, options(4, null), e -> {});
      assertThat(reports).hasSize(4);
      assertThat(reports.get(3).validationLoss()).isLessThan(reports.get(0).validationLoss() * 0.7);
      assertThat(reports.get(3).trainLoss()).isLessThan(reports.get(0).trainLoss());
      for (Training.EpochReport e : reports) {
        assertThat(e.structures()).isEqualTo(1350);
        assertThat(e.waitFraction()).isBetween(0.0, 1.0);
      }
    }
  }

  @Test
  void aCheckpointResumesAtTheNextEpoch() throws IOException {
    Path checkpoint = dir.resolve("ckpt");
    try (AtpReader r = AtpReader.open(file)) {
      List<Training.EpochReport> first = Training.run(r, options(2, checkpoint), e -> {});
      assertThat(first).extracting(Training.EpochReport::epoch).containsExactly(0L, 1L);
      assertThat(Files.list(checkpoint).map(p -> p.getFileName().toString()).toList())
          .contains("loader-state.json").anyMatch(n -> n.endsWith(".params"));
      List<Training.EpochReport> second = new ArrayList<>();
      Training.run(r, options(3, checkpoint), second::add);
      // only the missing epoch runs, starting from the saved parameters: no worse than where the first run ended
      assertThat(second).extracting(Training.EpochReport::epoch).containsExactly(2L);
      assertThat(second.get(0).validationLoss()).isLessThan(first.get(0).validationLoss());
    }
  }
}
