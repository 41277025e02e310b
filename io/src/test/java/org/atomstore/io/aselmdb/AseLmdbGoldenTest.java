package org.atomstore.io.aselmdb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.atomstore.io.AseDump;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link AseDump} on every shared {@code .aselmdb} (written by fairchem's own LMDBDatabase) gives exactly the JSON
 * of its {@code FILE.aselmdb.expected.json} (fairchem's reading through ASE 3.22), once the golden file's
 * provenance fields (who made it, with what) are set aside; nothing more, nothing less.
 */
class AseLmdbGoldenTest {

  static final Path DIR = Path.of(System.getProperty("atomstore.shared", "../shared")).resolve("compat/aselmdb");
  static final ObjectMapper JSON = new ObjectMapper();
  /** The golden files' provenance: how the peer was run, not what it read. */
  static final Set<String> PROVENANCE = Set.of("produced_by", "read_call", "category", "description", "origin");

  static List<Path> goldens() throws IOException {
    try (Stream<Path> s = Files.list(DIR)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".aselmdb.expected.json")).sorted().toList();
    }
  }

  @TestFactory
  Stream<DynamicTest> dumpEqualsFairchemReadingOfEveryGolden() throws IOException {
    List<Path> files = goldens();
    assertThat(files).hasSizeGreaterThanOrEqualTo(7);
    return files.stream().map(exp -> DynamicTest.dynamicTest(exp.getFileName().toString(), () -> {
      String name = exp.getFileName().toString();
      Path data = exp.resolveSibling(name.substring(0, name.length() - ".expected.json".length()));
      ObjectNode expected = (ObjectNode) JSON.readTree(exp.toFile());
      expected.remove(PROVENANCE);
      var out = new StringWriter();
      AseDump.write(data, out);
      JsonNode actual = JSON.readTree(out.toString());
      assertEqualJson("", expected, actual);
    }));
  }

  /** Equal as parsed JSON, with integers apart from floats and floats compared bit for bit (-0.0 too). */
  static void assertEqualJson(String path, JsonNode exp, JsonNode act) {
    assertThat(act).as("%s: missing", path).isNotNull();
    if (exp.isObject()) {
      assertThat(act.isObject()).as("%s is an object", path).isTrue();
      assertThat(ImmutableNames.of(act)).as("%s keys", path).containsExactlyInAnyOrderElementsOf(ImmutableNames.of(exp));
      exp.fields().forEachRemaining(e -> assertEqualJson(path + "." + e.getKey(), e.getValue(), act.get(e.getKey())));
    } else if (exp.isArray()) {
      assertThat(act.isArray()).as("%s is an array: %s", path, act).isTrue();
      assertThat(act.size()).as("%s length", path).isEqualTo(exp.size());
      for (int i = 0; i < exp.size(); i++) assertEqualJson(path + "[" + i + "]", exp.get(i), act.get(i));
    } else if (exp.isNumber()) {
      assertThat(act.isNumber()).as("%s is a number: %s", path, act).isTrue();
      assertThat(act.isIntegralNumber()).as("%s int or float: %s vs %s", path, exp, act).isEqualTo(exp.isIntegralNumber());
      if (exp.isIntegralNumber()) assertThat(act.bigIntegerValue()).as(path).isEqualTo(exp.bigIntegerValue());
      else assertThat(Double.doubleToRawLongBits(act.doubleValue())).as("%s: %s vs %s", path, exp, act)
          .isEqualTo(Double.doubleToRawLongBits(exp.doubleValue()));
    } else {
      assertThat(act).as(path).isEqualTo(exp);
    }
  }

  private static final class ImmutableNames {
    static List<String> of(JsonNode n) {
      var out = new java.util.ArrayList<String>();
      n.fieldNames().forEachRemaining(out::add);
      return out;
    }
  }
}
