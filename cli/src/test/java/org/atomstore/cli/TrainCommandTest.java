package org.atomstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {
  @TempDir Path tmp;

  @Test
  void trainsOnTheBundledSampleAndReportsEachEpoch() throws Exception {
    assertThat(CliRun.of("demo", "--out", tmp.toString(), "--copies", "1", "--seconds", "0.1").exitCode()).isZero();
    CliRun run = CliRun.of("train", tmp.resolve("sample.atp").toString(), "--epochs", "2", "--hidden", "16", "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode root = new ObjectMapper().readTree(run.out());
    assertThat(root.get("epochs")).hasSize(2);
    for (JsonNode e : root.get("epochs")) {
      // 240 structures, 24 held out for validation
      assertThat(e.get("structures").asLong()).isEqualTo(216);
      assertThat(e.get("train_loss").isNumber()).isTrue();
      assertThat(e.get("validation_loss").asDouble()).isPositive();
      assertThat(e.get("wait_fraction").asDouble()).isBetween(0.0, 1.0);
    }
    assertThat(root.get("epochs").get(1).get("epoch").asLong()).isEqualTo(1);
  }

  @Test
  void badOptionsAreUsageErrors() {
    CliRun run = CliRun.of("train", tmp.resolve("missing.atp").toString(), "--validation", "1.5");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("validation fraction");
  }
}
