package org.atomstore.data;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.atomstore.data.lmdb.AsebytesLmdb;
import org.atomstore.data.lmdb.LmdbObjectTable;
import org.atomstore.io.AseDump;
import org.atomstore.io.ase.AseAtoms;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rows -> AseAtoms gives the frames real asebytes' ASEIO gave (printed with io's AseDump), and AseAtoms -> rows
 * gives back the rows ASEIO wrote. Stores whose values are all representable as AseAtoms' Python values (no
 * NumPy scalars, bytes or big-endian arrays).
 */
class AseFramesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest
  @ValueSource(strings = {"molecules.lmdb", "crystals_calc.lmdb", "constraints.lmdb", "variable_natoms.lmdb",
      "per_atom_arrays.lmdb", "edited.lmdb", "groups.lmdb"})
  void rowsBecomeTheFramesAsebytesReadsAndBack(String name) throws IOException {
    Path store = Path.of(System.getProperty("atomstore.shared", "../../shared")).resolve("compat/asebytes").resolve(name);
    JsonNode expected = JSON.readTree(store.resolveSibling(name + ".expected.json").toFile());
    for (String group : AsebytesLmdb.listGroups(store)) {
      JsonNode frames = expected.get("groups").get(group).get("frames");
      try (LmdbObjectTable t = AsebytesLmdb.openObjects(store, group, AsebytesLmdb.Mode.READ_ONLY)) {
        for (int i = 0; i < t.size(); i++) {
          Map<String, Object> row = t.get(i);
          AseAtoms atoms = AseFrames.toAtoms(row, i);
          if (row == null) {
            assertThat(atoms).isNull();
            assertThat(frames.get(i).isNull()).isTrue();
            continue;
          }
          StringWriter w = new StringWriter();
          try (JsonGenerator g = JSON.getFactory().createGenerator(w)) {
            AseDump.writeFrame(g, atoms);
          }
          assertThat(JSON.readTree(w.toString())).as(group + " frame " + i).isEqualTo(frames.get(i));
          assertThat(AseFrames.toRow(atoms)).as(group + " row " + i).isEqualTo(row);
        }
      }
    }
  }
}
