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
  void aFileCutShortAfterItsLastCommitIsRefusedNotReadAsAnOlderGeneration() throws IOException {
    Path good = sample(Compression.NONE);
    byte[] original = Files.readAllBytes(good);
    Path bad = tmp.resolve("short.atp");
    for (int len = 0; len < original.length; len += 37) {
      Files.write(bad, java.util.Arrays.copyOf(original, len));
      List<String> problems = readAll(bad);
      assertThat(problems).as("length %d", len).isNotEmpty();
      if (len >= 8192) {
        // slot B (generation 1, 12 molecules) names an index past the end; the reference would fall back to slot A
        // (generation 0, empty) and report 0 molecules as if nothing were lost
        assertThatThrownBy(() -> AtpReader.open(bad)).as("length %d", len).isInstanceOf(LostCommitException.class)
            .hasMessageContaining("committed data missing").hasMessageContaining("slot B (generation 1, 12 molecules)")
            .hasMessageContaining("generation 0").hasMessageContaining(bad.toString());
        assertThatThrownBy(() -> AtpWriter.openForAppend(bad)).isInstanceOf(LostCommitException.class);
      }
    }
  }

  @Test
  void anOlderIntactSlotPointingPastTheEndIsReportedByVerify() throws IOException {
    Path p = tmp.resolve("two.atp");
    try (AtpWriter w = AtpWriter.create(p, Compression.NONE)) {
      w.add(Molecule.of(new float[] {0, 0, 0}, Molecule.atomicNumbers(1)));
      w.flush();
      w.add(Molecule.of(new float[] {1, 1, 1}, Molecule.atomicNumbers(2)));
      w.flush();
    }
    byte[] b = Files.readAllBytes(p);
    // slot B holds generation 1: make it name an index past the end, with a good checksum
    HeaderSlot s = HeaderSlot.decode(java.util.Arrays.copyOfRange(b, 4096, 8192), b.length).slot();
    assertThat(s.generation()).isEqualTo(1);
    HeaderSlot moved = new HeaderSlot(s.generation(), s.dataStart(), b.length, s.indexLen(), s.numMolecules(),
        s.compressionType(), s.compressionLevel(), s.recordFormat(), s.schemaOffset(), s.schemaLen());
    System.arraycopy(moved.encode(), 0, b, 4096, 4096);
    Files.write(p, b);
    try (AtpReader r = AtpReader.open(p)) {
      assertThat(r.size()).isEqualTo(2);
      assertThat(r.verify(10)).singleElement().asString().contains("header slot B (generation 1) is intact but unusable").contains("outside the file");
    }
  }

  @Test
  void recordFormat3WithoutSchemaOpensEmptyAsTheReferenceDoes() throws IOException {
    Path p = tmp.resolve("v3-empty.atp");
    byte[] b = new byte[8192];
    HeaderSlot empty = HeaderSlot.empty(Compression.NONE, 3);
    System.arraycopy(empty.encode(), 0, b, 0, 4096);
    System.arraycopy(empty.encode(), 0, b, 4096, 4096);
    Files.write(p, b);
    try (AtpReader r = AtpReader.open(p)) {
      assertThat(r.size()).isZero();
      assertThat(r.recordFormat()).isEqualTo(3);
      assertThat(r.verify(10)).isEmpty();
      assertThat(r.readBatch(new long[0], FieldSet.ALL, false).size()).isZero();
    }
  }

  @Test
  void recordFormat3WithMoleculesButNoPositionsDtypeIsCorrupt() throws IOException {
    Path p = tmp.resolve("v3.atp");
    try (AtpWriter w = AtpWriter.create(p, Compression.NONE)) {
      w.add(Molecule.of(new double[] {0, 0, 0}, Molecule.atomicNumbers(1)));
    }
    byte[] b = Files.readAllBytes(p);
    HeaderSlot s = HeaderSlot.decode(java.util.Arrays.copyOfRange(b, 4096, 8192), b.length).slot();
    assertThat(s.recordFormat()).isEqualTo(3);
    HeaderSlot noSchema = new HeaderSlot(s.generation(), s.dataStart(), s.indexOffset(), s.indexLen(), s.numMolecules(),
        s.compressionType(), s.compressionLevel(), s.recordFormat(), 0, 0);
    System.arraycopy(noSchema.encode(), 0, b, 4096, 4096);
    Files.write(p, b);
    assertThatThrownBy(() -> AtpReader.open(p)).isInstanceOf(CorruptFileException.class)
        .hasMessageContaining("missing positions dtype").hasMessageContaining(p.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"none", "zstd:3", "lz4"})
  void anIndexEntryClaimingMillionsOfAtomsForATinyRecordIsRefusedBeforeAllocating(String compression) throws IOException {
    Path p = tmp.resolve("claims.atp");
    try (AtpWriter w = AtpWriter.create(p, Compression.parse(compression))) {
      for (int i = 0; i < 3; i++) w.add(Molecule.of(new float[] {0, 0, 0, 1, 1, 1}, Molecule.atomicNumbers(1, 8)).energy(i));
    }
    long entry = indexOffset(p) + AtpLayout.INDEX_PREFIX_SIZE + AtpLayout.INDEX_ENTRY_SIZE;
    patchInt(p, entry + 16, 89_478_485); // as many atoms as fit Integer.MAX_VALUE / 24
    try (AtpReader r = AtpReader.open(p)) {
      for (boolean f64 : new boolean[] {false, true}) {
        assertThatThrownBy(() -> r.readBatch(new long[] {0, 1, 2}, FieldSet.ALL, f64)).isInstanceOf(CorruptFileException.class)
            .hasMessageContaining("89478485 atoms").hasMessageContaining("record 1").hasMessageContaining(p.toString());
      }
      assertThatThrownBy(() -> r.get(1)).isInstanceOf(CorruptFileException.class).hasMessageContaining(p.toString());
      assertThat(r.readBatch(new long[] {0, 2}, FieldSet.ALL, false).totalAtoms()).isEqualTo(4);
      assertThatThrownBy(() -> r.atomCount(1)).isInstanceOf(CorruptFileException.class).hasMessageContaining("89478485 atoms");
      assertThat(r.atomCount(2)).isEqualTo(2);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"zstd:3", "lz4"})
  void compressedRecordsClaimingHugeDecodedSizesAreConfirmedBeforeABigAllocation(String compression) throws IOException {
    Path p = tmp.resolve("bomb.atp");
    try (AtpWriter w = AtpWriter.create(p, Compression.parse(compression))) {
      for (int i = 0; i < 64; i++) w.add(Molecule.of(new float[3 * 200], new byte[200]).energy(i));
    }
    // every entry claims as many atoms as its compressed bytes could expand to: far more than a 256 MiB heap holds
    long first = indexOffset(p) + AtpLayout.INDEX_PREFIX_SIZE;
    byte[] b = Files.readAllBytes(p);
    ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 64; i++) {
      int e = (int) first + i * AtpLayout.INDEX_ENTRY_SIZE;
      long csize = Integer.toUnsignedLong(bb.getInt(e + 8));
      long usize = Math.min(AtpReader.MAX_RECORD_BYTES, csize * (compression.startsWith("zstd") ? 32768 : 256));
      bb.putInt(e + 12, (int) usize);
      bb.putInt(e + 16, (int) ((usize - 6) / 13));
    }
    Files.write(p, b);
    long[] all = java.util.stream.LongStream.range(0, 64).toArray();
    try (AtpReader r = AtpReader.open(p)) {
      assertThatThrownBy(() -> r.readBatch(all, FieldSet.ALL, true)).isInstanceOf(CorruptFileException.class)
          .hasMessageContaining("record 0").hasMessageContaining(p.toString());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"zstd:3", "lz4"})
  void damagedCompressedPayloadsNameTheFileAndRecord(String compression) throws IOException {
    Path p = tmp.resolve("damaged.atp");
    try (AtpWriter w = AtpWriter.create(p, Compression.parse(compression))) {
      for (int i = 0; i < 4; i++) {
        float[] pos = new float[300];
        for (int k = 0; k < pos.length; k++) pos[k] = (i * 31 + k * 7) % 13;
        w.add(Molecule.of(pos, new byte[100]).energy(i));
      }
    }
    long entry = indexOffset(p) + AtpLayout.INDEX_PREFIX_SIZE + 2 * AtpLayout.INDEX_ENTRY_SIZE;
    byte[] b = Files.readAllBytes(p);
    ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    int off = (int) bb.getLong((int) entry);
    int csize = bb.getInt((int) entry + 8);
    for (int k = csize / 3; k < csize; k++) b[off + k] = (byte) 0xFF;
    Files.write(p, b);
    try (AtpReader r = AtpReader.open(p)) {
      assertThat(r.get(1).energy()).isNotNull();
      for (var read : List.<org.junit.jupiter.api.function.Executable>of(() -> r.get(2), () -> r.get(2, FieldSet.of("energy")),
          () -> r.get(new long[] {0, 1, 2, 3}), () -> r.readBatch(new long[] {3, 2}, FieldSet.ALL, false))) {
        CorruptFileException e = org.junit.jupiter.api.Assertions.assertThrows(CorruptFileException.class, read);
        assertThat(e.getMessage()).contains("record 2").contains(p.toString());
      }
      assertThat(r.verify(10)).anyMatch(s -> s.contains("record 2"));
    }
  }

  /** Two records whose property 'x' is float64 in one and int64 in the other (the schema lock forbids it). */
  static Path typeChangingFile(Path p) throws IOException {
    try (AtpWriter w = AtpWriter.create(p, Compression.NONE)) {
      for (int i = 0; i < 2; i++) w.add(Molecule.of(new float[] {0, 0, 0}, Molecule.atomicNumbers(1)).property("x", new Value.Float64(i)));
    }
    byte[] b = Files.readAllBytes(p);
    int recordSize = 4 + 12 + 1 + 2 + 1 + 1 + 1 + 1 + 4 + 8;
    int tagAt = 8192 + recordSize + 4 + 12 + 1 + 2 + 1 + 1 + 1; // record 1: n pos z count kind keyLen key | tag
    assertThat(b[tagAt]).isEqualTo((byte) org.atomstore.model.TypeTag.FLOAT64);
    b[tagAt] = (byte) org.atomstore.model.TypeTag.INT64;
    Files.write(p, b);
    return p;
  }

  @Test
  void aCustomFieldThatChangesTypeWithinABatchIsCorruptNotAnIllegalArgument() throws IOException {
    Path p = typeChangingFile(tmp.resolve("types.atp"));
    try (AtpReader r = AtpReader.open(p)) {
      assertThat(r.get(1).properties().get("x")).isEqualTo(new Value.Int64(Double.doubleToRawLongBits(1.0)));
      assertThat(r.verify(10)).anyMatch(s -> s.contains("record 1") && s.contains("schema mismatch"));
      for (FieldSet fields : List.of(FieldSet.ALL, FieldSet.of("x"))) {
        assertThatThrownBy(() -> r.readBatch(new long[] {0, 1}, fields, false)).isInstanceOf(CorruptFileException.class)
            .hasMessageContaining("record 1").hasMessageContaining("'x' changes type within the batch").hasMessageContaining(p.toString());
      }
      assertThat(r.readBatch(new long[] {1, 1}, FieldSet.ALL, false).custom("x").data()).isEqualTo(new long[] {4607182418800017408L, 4607182418800017408L});
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
