package org.atomstore.data.lmdb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every shared asebytes store dumps to exactly the JSON that real asebytes 0.3.2 read from it. */
class AsebytesDumpTest {

  static List<Path> stores() throws IOException { return LmdbTestSupport.stores(); }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void dumpEqualsWhatAsebytesReads(Path store) throws IOException {
    JsonNode expected = LmdbTestSupport.expected(store);
    JsonNode actual = LmdbTestSupport.dump(store, null);
    assertThat(LmdbTestSupport.firstDifference(expected, actual, "")).isNull();
  }
}
