package org.atomstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.atomstore.model.Molecule;
import org.atomstore.model.Value;
import org.atomstore.store.AtpReader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code atomstore dump FILE.aselmdb} prints fairchem's reading of every shared {@code .aselmdb} golden, and
 * {@code atomstore convert FILE.aselmdb OUT.atp} writes the structures that reading holds (row.toatoms() and the
 * key_value_pairs), read back from the {@code .atp}.
 */
class AseLmdbCliTest {

  static final Path DIR = Path.of(System.getProperty("atomstore.shared", "../shared")).resolve("compat/aselmdb");
  static final ObjectMapper JSON = new ObjectMapper();
  static final Set<String> PROVENANCE = Set.of("produced_by", "read_call", "category", "description", "origin");
  @TempDir Path tmp;

  static List<Path> goldens() throws IOException {
    try (Stream<Path> s = Files.list(DIR)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".aselmdb")).sorted().toList();
    }
  }

  static JsonNode expected(Path file) throws IOException {
    ObjectNode e = (ObjectNode) JSON.readTree(file.resolveSibling(file.getFileName() + ".expected.json").toFile());
    e.remove(PROVENANCE);
    return e;
  }

  @TestFactory
  Stream<DynamicTest> dumpPrintsTheGoldenJson() throws IOException {
    assertThat(goldens()).hasSizeGreaterThanOrEqualTo(7);
    return goldens().stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
      CliRun r = CliRun.of("dump", f.toString());
      assertThat(r.exitCode()).as(r.err()).isZero();
      // JsonNode equality: same keys, same values, ints apart from floats (Jackson compares node types)
      assertThat(JSON.readTree(r.out())).isEqualTo(expected(f));
    }));
  }

  @TestFactory
  Stream<DynamicTest> convertWritesWhatFairchemReads() throws IOException {
    return goldens().stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
      Path out = tmp.resolve(f.getFileName() + ".atp");
      CliRun r = CliRun.of("convert", f.toString(), out.toString());
      assertThat(r.exitCode()).as(r.err()).isZero();
      JsonNode exp = expected(f);
      try (AtpReader atp = AtpReader.open(out)) {
        assertThat(atp.size()).isEqualTo(exp.get("nrows").asLong());
        for (int i = 0; i < atp.size(); i++) check(atp.get(i), exp.get("rows").get(i), f + " row " + i);
      }
    }));
  }

  private static void check(Molecule m, JsonNode row, String where) {
    JsonNode a = row.get("toatoms");
    assertThat(m.atomCount()).as(where).isEqualTo(a.get("natoms").asInt());
    for (int i = 0; i < m.atomCount(); i++) assertThat(m.atomicNumber(i)).as(where).isEqualTo(a.get("numbers").get(i).asInt());
    assertThat(m.positionsAsDouble()).as(where + " positions").isEqualTo(flat(a.get("positions")));
    JsonNode pbc = a.get("pbc");
    assertThat(m.pbc()).as(where).isEqualTo(new Value.Bool3(pbc.get(0).asBoolean(), pbc.get(1).asBoolean(), pbc.get(2).asBoolean()));
    double[] cell = flat(a.get("cell"));
    if (java.util.Arrays.stream(cell).anyMatch(x -> x != 0)) {
      assertThat(((Value.Mat3Float64) m.cell()).values()).as(where + " cell").isEqualTo(cell);
    } else {
      assertThat(m.cell()).as(where + " cell").isNull();
    }
    JsonNode results = a.get("calc").isNull() ? JSON.createObjectNode() : a.get("calc").get("results");
    if (results.has("energy")) assertThat(m.energyAsDouble()).as(where).isEqualTo(num(results.get("energy").get("value")));
    else assertThat(m.energy()).as(where).isNull();
    if (results.has("forces")) {
      assertThat(((Value.Vec3Float64) m.forces()).values()).as(where + " forces").isEqualTo(flat(results.get("forces").get("value")));
    } else {
      assertThat(m.forces()).as(where).isNull();
    }
    if (results.has("stress")) {
      double[] s = flat(results.get("stress").get("value"));
      double[] full = s.length == 9 ? s : new double[] {s[0], s[5], s[4], s[5], s[1], s[3], s[4], s[3], s[2]};
      assertThat(((Value.Mat3Float64) m.stress()).values()).as(where + " stress").isEqualTo(full);
    }
    Map<String, Value> props = m.properties();
    for (Iterator<Map.Entry<String, JsonNode>> it = row.get("key_value_pairs").fields(); it.hasNext(); ) {
      var e = it.next();
      JsonNode v = e.getValue().get("value");
      if (e.getKey().equals("name")) {
        assertThat(m.name()).as(where).isEqualTo(v.asText());
        continue;
      }
      Value p = props.get(e.getKey());
      switch (e.getValue().get("type").asText()) {
        case "int" -> assertThat(p).as(where + " " + e.getKey()).isEqualTo(new Value.Int64(v.asLong()));
        case "float" -> assertThat(p).as(where + " " + e.getKey()).isEqualTo(new Value.Float64(v.asDouble()));
        case "str" -> assertThat(p).as(where + " " + e.getKey()).isEqualTo(new Value.Text(v.asText()));
        case "bool" -> assertThat(p).as(where + " " + e.getKey()).isEqualTo(new Value.Int64(v.asBoolean() ? 1 : 0));
        default -> assertThat(p).as(where + " " + e.getKey()).isNotNull();
      }
    }
  }

  private static double num(JsonNode n) {
    return n.isTextual() ? Double.parseDouble(n.asText().replace("Infinity", "Infinity")) : n.asDouble();
  }

  private static double[] flat(JsonNode nested) {
    var out = new java.util.ArrayList<Double>();
    flatten(nested, out);
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static void flatten(JsonNode n, List<Double> out) {
    if (n.isArray()) n.forEach(x -> flatten(x, out));
    else out.add(num(n));
  }

  @Test
  void truncatedAselmdbExitsCorruptNamingTheFile() throws IOException {
    Path f = Files.copy(DIR.resolve("molecules.aselmdb"), tmp.resolve("cut.aselmdb"));
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
      ch.truncate(Files.size(f) / 2);
    }
    CliRun r = CliRun.of("convert", f.toString(), tmp.resolve("cut.atp").toString());
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.err()).contains("cut.aselmdb").contains("truncated");
    assertThat(tmp.resolve("cut.atp")).doesNotExist();
    CliRun d = CliRun.of("dump", f.toString());
    assertThat(d.exitCode()).isEqualTo(3);
    assertThat(d.out()).isEmpty();
  }
}
