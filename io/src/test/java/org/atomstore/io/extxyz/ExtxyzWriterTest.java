package org.atomstore.io.extxyz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.atomstore.io.ase.AseAtoms;
import org.atomstore.io.mapping.AseMapping;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Round trips corpus files: extxyz -> frames (-> Molecule) -> extxyz -> frames gives the same values. */
class ExtxyzWriterTest {

  @TempDir Path dir;

  static Stream<String> files() {
    return Stream.of("extxyz/calc_results.xyz", "extxyz/custom_arrays.xyz", "extxyz/mixed_pbc.xyz",
        "extxyz/info_basic.extxyz", "extxyz/variable_natoms.xyz", "extxyz/stress_in_info.xyz", "extxyz/zero_atoms.xyz");
  }

  static Path corpus(String f) {
    return Path.of(System.getProperty("atomstore.shared", "../shared")).resolve("testdata/generated").resolve(f);
  }

  @ParameterizedTest
  @MethodSource("files")
  void framesWrittenReadBackIdentically(String f) throws IOException {
    List<AseAtoms> in = ExtxyzReader.readAll(corpus(f));
    Path out = dir.resolve("out.xyz");
    try (var w = ExtxyzWriter.create(out)) {
      for (AseAtoms a : in) w.write(a);
    }
    List<AseAtoms> back = ExtxyzReader.readAll(out);
    assertThat(back).hasSize(in.size());
    for (int i = 0; i < in.size(); i++) {
      assertThat(back.get(i).numbers()).containsExactly(in.get(i).numbers());
      assertThat(back.get(i).positions()).containsExactly(in.get(i).positions());
      assertThat(back.get(i).cell()).containsExactly(in.get(i).cell());
      assertThat(back.get(i).pbc()).containsExactly(in.get(i).pbc());
      assertThat(back.get(i).results()).isEqualTo(in.get(i).results());
    }
    try (var s = Files.list(dir)) {
      assertThat(s.toList()).containsExactly(out);
    }
  }

  @ParameterizedTest
  @MethodSource("files")
  void moleculeRoundTripKeepsPositionsNumbersCellPbcAndResults(String f) throws IOException {
    List<AseAtoms> in = ExtxyzReader.readAll(corpus(f));
    Path out = dir.resolve("m.xyz");
    try (var w = ExtxyzWriter.create(out)) {
      for (AseAtoms a : in) w.write(AseMapping.fromMolecule(AseMapping.toMolecule(a, AseMapping.Precision.FLOAT64).molecule()));
    }
    List<AseAtoms> back = ExtxyzReader.readAll(out);
    for (int i = 0; i < in.size(); i++) {
      AseAtoms a = in.get(i), b = back.get(i);
      assertThat(b.positions()).containsExactly(a.positions());
      assertThat(b.numbers()).containsExactly(a.numbers());
      assertThat(b.cell()).containsExactly(a.cell());
      assertThat(b.pbc()).containsExactly(a.pbc());
      assertThat(b.results().get("energy")).isEqualTo(a.results().get("energy") instanceof org.atomstore.io.ase.PyValue.PyInt n
          ? new org.atomstore.io.ase.PyValue.PyFloat(n.value()) : a.results().get("energy"));
      assertThat(b.results().get("forces")).isEqualTo(a.results().get("forces"));
      assertThat(b.results().get("stress")).isEqualTo(a.results().get("stress"));
    }
  }
}
