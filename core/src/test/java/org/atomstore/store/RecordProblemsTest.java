package org.atomstore.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.atomstore.codec.Compression;
import org.atomstore.model.Molecule;
import org.atomstore.model.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records holding what a molecule cannot: reported as corrupt records, found by checks rather than caught. */
class RecordProblemsTest {
  @TempDir Path tmp;

  /** Replaces every occurrence of {@code from} by {@code to} (same length) in the file. */
  private static void replaceAll(Path p, String from, String to) throws IOException {
    byte[] b = Files.readAllBytes(p);
    byte[] f = from.getBytes(StandardCharsets.US_ASCII);
    byte[] t = to.getBytes(StandardCharsets.US_ASCII);
    int hits = 0;
    outer:
    for (int i = 0; i + f.length <= b.length; i++) {
      for (int k = 0; k < f.length; k++) if (b[i + k] != f[k]) continue outer;
      System.arraycopy(t, 0, b, i, t.length);
      hits++;
    }
    assertThat(hits).isPositive();
    Files.write(p, b);
  }

  @Test
  void aRecordHoldingOneKeyAsBothAtomAndMoleculePropertyIsACorruptRecord() throws IOException {
    Path p = tmp.resolve("both.atp");
    try (AtpWriter w = AtpWriter.create(p, Compression.NONE)) {
      w.add(Molecule.of(new float[] {0, 0, 0, 1, 1, 1}, Molecule.atomicNumbers(1, 8))
          .atomProperty("qqqq", new Value.Int32Array(new int[] {1, 2}))
          .property("rrrr", new Value.Float64(3)));
    }
    replaceAll(p, "rrrr", "qqqq"); // in the record and the schema blob alike
    try (AtpReader r = AtpReader.open(p)) {
      assertThatThrownBy(() -> r.get(0)).isInstanceOf(CorruptFileException.class)
          .hasMessageContaining(p.toString()).hasMessageContaining("record 0")
          .hasMessageContaining("custom property 'qqqq' already exists as an atom property");
      List<String> problems = r.verify(10);
      assertThat(problems).anySatisfy(s -> assertThat(s).contains("already exists as an atom property"));
    }
  }

  @Test
  void trySetRefusesWithoutChangingTheMolecule() {
    Molecule m = Molecule.of(new float[] {0, 0, 0, 1, 1, 1}, Molecule.atomicNumbers(1, 8));
    assertThat(m.trySetAtomProperty("a", new Value.Int32Array(new int[] {1}))).isEqualTo(
        "atom property 'a' has leading dimension 1 but the molecule has 2 atoms");
    assertThat(m.atomProperties()).isEmpty();
    assertThat(m.trySetProperty("a", new Value.Float64(1))).isNull();
    assertThat(m.trySetAtomProperty("a", new Value.Int32Array(new int[] {1, 2}))).isEqualTo(
        "custom property 'a' already exists as a molecule property");
    assertThat(m.atomProperties()).isEmpty();
    assertThat(m.trySetProperty("k".repeat(256), new Value.Float64(1))).contains("256 UTF-8 bytes");
    assertThat(m.properties()).containsOnlyKeys("a");
    assertThatThrownBy(() -> m.atomProperty("a", new Value.Int32Array(new int[] {1, 2})))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("custom property 'a' already exists as a molecule property");
  }
}
