package org.atomstore.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.atomstore.samples.index.Cid;
import org.atomstore.samples.index.DagCbor;
import org.junit.jupiter.api.Test;

/** Every vector of cids.expected.json: the DAG-CBOR bytes and the CID atdata computes. */
class CidVectorsTest {

  static Object value(JsonNode n) {
    return org.atomstore.samples.index.JsonValues.of(n);
  }

  @Test
  void everyVectorMatches() throws IOException {
    JsonNode doc = GoldenShardsTest.JSON.readTree(GoldenShardsTest.DIR.resolve("cids.expected.json").toFile());
    int n = 0;
    for (JsonNode v : doc.get("vectors")) {
      Object in = value(v.get("input"));
      assertThat(HexFormat.of().formatHex(DagCbor.encode(in))).as(v.get("name").asText()).isEqualTo(v.get("dag_cbor_hex").asText());
      assertThat(Cid.of(in)).as(v.get("name").asText()).isEqualTo(v.get("cid").asText());
      n++;
    }
    assertThat(n).isEqualTo(15);
  }

  @Test
  void keyOrderOfTheInputDoesNotChangeTheCid() {
    var ab = new LinkedHashMap<String, Object>();
    ab.put("a", 1L);
    ab.put("b", 2L);
    var ba = new LinkedHashMap<String, Object>();
    ba.put("b", 2L);
    ba.put("a", 1L);
    assertThat(Cid.of(ab)).isEqualTo(Cid.of(ba));
  }

  @Test
  void refusesValuesDagCborCannotHold() {
    assertThatThrownBy(() -> DagCbor.encode(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DagCbor.encode(Map.of(1, 2))).isInstanceOf(IllegalArgumentException.class);
  }
}
