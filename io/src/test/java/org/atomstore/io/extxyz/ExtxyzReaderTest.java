package org.atomstore.io.extxyz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.atomstore.io.ase.AseAtoms;
import org.atomstore.io.ase.PyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExtxyzReaderTest {

  @TempDir Path dir;

  static List<AseAtoms> read(String text, int threads) throws IOException {
    return read(text.getBytes(StandardCharsets.UTF_8), threads);
  }

  static List<AseAtoms> read(byte[] text, int threads) throws IOException {
    try (var r = ExtxyzReader.open(new ByteArrayInputStream(text), Path.of("t.xyz"), threads)) {
      var out = new ArrayList<AseAtoms>();
      for (AseAtoms a = r.read(); a != null; a = r.read()) out.add(a);
      return out;
    }
  }

  static ExtxyzFormatException failure(String text) {
    return failure(text.getBytes(StandardCharsets.UTF_8));
  }

  static ExtxyzFormatException failure(byte[] text) {
    try {
      read(text, 1);
    } catch (ExtxyzFormatException e) {
      return e;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("no error for " + new String(text, StandardCharsets.UTF_8));
  }

  @Test
  void rejectsTruncatedFrameNamingLine() {
    var e = failure("3\n\nH 0 0 0\nH 1 0 0\n");
    assertThat(e.aseError()).isEqualTo("XYZError");
    assertThat(e.getMessage()).contains("t.xyz:").contains("Frame has 2 atoms, expected 3");
  }

  @Test
  void hugeDeclaredAtomCountFailsWithoutAllocating() {
    var e = failure("1000000000000\ncomment\nH 0 0 0\n");
    assertThat(e.getMessage()).contains("Frame has 1 atoms, expected 1000000000000");
  }

  @Test
  void badNumberNamesLineAndColumn() {
    var e = failure("2\n\nH 0 0 0\nH 1 x2 0\n");
    assertThat(e.aseError()).isEqualTo("ValueError");
    assertThat(e.line()).isEqualTo(4);
    assertThat(e.column()).isEqualTo(5);
    assertThat(e.problem()).isEqualTo("could not convert string to float: 'x2'");
  }

  @Test
  void missingColumnIsRefusedAfterAllLines() {
    var e = failure("2\nProperties=species:S:1:pos:R:3:q:R:1\nH 0 0 0 1\nH 1 0\n");
    assertThat(e.problem()).isEqualTo("could not assign tuple of length 3 to structure with 5 fields.");
    assertThat(e.line()).isEqualTo(4);
  }

  @Test
  void headerThatIsNotAnIntegerIsRefused() {
    var e = failure("1\n\nH 0 0 0\nthree\n\nH 0 0 0\n");
    assertThat(e.aseError()).isEqualTo("XYZError");
    assertThat(e.line()).isEqualTo(4);
    assertThat(e.problem()).contains("invalid literal for int() with base 10: 'three\\n'");
  }

  @Test
  void unbalancedQuoteTakesRestOfLineAsValue() throws IOException {
    // ASE reads an unclosed quote to the end of the line; the value is then a plain string
    var frames = read("1\nnote=\"open quote a=1\nH 0 0 0\n", 1);
    assertThat(frames.getFirst().info().get("note")).isEqualTo(new PyValue.PyStr("open quote a=1"));
  }

  @Test
  void unbalancedQuoteInPropertiesIsRefused() {
    var e = failure("1\nProperties=\"species:S:1:pos:R:3 pbc=T\nH 0 0 0\n");
    assertThat(e.getMessage()).contains("t.xyz:2:");
    assertThat(e.problem()).isEqualTo("invalid literal for int() with base 10: '3 pbc=T'");
  }

  @Test
  void wrongAtomCountLeavesNextFrameMisaligned() {
    var e = failure("1\n\nH 0 0 0\nH 1 0 0\n1\n\nH 0 0 0\n");
    assertThat(e.aseError()).isEqualTo("XYZError");
  }

  @Test
  void typesCommentValuesAsAse() throws IOException {
    var a = read("1\na=1 b=1.5 c=T d=\"T F T\" e=\"1 2 3\" f=hello g=\"1,2.5\" Lattice=\"1 0 0 0 2 0 0 0 3\"\nH 0 0 0\n", 1)
        .getFirst();
    assertThat(a.info().get("a")).isEqualTo(new PyValue.PyInt(1));
    assertThat(a.info().get("b")).isEqualTo(new PyValue.PyFloat(1.5));
    assertThat(a.info().get("c")).isEqualTo(new PyValue.PyBool(true));
    assertThat(a.info().get("d")).isInstanceOf(PyValue.PyList.class);
    assertThat(((PyValue.NdArray) a.info().get("e")).dtype()).isEqualTo("int64");
    assertThat(((PyValue.NdArray) a.info().get("g")).doubles()).containsExactly(1, 2.5);
    assertThat(a.cell()).containsExactly(1, 0, 0, 0, 2, 0, 0, 0, 3);
    assertThat(a.pbc()).containsExactly(true, true, true);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 4})
  void parallelReadingKeepsFileOrder(int threads) throws IOException {
    var sb = new StringBuilder();
    for (int f = 0; f < 5000; f++) {
      sb.append("2\nstep=").append(f).append('\n').append("H 0 0 ").append(f).append("\nO 1 1 1\n");
    }
    var frames = read(sb.toString(), threads);
    assertThat(frames).hasSize(5000);
    for (int f = 0; f < 5000; f++) {
      assertThat(frames.get(f).info().get("step")).isEqualTo(new PyValue.PyInt(f));
      assertThat(frames.get(f).positions()[2]).isEqualTo(f);
    }
  }

  @Test
  void readsGzipByExtensionAndCrlf() throws IOException {
    Path p = dir.resolve("a.xyz.gz");
    var bytes = new ByteArrayOutputStream();
    try (var gz = new GZIPOutputStream(bytes)) {
      gz.write("1\r\nenergy=-1.25\r\nC\t0 0 0\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    Files.write(p, bytes.toByteArray());
    var frames = ExtxyzReader.readAll(p);
    assertThat(frames).hasSize(1);
    assertThat(frames.getFirst().results().get("energy")).isEqualTo(new PyValue.PyFloat(-1.25));
  }

  @Test
  void closeIsIdempotentAndUseAfterCloseThrows() throws IOException {
    var r = ExtxyzReader.open(new ByteArrayInputStream("0\n\n".getBytes()), Path.of("x.xyz"), 2);
    r.close();
    r.close();
    assertThatThrownBy(r::read).isInstanceOf(IllegalStateException.class);
  }
}
