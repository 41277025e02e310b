package org.atomstore.arrays;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Set;
import org.atomstore.arrays.internal.PyJson;
import org.junit.jupiter.api.Test;

/**
 * A store zarr-python 2.13.6 wrote with the filters it commonly writes (delta, fixedscaleoffset, quantize,
 * astype, shuffle, and a chain of two), dumped by {@code peers/zarr_dump.py}: the same values are read here.
 */
class FiltersTest {
  @Test
  void readsWhatZarrPythonWroteThroughFilters() throws Exception {
    Path dir = Path.of(FiltersTest.class.getResource("/zarr/filters.zarr/.zgroup").toURI()).getParent();
    JsonNode expected = PyJson.MAPPER.readTree(dir.resolveSibling("filters.zarr.expected.json").toFile());
    try (ZarrStore z = ZarrStore.open(dir)) {
      JsonNode actual = PyJson.MAPPER.readTree(ZarrDump.text(z, Long.MAX_VALUE));
      assertThat(expected.get("arrays")).hasSize(6);
      assertThat(JsonDiff.diff(expected, actual, Set.of("producer", "store"))).isEmpty();
    }
  }
}
