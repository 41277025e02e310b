package org.atomstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;

/** {@code --help}, {@code --version} and the bare command, as a newcomer meets them. */
class UsageTest {

  static Stream<String> commands() {
    return Main.newCommandLine().getSubcommands().keySet().stream().filter(c -> !c.equals("help"));
  }

  @ParameterizedTest(name = "{0} --help")
  @MethodSource("commands")
  void everyCommandAnswersHelpWithItsUsageOnStdout(String command) {
    for (String flag : List.of("--help", "-h")) {
      CliRun run = CliRun.of(command, flag);
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(run.err()).isEmpty();
      assertThat(run.out()).startsWith("Usage: atomstore " + command + " ").contains("Options:").contains("--help");
    }
    // `atomstore help COMMAND` says the same
    assertThat(CliRun.of("help", command).out()).isEqualTo(CliRun.of(command, "--help").out());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("commands")
  void usageNamesEachArgumentOnceDescribesItAndNeverSplitsAWord(String command) {
    CommandLine cl = Main.newCommandLine().getSubcommands().get(command);
    String usage = CliRun.of(command, "--help").out();
    String synopsis = usage.lines().findFirst().orElseThrow();
    for (var p : cl.getCommandSpec().positionalParameters()) {
      assertThat(p.description()).as("description of %s", p.paramLabel()).isNotEmpty();
      assertThat(String.join(" ", p.description())).isNotBlank();
      // IN... OUT once, not "IN... OUT IN... OUT..."
      assertThat(synopsis.split(java.util.regex.Pattern.quote(p.paramLabel()), -1)).hasSize(2);
      assertThat(usage).contains("  " + p.paramLabel() + " ");
    }
    assertThat(usage.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(80));
    // option values are named (SPEC, N, DIR), not picocli's field names (<maxShardBytes>)
    assertThat(usage).doesNotContain("=<");
    // every word of every text appears whole in the rendered usage: nothing broken at '.', '-', ':' or '/'
    Set<String> rendered = words(usage);
    for (String text : texts(cl)) {
      for (String word : text.replace("%n", " ").split("\\s+")) {
        if (!word.isEmpty()) assertThat(rendered).as("word of %s --help", command).contains(word);
      }
    }
  }

  private static Set<String> words(String s) {
    return Arrays.stream(s.split("\\s+")).collect(Collectors.toSet());
  }

  private static List<String> texts(CommandLine cl) {
    var spec = cl.getCommandSpec();
    Stream<String> args = spec.args().stream().filter(a -> !a.hidden()).map(ArgSpec::description).flatMap(Arrays::stream);
    return Stream.concat(Arrays.stream(spec.usageMessage().description()), args)
        .filter(t -> !t.contains("${")).toList();
  }

  @Test
  void noArgumentsPrintsTheUsageOnStderrAndExits2() {
    CliRun run = CliRun.of();
    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).startsWith("Usage: atomstore ").contains("Commands:").contains("convert").contains("verify");
  }

  @Test
  void aMissingArgumentSaysWhatIsMissingAndWhereTheHelpIs() {
    CliRun run = CliRun.of("convert");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("IN... OUT").contains("Run 'atomstore convert --help' for usage.");
  }

  @Test
  void versionPrintsTheVersionAndTheCommit() {
    CliRun run = CliRun.of("--version");
    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();
    // the test classpath holds the resource as Maven filtered it: a version and a 12-digit commit (or "unknown"
    // where the build ran outside a git checkout)
    assertThat(run.out().lines().findFirst().orElseThrow())
        .matches("atomstore \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(commit ([0-9a-f]{12}|unknown)\\)");
    assertThat(CliRun.of("convert", "--version").out()).isEqualTo(run.out());
  }

  @Test
  void wrapBreaksOnlyAtSpaces() {
    assertThat(Usage.wrap("to Atompack .atp and shard-00000000.atp, zstd:LEVEL io/README.md", 16))
        .containsExactly("to Atompack .atp", "and", "shard-00000000.atp,", "zstd:LEVEL", "io/README.md");
  }
}
