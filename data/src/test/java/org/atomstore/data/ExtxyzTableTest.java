package org.atomstore.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.atomstore.io.ase.AseAtoms;
import org.atomstore.io.extxyz.ExtxyzReader;
import org.atomstore.table.Table;
import org.atomstore.table.Tables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Random access into extended XYZ gives every frame the streaming reader gives, on the shared corpus. */
class ExtxyzTableTest {
  @TempDir Path dir;

  static List<Path> corpus() throws IOException {
    Path root = Path.of(System.getProperty("atomstore.shared", "../shared"), "testdata");
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> p.toString().matches(".*\\.(xyz|extxyz)(\\.gz|\\.bz2|\\.xz)?$"))
          .filter(p -> !p.toString().contains("/errors/")).sorted().toList();
    }
  }

  @Test
  void everyFrameEqualsTheStreamingReadersOnTheCorpus() throws IOException {
    int files = 0;
    for (Path p : corpus()) {
      List<AseAtoms> expected;
      try {
        expected = ExtxyzReader.readAll(p);
      } catch (IOException e) {
        continue; // a file ASE refuses: the table refuses it too (below)
      }
      try (ExtxyzTable t = ExtxyzTable.open(p)) {
        assertThat(t.size()).as(p.toString()).isEqualTo(expected.size());
        for (int i = expected.size() - 1; i >= 0; i--) {
          AseAtoms a = t.atoms(i), e = expected.get(i);
          assertThat(a.numbers()).as(p + " frame " + i).isEqualTo(e.numbers());
          assertThat(a.positions()).as(p + " frame " + i).isEqualTo(e.positions());
          assertThat(a.info()).as(p + " frame " + i).isEqualTo(e.info());
          assertThat(a.arrays()).as(p + " frame " + i).isEqualTo(e.arrays());
          assertThat(a.results()).as(p + " frame " + i).isEqualTo(e.results());
        }
      }
      files++;
    }
    assertThat(files).isGreaterThan(20);
  }

  @Test
  void lineEndingsOfEveryKindIndexTheSameFrames() throws IOException {
    String frames = "1\nProperties=species:S:1:pos:R:3 energy=1.5\nH 0 0 0\n2\nenergy=2.5\nH 0 0 0\nO 1 1 1\n";
    for (String eol : List.of("\n", "\r\n", "\r")) {
      Path f = dir.resolve("eol" + eol.length() + (eol.equals("\r") ? "cr" : "") + ".xyz");
      Files.writeString(f, frames.replace("\n", eol));
      try (Table t = Tables.open(f.toString())) {
        assertThat(t.size()).isEqualTo(2);
        assertThat(t.get(1).atomCount()).isEqualTo(2);
        assertThat(t.get(1).energyAsDouble()).isEqualTo(2.5);
        assertThat(t.get(0).energyAsDouble()).isEqualTo(1.5);
      }
    }
  }

  @Test
  void aBadFrameFailsTheOpenNamingTheFileAndLine() throws IOException {
    Path f = dir.resolve("bad.xyz");
    Files.writeString(f, "1\n\nH 0 0 0\n2\n\nH 0 0 0\n");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ExtxyzTable.open(f)).isInstanceOf(IOException.class).hasMessageContaining("bad.xyz");
  }
}
