package org.atomstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DumpCommandTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static Stream<Path> goldenFiles() throws IOException {
    Path dir = Path.of(System.getProperty("atomstore.shared", "../shared")).resolve("compat/atompack-0.4.0");
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".atp")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldenFiles")
  void dumpEqualsTheReferenceDump(Path atp) throws IOException {
    JsonNode golden = JSON.readTree(atp.resolveSibling(atp.getFileName() + ".json").toFile());
    CliRun run = CliRun.of("dump", atp.toString());
    if (golden.has("open_error")) {
      assertThat(run.exitCode()).isEqualTo(ExitCodes.CORRUPT_INPUT);
      assertThat(run.err().strip()).doesNotContain("\n").contains(atp.toString());
      assertThat(run.out()).isEmpty();
      return;
    }
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode dump = JSON.readTree(run.out());
    ObjectNode expected = golden.deepCopy();
    expected.remove("raw");
    expected.remove("reader");
    expected.remove("file");
    stripVariants(expected);
    assertThat(dump).isEqualTo(expected);
    // key order too: the text lists keys as the golden file does
    assertThat(fieldNames(dump)).isEqualTo(fieldNames(expected));
  }

  private static void stripVariants(JsonNode n) {
    if (n instanceof ObjectNode o) {
      o.remove("variant");
      o.forEach(DumpCommandTest::stripVariants);
    } else if (n instanceof ArrayNode a) {
      a.forEach(DumpCommandTest::stripVariants);
    }
  }

  private static String fieldNames(JsonNode n) {
    StringBuilder sb = new StringBuilder();
    if (n.isObject()) n.fields().forEachRemaining(e -> sb.append(e.getKey()).append('{').append(fieldNames(e.getValue())).append('}'));
    else if (n.isArray()) n.forEach(x -> sb.append('[').append(fieldNames(x)).append(']'));
    return sb.toString();
  }
}
