package org.atomstore.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.atomstore.codec.Compression;
import org.atomstore.model.Molecule;
import org.atomstore.model.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AtpReader#fileSchema()} describes the file as the reference does, and no caller can change it. */
class FileSchemaTest {

  @TempDir Path tmp;

  @Test
  void matchesTheReferenceDumpOfEveryGoldenFile() throws Exception {
    int checked = 0;
    for (Path atp : Golden.atpFiles()) {
      JsonNode expected = Golden.dump(atp).get("schema");
      if (expected == null) continue; // a file the reference refuses to open has no schema in its dump
      Optional<FileSchema> actual;
      try (AtpReader r = AtpReader.open(atp)) {
        actual = r.fileSchema();
      } catch (CorruptFileException e) {
        continue; // refused as the reference refuses it: covered by GoldenCompatTest
      }
      if (expected.isNull()) {
        assertThat(actual).as(atp.getFileName().toString()).isEmpty();
        continue;
      }
      FileSchema s = actual.orElseThrow();
      JsonNode pt = expected.get("positions_type_tag");
      assertThat(s.positionsType()).as(atp.getFileName() + " positions type").isEqualTo(pt.isNull() ? -1 : pt.asInt());
      List<String> want = new ArrayList<>();
      for (JsonNode e : expected.get("sections")) {
        want.add(e.get("kind").asInt() + "/" + e.get("kind_name").asText() + "/" + e.get("key").asText() + "/"
            + e.get("type_tag").asInt() + "/" + e.get("per_atom").asBoolean() + "/" + e.get("elem_bytes").asLong()
            + "/" + e.get("slot_bytes").asLong());
      }
      assertThat(s.fields()).as(atp.getFileName().toString())
          .extracting(f -> f.kind() + "/" + f.kindName() + "/" + f.key() + "/" + f.typeTag() + "/" + f.perAtom()
              + "/" + f.elemBytes() + "/" + f.slotBytes())
          .containsExactlyElementsOf(want);
      checked++;
    }
    assertThat(checked).as("golden files with a schema").isGreaterThan(10);
  }

  @Test
  void isAValueNoCallerCanChange() throws Exception {
    Path file = tmp.resolve("s.atp");
    try (AtpWriter w = AtpWriter.create(file, Compression.NONE)) {
      w.add(Molecule.of(new float[] {0, 0, 0}, Molecule.atomicNumbers(1)).energy(1.5)
          .property("step", new Value.Int64(7)));
      w.flush();
    }
    try (AtpReader r = AtpReader.open(file)) {
      FileSchema first = r.fileSchema().orElseThrow();
      assertThat(first.fields()).extracting(FileSchema.Field::key).containsExactly("energy", "step");
      assertThat(first.fields().get(1).kind()).isEqualTo(FileSchema.KIND_MOLECULE_PROPERTY);
      assertThatThrownBy(() -> first.fields().add(first.fields().get(0)))
          .isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> first.fields().clear()).isInstanceOf(UnsupportedOperationException.class);
      assertThat(r.fileSchema()).contains(first);
    }
  }

  @Test
  void copiesTheListItIsGiven() {
    List<FileSchema.Field> fields = new ArrayList<>();
    fields.add(new FileSchema.Field(FileSchema.KIND_BUILTIN, "energy", 11, false, 8, 8));
    FileSchema s = new FileSchema(4, fields);
    fields.clear();
    assertThat(s.fields()).hasSize(1);
  }
}
