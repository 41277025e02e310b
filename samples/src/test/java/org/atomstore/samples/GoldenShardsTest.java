package org.atomstore.samples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.atomstore.samples.index.Cid;
import org.atomstore.samples.index.DatasetEntry;
import org.atomstore.samples.index.SchemaRecords;
import org.atomstore.samples.internal.TarMembers;
import org.atomstore.samples.wds.WdsDataset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every shared atdata golden shard set decodes to exactly the expected samples, re-packs to the golden bytes, and gives atdata's schema records and CIDs. */
class GoldenShardsTest {
  static final Path DIR = Path.of(System.getProperty("atomstore.shared", "../../shared"), "compat", "atdata");
  static final ObjectMapper JSON = new ObjectMapper();
  static final String CREATED = "2026-01-01T00:00:00+00:00";

  static Stream<Arguments> sets() {
    return Stream.of(
        Arguments.of("scalars", GoldenTypes.ScalarSample.class),
        Arguments.of("text_bytes", GoldenTypes.TextBytesSample.class),
        Arguments.of("optionals", GoldenTypes.OptionalSample.class),
        Arguments.of("lists", GoldenTypes.ListSample.class),
        Arguments.of("float32_arrays", GoldenTypes.Float32ArraySample.class),
        Arguments.of("mixed_arrays", GoldenTypes.MixedArraySample.class),
        Arguments.of("optional_arrays", GoldenTypes.OptionalArraySample.class),
        Arguments.of("legacy_npy", GoldenTypes.LegacyNpySample.class));
  }

  static JsonNode expected(String set) throws IOException {
    return JSON.readTree(DIR.resolve(set + ".expected.json").toFile());
  }

  static List<Path> shards(JsonNode exp) {
    var out = new ArrayList<Path>();
    for (JsonNode s : exp.get("shards")) out.add(DIR.resolve(s.get("name").asText()));
    return out;
  }

  /** Same JSON types on both sides: the tree is written and read back with one mapper. */
  static JsonNode normalize(JsonNode n) throws IOException {
    return JSON.readTree(JSON.writeValueAsString(n));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sets")
  <T extends Record> void membersDumpToTheExpectedTypedFields(String set, Class<T> type) throws IOException {
    JsonNode exp = expected(set);
    Set<String> nd = new HashSet<>();
    for (JsonNode f : exp.get("sample_type").get("fields")) if (f.get("ndarray").asBoolean()) nd.add(f.get("name").asText());
    var expectedSamples = exp.get("samples");
    int k = 0;
    for (Path shard : shards(exp)) {
      try (InputStream in = Files.newInputStream(shard); var members = new TarMembers(shard.toString(), in, 1 << 20)) {
        for (TarMembers.Member m; (m = members.next()) != null; k++) {
          JsonNode e = expectedSamples.get(k);
          assertThat(shard.getFileName().toString()).isEqualTo(e.get("shard").asText());
          assertThat(m.name()).isEqualTo(e.get("member").asText());
          assertThat(m.key()).isEqualTo(e.get("__key__").asText());
          assertThat(HexFormat.of().formatHex(m.bytes())).isEqualTo(e.get("msgpack_hex").asText());
          SampleDump.Dump d = SampleDump.dump(m.bytes(), nd, shard.toString(), m.name());
          assertThat(d.mapFormat()).isEqualTo(e.get("map_format").asText());
          assertThat(d.fieldOrder()).isEqualTo(JSON.convertValue(e.get("field_order"), List.class));
          assertThat(normalize(d.fields())).as("sample %d (%s)", k, m.key()).isEqualTo(normalize(e.get("fields")));
        }
      }
    }
    assertThat(k).isEqualTo(expectedSamples.size());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sets")
  <T extends Record> void typedSamplesRepackToTheGoldenBytes(String set, Class<T> cls) throws IOException {
    JsonNode exp = expected(set);
    SampleType<T> type = SampleType.of(cls);
    List<KeyedSample<T>> read = WdsDataset.local(type, shards(exp)).readAll();
    assertThat(read).hasSize(exp.get("samples").size());
    Set<String> nd = new HashSet<>();
    for (JsonNode f : exp.get("sample_type").get("fields")) if (f.get("ndarray").asBoolean()) nd.add(f.get("name").asText());
    for (int k = 0; k < read.size(); k++) {
      JsonNode e = exp.get("samples").get(k);
      assertThat(read.get(k).key()).isEqualTo(e.get("__key__").asText());
      byte[] repacked = type.encode(read.get(k).sample());
      if (set.equals("legacy_npy")) {
        // Legacy .npy arrays re-pack in the compact format (as atdata does); the values stay the same.
        var dump = SampleDump.dump(repacked, nd, null, null);
        for (String f : nd) {
          assertThat(normalize(dump.fields().get(f).get("values"))).isEqualTo(normalize(e.get("fields").get(f).get("values")));
          assertThat(dump.fields().get(f).get("encoding").asText()).isEqualTo("compact");
        }
      } else {
        assertThat(HexFormat.of().formatHex(repacked)).as("sample %d", k).isEqualTo(e.get("msgpack_hex").asText());
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sets")
  <T extends Record> void schemaRecordsAndCidsAreAtdatas(String set, Class<T> cls) throws IOException {
    JsonNode exp = expected(set);
    SampleType<T> type = SampleType.of(cls);
    JsonNode records = exp.get("schema_records");
    Map<String, Object> local = SchemaRecords.local(type, CREATED);
    if (type.description() == null) local.put("description", exp.get("sample_type").get("docstring").asText());
    assertThat(JSON.valueToTree(local).equals(records.get("local"))).as("local record %s", JSON.valueToTree(local)).isTrue();
    JsonNode cids = exp.get("cids");
    assertThat(Cid.of(local)).isEqualTo(cids.get("local_schema_record").get("cid").asText());
    Map<String, Object> atmo = SchemaRecords.atmosphere(type, CREATED);
    if (type.description() == null) atmo.put("description", exp.get("sample_type").get("docstring").asText());
    assertThat(normalize(JSON.valueToTree(atmo))).isEqualTo(normalize(records.get("atmosphere")));
    assertThat(Cid.of(atmo)).isEqualTo(cids.get("atmosphere_schema_record").get("cid").asText());
    assertThat(type.schemaRef()).isEqualTo(exp.get("schema_ref").asText());

    List<String> names = shards(exp).stream().map(p -> p.getFileName().toString()).toList();
    assertThat(DatasetEntry.wdsUrl(names)).isEqualTo(exp.get("wds_url").asText());
    var byUrl = new DatasetEntry(set, type.schemaRef(), List.of(DatasetEntry.wdsUrl(names)), null);
    assertThat(byUrl.cid()).isEqualTo(cids.get("entry_wds_url").get("cid").asText());
    var byList = new DatasetEntry(set, type.schemaRef(), names, Map.of("k", 1L));
    assertThat(byList.cid()).isEqualTo(cids.get("entry_shard_list").get("cid").asText());
  }
}
