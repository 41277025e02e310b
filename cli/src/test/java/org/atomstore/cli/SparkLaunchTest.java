package org.atomstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** `atomstore spark ...` by the launcher's short path (only the spark command built): answers as the full tree does. */
class SparkLaunchTest {

  private static String out(Runnable r) {
    PrintStream saved = System.out;
    var bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      r.run();
    } finally {
      System.setOut(saved);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void helpAndVersionAndAMissingCommandAnswerAsTheFullCommandLine() {
    int[] code = new int[1];
    String help = out(() -> code[0] = Main.spark("--help"));
    assertThat(code[0]).isZero();
    assertThat(help).startsWith("Usage: atomstore spark").contains("spark convert IN... OUT_DIR");
    String version = out(() -> code[0] = Main.spark("--version"));
    assertThat(code[0]).isZero();
    assertThat(version).isEqualTo(out(() -> Main.run("--version")));
    assertThat(Main.spark()).isEqualTo(Main.run("spark")).isEqualTo(ExitCodes.USAGE);
  }
}
