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
import org.atomstore.io.CorruptCompressedInputException;
import org.atomstore.io.ase.AseAtoms;
import org.atomstore.io.ase.PyValue;
import org.atomstore.store.CorruptFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Inputs where ASE 3.22.1 ({@code ase.io.read(path, index=':')}) was run by hand and its result or exception is
 * written into the test: VEC cell lines, arrays that land on one name, bytes that are not UTF-8, column counts the
 * text cannot hold, damaged compressed input.
 */
class AseParityTest {

  @TempDir Path dir;

  static List<AseAtoms> read(String text) throws IOException {
    return ExtxyzReaderTest.read(text, 1);
  }

  static ExtxyzFormatException failure(byte[] text) {
    return ExtxyzReaderTest.failure(text);
  }

  static ExtxyzFormatException failure(String text) {
    return ExtxyzReaderTest.failure(text);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void vecLinesGiveCellRowsPeriodicityAndTheWholeCommentAsAse(int threads) throws IOException {
    // ASE: info {'comment': 'some comment a=1'}, cell [[0,2.7,2.7],[2.7,0,2.7],[0,0,0]], pbc T T F; next frame plain
    String text = "2\nsome comment a=1\nSi 0 0 0\nSi 1.3 1.3 1.3\nVEC1 0.0 2.7 2.7\n  VEC2 2.7 0.0 2.7\n1\n\nH 0 0 0\n";
    List<AseAtoms> frames = ExtxyzReaderTest.read(text, threads);
    assertThat(frames).hasSize(2);
    AseAtoms a = frames.get(0);
    assertThat(a.info()).containsOnlyKeys("comment");
    assertThat(a.info().get("comment")).isEqualTo(new PyValue.PyStr("some comment a=1"));
    assertThat(a.cell()).containsExactly(0, 2.7, 2.7, 2.7, 0, 2.7, 0, 0, 0);
    assertThat(a.pbc()).containsExactly(true, true, false);
    assertThat(a.numbers()).containsExactly(14, 14);
    assertThat(a.results()).isNullOrEmpty();
    AseAtoms b = frames.get(1);
    assertThat(b.numbers()).containsExactly(1);
    assertThat(b.line()).isEqualTo(7);
    assertThat(b.pbc()).containsExactly(false, false, false);
  }

  @Test
  void singleValueVecLineIsBroadcastAsNumPyDoes() throws IOException {
    // ASE: cell [[7,7,7],[0,0,0],[0,0,0]], pbc T F F, info {'comment': ''}
    AseAtoms a = read("1\n\nH 0 0 0\nVEC1 7\n").getFirst();
    assertThat(a.cell()).containsExactly(7, 7, 7, 0, 0, 0, 0, 0, 0);
    assertThat(a.pbc()).containsExactly(true, false, false);
    assertThat(a.info().get("comment")).isEqualTo(new PyValue.PyStr(""));
  }

  @Test
  void vecLinesAseRefusesAreRefusedWithItsReason() {
    var e = failure("1\n\nH 0 0 0\nVEC1 1 2\n");
    assertThat(e.aseError()).isEqualTo("ValueError");
    assertThat(e.problem()).isEqualTo("could not broadcast input array from shape (2,) into shape (3,)");
    assertThat(e.line()).isEqualTo(4);
    e = failure("1\n\nH 0 0 0\nVEC2 1 2 3\n");
    assertThat(e.aseError()).isEqualTo("XYZError");
    assertThat(e.problem()).isEqualTo("Expected VEC1, got VEC2");
    e = failure("1\n\nH 0 0 0\nVEC1 1 2 3\nVEC2 1 2 3\nVEC3 1 2 3\nVEC4 1 1 1\n");
    assertThat(e.aseError()).isEqualTo("XYZError");
    assertThat(e.problem()).isEqualTo("ase.io.extxyz: More than 3 VECX entries");
    assertThat(e.line()).isEqualTo(7);
    e = failure("1\n\nH 0 0 0\nVECx 1 2 3\n");
    assertThat(e.problem()).isEqualTo("Expected VEC1, got VECx");
  }

  @Test
  void chargeColumnBesideInitialChargesIsRefusedAsAse() {
    // ASE: RuntimeError: Array initial_charges already present
    var e = failure("2\nProperties=species:S:1:pos:R:3:charge:R:1:initial_charges:R:1\nH 0 0 0 0.1 0.2\nH 1 0 0 0.3 0.4\n");
    assertThat(e.aseError()).isEqualTo("RuntimeError");
    assertThat(e.problem()).isEqualTo("Array initial_charges already present");
    assertThat(e.getMessage()).contains("t.xyz:2:");
  }

  @Test
  void columnsLandingOnOneNameOtherwiseKeepTheLastAsAse() throws IOException {
    // ASE: pos and positions both become positions, the later one wins; Z and numbers likewise
    AseAtoms a = read("1\nProperties=species:S:1:pos:R:3:positions:R:3:numbers:I:1:Z:I:1\nH 0 0 0 1 2 3 1 6\n").getFirst();
    assertThat(a.positions()).containsExactly(1, 2, 3);
    assertThat(a.numbers()).containsExactly(6);
  }

  @Test
  void bytesThatAreNotUtf8AreRefusedAsPythonDecodes() {
    // ASE: UnicodeDecodeError: 'utf-8' codec can't decode byte 0xff in position 5: invalid start byte
    var e = failure(new byte[] {'1', '\n', 'a', '=', 'b', (byte) 0xff, '\n', 'H', ' ', '0', ' ', '0', ' ', '0', '\n'});
    assertThat(e.aseError()).isEqualTo("UnicodeDecodeError");
    assertThat(e.problem()).isEqualTo("'utf-8' codec can't decode byte 0xff in position 5: invalid start byte");
    assertThat(e.line()).isEqualTo(2);
    // in an atom line, and a lead byte followed by a non-continuation byte
    e = failure("1\n\nH 0 0 0 \u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
    assertThat(e.problem()).isEqualTo("'utf-8' codec can't decode byte 0xe9 in position 11: invalid continuation byte");
    assertThat(e.line()).isEqualTo(3);
    // in the atom-count line
    e = failure(new byte[] {'1', (byte) 0xc3, '\n'});
    assertThat(e.problem()).isEqualTo("'utf-8' codec can't decode byte 0xc3 in position 1: invalid continuation byte");
  }

  @Test
  void validUtf8StaysReadable() throws IOException {
    AseAtoms a = read("1\nname=\u00e9t\u00e9\u20ac\nH 0 0 0\n").getFirst();
    assertThat(a.info().get("name")).isEqualTo(new PyValue.PyStr("\u00e9t\u00e9\u20ac"));
  }

  @Test
  void columnCountTheTextCannotHoldIsRefusedWithoutAllocatingIt() {
    // 1,000 atom lines x 1,000,000 declared columns would be 8 GB of doubles; the test heap is 256 MB
    var sb = new StringBuilder("1000\nProperties=species:S:1:pos:R:3:big:R:1000000\n");
    for (int i = 0; i < 1000; i++) sb.append("H 0 0 0 1 2\n");
    var e = failure(sb.toString());
    assertThat(e.aseError()).isEqualTo("ValueError");
    assertThat(e.problem()).isEqualTo("could not assign tuple of length 6 to structure with 1000004 fields.");
    assertThat(e.line()).isEqualTo(3);
    // a bad value before the short lines is still reported first, as ASE converts while reading
    sb = new StringBuilder("3\nProperties=species:S:1:pos:R:3:big:R:1000000\nH 0 0 0\nH 0 x 0\nH 0 0 0\n");
    e = failure(sb.toString());
    assertThat(e.problem()).isEqualTo("could not convert string to float: 'x'");
    assertThat(e.line()).isEqualTo(4);
    // and a missing line after them
    e = failure("3\nProperties=species:S:1:pos:R:3:big:I:1000000:more:L:1000000\nH 0 0 0\n");
    assertThat(e.aseError()).isEqualTo("XYZError");
    assertThat(e.problem()).isEqualTo("ase.io.extxyz: Frame has 1 atoms, expected 3");
  }

  @Test
  void manyHugeColumnsWithZeroAtomsAreRefusedOrReadWithoutAllocation() {
    var sb = new StringBuilder("0\nProperties=species:S:1");
    for (int i = 0; i < 100; i++) sb.append(":c").append(i).append(":R:1000000");
    sb.append('\n');
    var e = failure(sb.toString());
    assertThat(e.aseError()).isEqualTo("MemoryError");
  }

  @Test
  void damagedGzipIsACorruptInputNamingTheFile() throws IOException {
    var bytes = new ByteArrayOutputStream();
    try (var gz = new GZIPOutputStream(bytes)) {
      for (int i = 0; i < 2000; i++) gz.write(("1\nenergy=" + i + "\nH 0 0 " + i + "\n").getBytes(StandardCharsets.US_ASCII));
    }
    byte[] good = bytes.toByteArray();
    Path cut = dir.resolve("cut.xyz.gz");
    Files.write(cut, java.util.Arrays.copyOf(good, good.length / 2));
    assertThatThrownBy(() -> ExtxyzReader.readAll(cut)).isInstanceOf(CorruptCompressedInputException.class)
        .isInstanceOf(CorruptFileException.class).hasMessageContaining("cut.xyz.gz").hasMessageContaining("gzip");
    Path flipped = dir.resolve("flipped.xyz.gz");
    byte[] bad = good.clone();
    for (int i = 40; i < 60; i++) bad[i] ^= 0x5a;
    Files.write(flipped, bad);
    assertThatThrownBy(() -> ExtxyzReader.readAll(flipped)).isInstanceOf(CorruptCompressedInputException.class)
        .hasMessageContaining("flipped.xyz.gz");
    Path notGzip = dir.resolve("plain.xyz.gz");
    Files.writeString(notGzip, "1\n\nH 0 0 0\n");
    assertThatThrownBy(() -> ExtxyzReader.readAll(notGzip)).isInstanceOf(CorruptCompressedInputException.class)
        .hasMessageContaining("plain.xyz.gz");
    Path bz = dir.resolve("bad.xyz.bz2");
    Files.write(bz, new byte[] {'B', 'Z', 'h', '9', 1, 2, 3, 4, 5, 6, 7, 8});
    assertThatThrownBy(() -> ExtxyzReader.readAll(bz)).isInstanceOf(CorruptCompressedInputException.class)
        .hasMessageContaining("bad.xyz.bz2");
    Path xz = dir.resolve("bad.xyz.xz");
    Files.write(xz, new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0, 0, 4, 1, 2, 3, 4});
    assertThatThrownBy(() -> ExtxyzReader.readAll(xz)).isInstanceOf(CorruptCompressedInputException.class)
        .hasMessageContaining("bad.xyz.xz");
  }

  @Test
  void gzipWithGarbageAfterTheLastMemberIsRefusedButZeroPaddingIsNot() throws IOException {
    var bytes = new ByteArrayOutputStream();
    try (var gz = new GZIPOutputStream(bytes)) {
      gz.write("1\n\nH 0 0 0\n".getBytes(StandardCharsets.US_ASCII));
    }
    byte[] member = bytes.toByteArray();
    // ASE (Python's gzip): BadGzipFile: Not a gzipped file (b'ga')
    Path garbage = dir.resolve("garbage.xyz.gz");
    byte[] g = java.util.Arrays.copyOf(member, member.length + 8);
    System.arraycopy("garbage!".getBytes(StandardCharsets.US_ASCII), 0, g, member.length, 8);
    Files.write(garbage, g);
    assertThatThrownBy(() -> ExtxyzReader.readAll(garbage)).isInstanceOf(CorruptCompressedInputException.class)
        .hasMessageContaining("garbage.xyz.gz");
    // ASE reads a member followed by zero bytes (gzip padding)
    Path padded = dir.resolve("padded.xyz.gz");
    Files.write(padded, java.util.Arrays.copyOf(member, member.length + 4));
    assertThat(ExtxyzReader.readAll(padded)).hasSize(1);
    // and two members as one text
    Path two = dir.resolve("two.xyz.gz");
    byte[] both = java.util.Arrays.copyOf(member, 2 * member.length);
    System.arraycopy(member, 0, both, member.length, member.length);
    Files.write(two, both);
    assertThat(ExtxyzReader.readAll(two)).hasSize(2);
  }
}
