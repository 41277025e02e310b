package org.atomstore.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.atomstore.cli.json.AtpJson;
import org.atomstore.store.AtpReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Acceptance for issue 9: every file of the shared ASE corpus that ASE 3.22 reads converts with {@code atomstore
 * convert} (default options, {@code --float32}, zstd and lz4 compression) into a file of as many structures with as
 * many atoms; and, where the reference Atompack 0.4.0 is built ({@code ATP_GOLDEN}, see {@code ../shared/reference}),
 * the reference's dump of each output equals Atomstore's own ({@link AtpJson}, the golden layout): header, schema,
 * and every molecule's values, keys and types. Without {@code ATP_GOLDEN} that second part is skipped, saying so.
 */
class AseCorpusAcceptanceTest {

  static final Path CORPUS = Path.of(System.getProperty("atomstore.shared", "../shared")).resolve("testdata");
  static final ObjectMapper JSON = new ObjectMapper();
  static final List<List<String>> VARIANTS = List.of(List.of(), List.of("--float32"),
      List.of("--compression", "zstd:3"), List.of("--compression", "lz4"));
  static Path work;

  @AfterAll
  static void cleanUp() throws IOException {
    if (work == null) return;
    try (Stream<Path> s = Files.walk(work)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }

  /** The corpus files ASE reads, with ASE's expected parse. */
  static List<Path[]> readable() throws IOException {
    var out = new ArrayList<Path[]>();
    try (Stream<Path> s = Files.walk(CORPUS)) {
      for (Path exp : s.filter(p -> p.toString().endsWith(".expected.json")).sorted().toList()) {
        JsonNode e = JSON.readTree(exp.toFile());
        if (!e.path("error").isNull() && !e.path("error").isMissingNode()) continue;
        String name = exp.getFileName().toString();
        out.add(new Path[] {exp.resolveSibling(name.substring(0, name.length() - ".expected.json".length())), exp});
      }
    }
    return out;
  }

  @TestFactory
  Stream<DynamicNode> everyFileAseReadsConvertsAndTheReferenceReadsItAsAtomstoreDoes() throws IOException {
    work = Files.createTempDirectory("acceptance");
    List<Path[]> files = readable();
    assertThat(files).hasSizeGreaterThan(40);
    return files.stream().map(f -> DynamicContainer.dynamicContainer(CORPUS.relativize(f[0]).toString(),
        VARIANTS.stream().flatMap(v -> {
          Path out = work.resolve(CORPUS.relativize(f[0]).toString().replace('/', '_') + String.join("", v).replace(':', '_') + ".atp");
          return Stream.of(
              DynamicTest.dynamicTest("converts " + v, () -> convert(f[0], f[1], out, v)),
              DynamicTest.dynamicTest("reference reads it as Atomstore does " + v, () -> compareWithReference(f[0], f[1], out, v)));
        })));
  }

  static void convert(Path in, Path expectedJson, Path out, List<String> options) throws IOException {
    var args = new ArrayList<>(List.of("convert", in.toString(), out.toString()));
    args.addAll(options);
    var r = CliRun.of(args.toArray(String[]::new));
    assertThat(r.exitCode()).as("convert %s %s: %s", in, options, r.err()).isZero();
    JsonNode e = JSON.readTree(expectedJson.toFile());
    List<Integer> natoms = natoms(e);
    try (var reader = AtpReader.open(out)) {
      assertThat(reader.size()).as("structures").isEqualTo(natoms.size());
      for (int i = 0; i < natoms.size(); i++) {
        assertThat(reader.get(i).atomCount()).as("atoms of structure %d", i).isEqualTo(natoms.get(i));
      }
    }
  }

  private static List<Integer> natoms(JsonNode e) {
    var out = new ArrayList<Integer>();
    if (e.has("rows")) e.get("rows").forEach(r -> out.add(r.get("natoms").asInt()));
    else if (e.path("summary_only").asBoolean(false)) e.get("per_frame").get("natoms").forEach(n -> out.add(n.asInt()));
    else e.get("frames").forEach(f -> out.add(f.get("natoms").asInt()));
    return out;
  }

  static void compareWithReference(Path in, Path expectedJson, Path out, List<String> options) throws Exception {
    String golden = System.getenv("ATP_GOLDEN");
    Assumptions.assumeTrue(golden != null && !golden.isBlank(),
        "ATP_GOLDEN is not set: the reference Atompack 0.4.0 is not built here (../shared/reference), so this part is skipped");
    if (!Files.exists(out)) convert(in, expectedJson, out, options);
    Path refDump = out.resolveSibling(out.getFileName() + ".ref.json");
    Process p = new ProcessBuilder(golden, "dump", out.toString()).redirectOutput(refDump.toFile())
        .redirectError(ProcessBuilder.Redirect.PIPE).start();
    String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    JsonNode ref = JSON.readTree(refDump.toFile());
    JsonNode ours;
    try (var reader = AtpReader.open(out)) {
      var w = new StringWriter();
      AtpJson.write(reader, w, JSON);
      ours = JSON.readTree(w.toString());
    }
    String diff = firstDiff(strip(ref), strip(ours), "$", false);
    if (diff != null) {
      fail("reference reads %s (%s) differently from Atomstore: %s%s", in.getFileName(), options, diff,
          ref.has("read_error") ? "; reference: " + ref.get("read_error") : stderr.isBlank() ? "" : "; reference: " + stderr.strip());
    }
  }

  private static final List<String> IGNORED = List.of("raw", "reader", "variant", "file");

  static JsonNode strip(JsonNode n) {
    if (n.isObject()) {
      var o = JSON.createObjectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        var e = it.next();
        if (!IGNORED.contains(e.getKey())) o.set(e.getKey(), strip(e.getValue()));
      }
      return o;
    }
    if (n.isArray()) {
      var a = JSON.createArrayNode();
      n.forEach(x -> a.add(strip(x)));
      return a;
    }
    return n;
  }

  // As ../shared/reference/compare_dump.py: exact numbers (float32 fields as the float32 each decimal denotes).
  static String firstDiff(JsonNode a, JsonNode b, String path, boolean f32) {
    if (a.isObject() && b.isObject()) {
      boolean f = "float32".equals(a.path("dtype").asText(null)) && "float32".equals(b.path("dtype").asText(null));
      var keys = new TreeSet<String>();
      a.fieldNames().forEachRemaining(keys::add);
      b.fieldNames().forEachRemaining(keys::add);
      for (String k : keys) {
        if (!a.has(k)) return path + "." + k + ": unexpected key";
        if (!b.has(k)) return path + "." + k + ": missing";
        String d = firstDiff(a.get(k), b.get(k), path + "." + k, f && (k.equals("value") || k.equals("values")));
        if (d != null) return d;
      }
      return null;
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) return path + ": length " + b.size() + " != expected " + a.size();
      for (int i = 0; i < a.size(); i++) {
        String d = firstDiff(a.get(i), b.get(i), path + "[" + i + "]", f32);
        if (d != null) return d;
      }
      return null;
    }
    if (a.isNumber() && b.isNumber()) {
      if (a.isIntegralNumber() && b.isIntegralNumber()) {
        return a.bigIntegerValue().equals(b.bigIntegerValue()) ? null : path + ": " + b + " != expected " + a;
      }
      boolean same = f32 ? Float.floatToRawIntBits((float) a.doubleValue()) == Float.floatToRawIntBits((float) b.doubleValue())
          : Double.doubleToRawLongBits(a.doubleValue()) == Double.doubleToRawLongBits(b.doubleValue());
      return same ? null : path + ": " + b + " != expected " + a;
    }
    return a.equals(b) ? null : path + ": " + b + " != expected " + a;
  }
}
