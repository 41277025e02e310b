package org.atomstore.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.atomstore.codec.Compression;
import org.atomstore.format.AtpLayout;
import org.atomstore.format.HeaderSlot;
import org.atomstore.model.Molecule;
import org.atomstore.model.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile and damaged files: every failure is a CorruptFileException naming the file; never an
 * OutOfMemoryError (the core suite runs with -Xmx256m), a hang or a crash.
 */
class CorruptInputTest {
  @TempDir Path tmp;

  private Path sample(Compression c) throws IOException {
    Path p = tmp.resolve("sample-" + c.kindName() + ".atp");
    try (AtpWriter w = AtpWriter.create(p, c)) {
      for (int i = 0; i < 12; i++) {
        int n = 1 + i % 5;
        float[] pos = new float[3 * n];
        for (int k = 0; k < pos.length; k++) pos[k] = i + k * 0.25f;
        byte[] z = new byte[n];
        java.util.Arrays.fill(z, (byte) (1 + i));
        Molecule m = Molecule.of(pos, z).energy(-i).forces(pos.clone()).pbc(true, false, true).name("m" + i);
        m.property("tensor", new Value.TensorFloat64(new int[] {2, 2}, new double[] {i, 1, 2, 3}));
        m.atomProperty("q", new Value.Int32Array(new int[n]));
        w.add(m);
      }
      w.flush();
    }
    return p;
  }

  /** Reads everything; returns the problems reported. Any other exception type fails the test. */
  private static List<String> readAll(Path p) {
    List<String> problems = new ArrayList<>();
    try (AtpReader r = AtpReader.open(p)) {
      for (long i = 0; i < r.size(); i++) {
        try {
          r.get(i);
          r.get(i, FieldSet.of("energy"));
          r.readBatch(new long[] {i}, FieldSet.ALL, false);
        } catch (CorruptFileException e) {
          assertThat(e.getMessage()).contains(p.toString());
          problems.add(e.getMessage());
        }
      }
      problems.addAll(r.verify(100));
    } catch (CorruptFileException e) {
      assertThat(e.getMessage()).contains(p.toString());
      problems.add(e.getMessage());
    } catch (IOException e) {
      throw new AssertionError("unexpected I/O error", e);
    }
    return problems;
  }

  @ParameterizedTest
  @ValueSource(strings = {"none", "zstd:3", "lz4"})
  void flippedBytesAnywhereAreReportedOrHarmless(String compression) throws IOException {
    Path good = sample(Compression.parse(compression));
    byte[] original = Files.readAllBytes(good);
    long seed = 0x5eed + compression.hashCode();
    SplittableRandom rnd = new SplittableRandom(seed);
    Path bad = tmp.resolve("bad.atp");
    for (int trial = 0; trial < 400; trial++) {
      byte[] b = original.clone();
      int flips = 1 + rnd.nextInt(4);
      for (int f = 0; f < flips; f++) {
        // half of the flips land in the data and index, where the header checksum does not help
        int at = rnd.nextBoolean() ? 8192 + rnd.nextInt(b.length - 8192) : rnd.nextInt(b.length);
        b[at] ^= (byte) (1 + rnd.nextInt(255));
      }
      Files.write(bad, b);
      try {
        readAll(bad);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("seed " + seed + " trial " + trial + ": " + e, e);
      }
    }
  }

  @Test
  void truncatedFilesAreRefusedOrFallBackToTheOlderGeneration() throws IOException {
    Path good = sample(Compression.NONE);
    byte[] original = Files.readAllBytes(good);
    Path bad = tmp.resolve("short.atp");
    for (int len = 0; len < original.length; len += 37) {
      Files.write(bad, java.util.Arrays.copyOf(original, len));
      List<String> problems = readAll(bad);
      if (len < 8192) {
        assertThat(problems).as("length %d", len).isNotEmpty();
      } else {
        // slot B (generation 1) names an index past the end; slot A still holds generation 0: an empty file
        assertThat(problems).as("length %d", len).isEmpty();
        try (AtpReader r = AtpReader.open(bad)) {
          assertThat(r.size()).isZero();
          assertThat(r.header().selectedSlot()).isEqualTo('A');
        }
      }
    }
  }

  private static void patchLong(Path p, long offset, long value) throws IOException {
    byte[] b = Files.readAllBytes(p);
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong((int) offset, value);
    Files.write(p, b);
  }

  private static void patchInt(Path p, long offset, int value) throws IOException {
    byte[] b = Files.readAllBytes(p);
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt((int) offset, value);
    Files.write(p, b);
  }

  private static long indexOffset(Path p) throws IOException {
    try (AtpReader r = AtpReader.open(p)) {
      return r.header().slot().indexOffset();
    }
  }

  @Test
  void rejectsIndexPointingPastEndOfFile() throws IOException {
    Path p = sample(Compression.NONE);
    long entry = indexOffset(p) + AtpLayout.INDEX_PREFIX_SIZE + 3 * AtpLayout.INDEX_ENTRY_SIZE;
    patchLong(p, entry, Files.size(p) - 4);
    try (AtpReader r = AtpReader.open(p)) {
      assertThatThrownBy(() -> r.get(3)).isInstanceOf(CorruptFileException.class)
          .hasMessageContaining("index entry 3 points outside the records").hasMessageContaining(p.toString());
      assertThat(r.get(2).atomCount()).isEqualTo(3);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"none", "zstd:3", "lz4"})
  void absurdLengthsAreBoundedBeforeAllocating(String compression) throws IOException {
    Path p = sample(Compression.parse(compression));
    long entry = indexOffset(p) + AtpLayout.INDEX_PREFIX_SIZE;
    patchInt(p, entry + 12, -2); // uncompressed size 4 GiB - 2
    patchInt(p, entry + 16, Integer.MAX_VALUE); // atom count
    try (AtpReader r = AtpReader.open(p)) {
      assertThatThrownBy(() -> r.get(0)).isInstanceOf(CorruptFileException.class).hasMessageContaining(p.toString());
      assertThatThrownBy(() -> r.readBatch(new long[] {0, 1}, FieldSet.ALL, true)).isInstanceOf(CorruptFileException.class);
    }
  }

  @Test
  void rejectsAtomCountLargerThanTheRecord() throws IOException {
    Path p = sample(Compression.NONE);
    patchInt(p, 8192, 1 << 30);
    try (AtpReader r = AtpReader.open(p)) {
      assertThatThrownBy(() -> r.get(0)).isInstanceOf(CorruptFileException.class)
          .hasMessageContaining("record 0").hasMessageContaining("truncated at positions").hasMessageContaining("at offset 8192");
    }
  }

  @Test
  void rejectsUnknownTypeTags() throws IOException {
    Path p = tmp.resolve("tag.atp");
    try (AtpWriter w = AtpWriter.create(p, Compression.NONE)) {
      w.add(Molecule.of(new float[] {0, 0, 0}, Molecule.atomicNumbers(1)).property("x", new Value.Int64(7)));
    }
    byte[] b = Files.readAllBytes(p);
    // record: n(4) pos(12) z(1) count(2) kind(1) keyLen(1) key(1) tag
    int tagAt = 8192 + 4 + 12 + 1 + 2 + 1 + 1 + 1;
    assertThat(b[tagAt]).isEqualTo((byte) 1);
    b[tagAt] = 99;
    Files.write(p, b);
    try (AtpReader r = AtpReader.open(p)) {
      assertThatThrownBy(() -> r.get(0)).isInstanceOf(CorruptFileException.class).hasMessageContaining("unknown type tag 99");
      assertThat(r.verify(5)).anyMatch(s -> s.contains("unknown type tag 99"));
    }
  }

  @Test
  void rejectsUnsupportedVersionsWithTheirOwnType() throws IOException {
    Path p = sample(Compression.NONE);
    patchInt(p, 4, 3);
    assertThatThrownBy(() -> AtpReader.open(p)).isInstanceOf(UnsupportedFormatVersionException.class)
        .hasMessageContaining("unsupported file format version 3");
    Path q = sample(Compression.LZ4);
    byte[] b = Files.readAllBytes(q);
    // republish slot B (generation 1) with record format 9 and a valid checksum
    HeaderSlot s = HeaderSlot.decode(java.util.Arrays.copyOfRange(b, 4096, 8192), b.length).slot();
    HeaderSlot v9 = new HeaderSlot(s.generation(), s.dataStart(), s.indexOffset(), s.indexLen(), s.numMolecules(),
        s.compressionType(), s.compressionLevel(), 9, s.schemaOffset(), s.schemaLen());
    System.arraycopy(v9.encode(), 0, b, 4096, 4096);
    Files.write(q, b);
    assertThatThrownBy(() -> AtpReader.open(q)).isInstanceOf(UnsupportedFormatVersionException.class)
        .hasMessageContaining("unsupported record format 9");
  }

  @Test
  void rejectsKeysLongerThan255Bytes() throws IOException {
    Molecule m = Molecule.of(new float[] {0, 0, 0}, Molecule.atomicNumbers(1));
    String ok = "k".repeat(255);
    m.property(ok, new Value.Int64(1));
    assertThatThrownBy(() -> m.property("é".repeat(128), new Value.Int64(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("256 UTF-8 bytes");
    Path p = tmp.resolve("keys.atp");
    try (AtpWriter w = AtpWriter.create(p, Compression.NONE)) {
      w.add(m);
    }
    try (AtpReader r = AtpReader.open(p)) {
      assertThat(r.get(0).properties()).containsKey(ok);
    }
  }

  @Test
  void rejectsAnImplausiblyLargeSchemaBlobBeforeReadingIt() throws IOException {
    Path p = sample(Compression.NONE);
    byte[] b = Files.readAllBytes(p);
    HeaderSlot s = HeaderSlot.decode(java.util.Arrays.copyOfRange(b, 4096, 8192), b.length).slot();
    // a 40 MiB file whose header claims the whole of it as schema blob
    long size = 40L << 20;
    HeaderSlot hostile = new HeaderSlot(s.generation(), s.dataStart(), s.indexOffset(), s.indexLen(), s.numMolecules(),
        s.compressionType(), s.compressionLevel(), s.recordFormat(), 8192, size - 8192);
    System.arraycopy(hostile.encode(), 0, b, 4096, 4096);
    Files.write(p, b);
    try (var ch = java.nio.channels.FileChannel.open(p, java.nio.file.StandardOpenOption.WRITE)) {
      ch.truncate(size);
      ch.write(java.nio.ByteBuffer.wrap(new byte[] {0}), size - 1);
    }
    assertThatThrownBy(() -> AtpReader.open(p)).isInstanceOf(CorruptFileException.class)
        .hasMessageContaining("implausibly large").hasMessageContaining(p.toString());
  }
}
