package org.atomstore.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.atomstore.io.ase.AseAtoms;
import org.atomstore.io.ase.PyValue;
import org.atomstore.io.extxyz.ExtxyzFormatException;
import org.atomstore.io.extxyz.ExtxyzReader;
import org.atomstore.io.internal.Formulas;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs {@link AseDump} on every corpus file that has a {@code FILE.expected.json} (ASE 3.22's own parse) and
 * compares: frames/rows value for value, with ASE's types; summary-only files through per-frame lists, SHA-256
 * digests and the sampled frames; files ASE refuses must be refused.
 */
class AseDumpGoldenTest {

  static final Path CORPUS = Path.of(System.getProperty("atomstore.shared", "../shared")).resolve("testdata");
  static final ObjectMapper JSON = new ObjectMapper();

  static List<Path> expectedFiles() throws IOException {
    try (Stream<Path> s = Files.walk(CORPUS)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".expected.json")).sorted().toList();
    }
  }

  @TestFactory
  Stream<DynamicTest> everyCorpusFileReadsAsAseReadsIt() throws IOException {
    List<Path> files = expectedFiles();
    assertThat(files).hasSizeGreaterThan(40);
    return files.stream().map(exp -> DynamicTest.dynamicTest(CORPUS.relativize(exp).toString(), () -> check(exp)));
  }

  private static void check(Path expectedPath) throws Exception {
    JsonNode expected = JSON.readTree(expectedPath.toFile());
    String name = expectedPath.getFileName().toString();
    Path data = expectedPath.resolveSibling(name.substring(0, name.length() - ".expected.json".length()));
    assertThat(AseDump.handles(data)).as("handles %s", data).isTrue();
    if (!expected.path("error").isNull() && !expected.path("error").isMissingNode()) {
      var out = new StringWriter();
      try {
        AseDump.write(data, out);
        fail("ASE refuses %s (%s) but it was read", data, expected.get("error"));
      } catch (IOException e) {
        assertThat(e.getMessage()).contains(data.getFileName().toString());
        if (e instanceof ExtxyzFormatException x) {
          assertThat(x.aseError()).isEqualTo(expected.get("error").get("type").asText());
          assertThat(x.line()).isPositive();
        }
      }
      return;
    }
    if (expected.path("summary_only").asBoolean(false)) {
      checkSummary(data, expected);
      return;
    }
    var out = new StringWriter();
    AseDump.write(data, out);
    JsonNode actual = JSON.readTree(out.toString());
    if (expected.get("format").asText().equals("ase-db-sqlite")) {
      assertThat(actual.get("nrows").asInt()).isEqualTo(expected.get("nrows").asInt());
      compare("metadata", expected.get("metadata"), actual.get("metadata"));
      for (int i = 0; i < expected.get("rows").size(); i++) {
        compare("rows[" + i + "]", expected.get("rows").get(i), actual.get("rows").get(i));
      }
    } else {
      assertThat(actual.get("nframes").asInt()).isEqualTo(expected.get("nframes").asInt());
      for (int i = 0; i < expected.get("frames").size(); i++) {
        compare("frames[" + i + "]", expected.get("frames").get(i), actual.get("frames").get(i));
      }
    }
  }

  static void compare(String path, JsonNode exp, JsonNode act) {
    if (act == null) fail("%s: missing, expected %s", path, exp);
    if (exp.isObject()) {
      assertThat(act.isObject()).as("%s is an object: %s", path, act).isTrue();
      var expNames = new ArrayList<String>();
      exp.fieldNames().forEachRemaining(expNames::add);
      var actNames = new ArrayList<String>();
      act.fieldNames().forEachRemaining(actNames::add);
      assertThat(actNames).as("%s keys", path).containsExactlyInAnyOrderElementsOf(expNames);
      for (Iterator<Map.Entry<String, JsonNode>> it = exp.fields(); it.hasNext(); ) {
        var e = it.next();
        compare(path + "." + e.getKey(), e.getValue(), act.get(e.getKey()));
      }
    } else if (exp.isArray()) {
      assertThat(act.isArray()).as("%s is an array: %s", path, act).isTrue();
      assertThat(act.size()).as("%s length", path).isEqualTo(exp.size());
      for (int i = 0; i < exp.size(); i++) compare(path + "[" + i + "]", exp.get(i), act.get(i));
    } else if (exp.isNumber()) {
      assertThat(act.isNumber()).as("%s is a number: %s", path, act).isTrue();
      assertThat(act.isIntegralNumber()).as("%s integral-ness (%s vs %s)", path, exp, act).isEqualTo(exp.isIntegralNumber());
      if (exp.isIntegralNumber()) assertThat(act.bigIntegerValue()).as(path).isEqualTo(exp.bigIntegerValue());
      else assertThat(Double.doubleToRawLongBits(act.doubleValue())).as("%s: %s vs %s", path, exp, act)
          .isEqualTo(Double.doubleToRawLongBits(exp.doubleValue()));
    } else {
      assertThat(act).as(path).isEqualTo(exp);
    }
  }

  private static void checkSummary(Path data, JsonNode expected) throws Exception {
    var frames = new ArrayList<AseAtoms>();
    try (var r = ExtxyzReader.open(data)) {
      for (AseAtoms a = r.read(); a != null; a = r.read()) frames.add(a);
    }
    assertThat(frames).hasSize(expected.get("nframes").asInt());
    JsonNode per = expected.get("per_frame");
    var numbers = MessageDigest.getInstance("SHA-256");
    var positions = MessageDigest.getInstance("SHA-256");
    var cells = MessageDigest.getInstance("SHA-256");
    var forces = MessageDigest.getInstance("SHA-256");
    long total = 0;
    for (int i = 0; i < frames.size(); i++) {
      AseAtoms a = frames.get(i);
      total += a.natoms();
      assertThat(a.natoms()).as("natoms of frame %d", i).isEqualTo(per.get("natoms").get(i).asInt());
      assertThat(Formulas.hill(a.numbers())).as("formula of frame %d", i).isEqualTo(per.get("formula").get(i).asText());
      String pbc = (a.pbc()[0] ? "T" : "F") + (a.pbc()[1] ? "T" : "F") + (a.pbc()[2] ? "T" : "F");
      assertThat(pbc).as("pbc of frame %d", i).isEqualTo(per.get("pbc").get(i).asText());
      PyValue e = a.results().get("energy");
      JsonNode ee = per.get("energy").get(i);
      if (ee.isNull()) assertThat(e).isNull();
      else assertThat(((PyValue.PyFloat) e).value()).as("energy of frame %d", i).isEqualTo(ee.asDouble());
      assertThat(a.results().containsKey("forces")).isEqualTo(per.get("has_forces").get(i).asBoolean());
      assertThat(a.results().containsKey("stress")).isEqualTo(per.get("has_stress").get(i).asBoolean());
      var nb = ByteBuffer.allocate(8 * a.natoms()).order(ByteOrder.LITTLE_ENDIAN);
      for (long z : a.numbers()) nb.putLong(z);
      numbers.update(nb.array());
      positions.update(le(a.positions()));
      cells.update(le(a.cell()));
      if (a.results().get("forces") instanceof PyValue.NdArray f) forces.update(le(f.doubles()));
    }
    assertThat(total).isEqualTo(expected.get("total_atoms").asLong());
    JsonNode d = expected.get("digests");
    var hex = HexFormat.of();
    assertThat(hex.formatHex(numbers.digest())).isEqualTo(d.get("numbers_int64le").asText());
    assertThat(hex.formatHex(positions.digest())).isEqualTo(d.get("positions_float64le").asText());
    assertThat(hex.formatHex(cells.digest())).isEqualTo(d.get("cell_float64le").asText());
    assertThat(hex.formatHex(forces.digest())).isEqualTo(d.get("forces_float64le").asText());
    for (Iterator<Map.Entry<String, JsonNode>> it = expected.get("frames_sample").fields(); it.hasNext(); ) {
      var e = it.next();
      var out = new StringWriter();
      try (var g = AseDump.newGenerator(out)) {
        AseDump.writeFrame(g, frames.get(Integer.parseInt(e.getKey())));
      }
      compare("frames_sample." + e.getKey(), e.getValue(), JSON.readTree(out.toString()));
    }
  }

  private static byte[] le(double[] v) {
    var b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (double x : v) b.putDouble(x);
    return b.array();
  }
}
