package org.atomstore.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.atomstore.codec.Compression;
import org.atomstore.model.Molecule;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Compatibility with the files written by the reference Atompack 0.4.0. */
class GoldenCompatTest {
  @TempDir Path tmp;

  static Stream<Path> goldenFiles() throws IOException {
    return Golden.atpFiles().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldenFiles")
  void readsEveryMoleculeAsTheReferenceDoes(Path atp) throws IOException {
    JsonNode dump = Golden.dump(atp);
    if (dump.has("open_error")) {
      assertThatThrownBy(() -> AtpReader.open(atp)).isInstanceOf(CorruptFileException.class)
          .hasMessageContaining(atp.toString());
      return;
    }
    try (AtpReader r = AtpReader.open(atp)) {
      JsonNode h = dump.get("header");
      assertThat(r.size()).isEqualTo(h.get("num_molecules").asLong());
      assertThat(r.compression().kindName()).isEqualTo(h.get("compression").asText());
      assertThat(r.compression().level()).isEqualTo(h.get("compression_level").asInt());
      assertThat(r.recordFormat()).isEqualTo(h.get("record_format").asInt());
      List<Molecule> expected = Golden.molecules(dump);
      for (int i = 0; i < expected.size(); i++) {
        assertThat(r.get(i)).as("molecule %d", i).isEqualTo(expected.get(i));
        JsonNode e = dump.get("molecules").get(i).get("index_entry");
        assertThat(r.indexEntry(i)).isEqualTo(new AtpReader.IndexEntry(e.get("offset").asLong(),
            e.get("compressed_size").asLong(), e.get("uncompressed_size").asLong(), e.get("num_atoms").asLong()));
      }
      assertThat(r.verify(10)).isEmpty();
    }
  }

  /** Cumulative molecule counts at each flush, and where a reopen happened, for the multi-flush files. */
  private static final Map<String, int[]> FLUSHES = Map.of(
      "state_two_flushes_same_handle__none.atp", new int[] {2, 5},
      "state_reopen_append_three_flushes__none.atp", new int[] {2, -5, -6},
      "state_empty_flushed__none.atp", new int[] {0},
      "state_empty_created_never_flushed__none.atp", new int[] {});

  static Stream<Path> uncompressedFiles() throws IOException {
    return Golden.atpFiles().stream().filter(p -> p.getFileName().toString().endsWith("__none.atp"))
        .filter(p -> !p.getFileName().toString().startsWith("state_corrupt"))
        .filter(p -> !p.getFileName().toString().startsWith("state_uncommitted"))
        .filter(p -> !p.getFileName().toString().startsWith("state_never_flushed"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("uncompressedFiles")
  void writesByteIdenticalFilesWithoutCompression(Path atp) throws IOException {
    List<Molecule> mols = Golden.molecules(Golden.dump(atp));
    int[] flushes = FLUSHES.getOrDefault(atp.getFileName().toString(), new int[] {mols.size()});
    Path out = tmp.resolve("out.atp");
    AtpWriter w = AtpWriter.create(out, Compression.NONE);
    int done = 0;
    for (int f : flushes) {
      if (f < 0) { // reopen before this flush
        w.close();
        w = AtpWriter.openForAppend(out);
        f = -f;
      }
      w.addAll(mols.subList(done, f));
      done = f;
      w.flush();
    }
    w.close();
    assertSameBytes(Files.readAllBytes(out), Files.readAllBytes(atp));
  }

  static Stream<Path> compressedFiles() throws IOException {
    return Golden.atpFiles().stream().filter(p -> !p.getFileName().toString().endsWith("__none.atp"))
        .filter(p -> p.getFileName().toString().matches("(builtins|custom|minimal|mixed|variable|edge).*"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("compressedFiles")
  void rewritesCompressedFilesWithIdenticalRecords(Path atp) throws IOException {
    Path out = tmp.resolve("out.atp");
    List<byte[]> expected;
    try (AtpReader r = AtpReader.open(atp); AtpWriter w = AtpWriter.create(out, r.compression())) {
      for (long i = 0; i < r.size(); i++) w.add(r.get(i));
      w.flush();
      expected = records(r);
    }
    try (AtpReader r = AtpReader.open(out)) {
      assertThat(r.compression()).isEqualTo(AtpReader.open(atp).compression());
      List<byte[]> actual = records(r);
      assertThat(actual).hasSameSizeAs(expected);
      for (int i = 0; i < actual.size(); i++) assertSameBytes(actual.get(i), expected.get(i));
    }
  }

  private static List<byte[]> records(AtpReader r) throws IOException {
    AtpReader.Scratch s = new AtpReader.Scratch(r.compression());
    List<byte[]> out = new java.util.ArrayList<>();
    for (long i = 0; i < r.size(); i++) out.add(r.record(i, s).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldenFiles")
  void uncommittedTailsAreInvisibleAndCutOnAppend(Path atp) throws IOException {
    String name = atp.getFileName().toString();
    if (!name.startsWith("state_uncommitted") && !name.startsWith("state_never_flushed")) return;
    JsonNode raw = Golden.dump(atp).get("raw");
    long committedEnd = raw.get("committed_end").asLong();
    assertThat(raw.get("bytes_after_committed_end").asLong()).isPositive();
    Path copy = tmp.resolve(name);
    Files.copy(atp, copy);
    try (AtpReader r = AtpReader.open(copy)) {
      assertThat(r.header().uncommittedBytes()).isEqualTo(raw.get("bytes_after_committed_end").asLong());
    }
    long before;
    try (AtpWriter w = AtpWriter.openForAppend(copy)) {
      before = w.size();
      w.add(Molecule.of(new float[] {1, 2, 3}, Molecule.atomicNumbers(8)));
      w.flush();
    }
    byte[] bytes = Files.readAllBytes(copy);
    // the committed records, schema and index stay as they were; the tail was replaced by the new record
    assertSameBytes(Arrays.copyOfRange(bytes, 8192, (int) committedEnd), Arrays.copyOfRange(Files.readAllBytes(atp), 8192, (int) committedEnd));
    try (AtpReader r = AtpReader.open(copy)) {
      assertThat(r.size()).isEqualTo(before + 1);
      assertThat(r.indexEntry(before).offset()).isEqualTo(committedEnd);
      assertThat(r.verify(10)).isEmpty();
    }
  }

  static void assertSameBytes(byte[] actual, byte[] expected) {
    int n = Math.min(actual.length, expected.length);
    int i = Arrays.mismatch(actual, expected);
    if (i < 0) return;
    throw new AssertionError("bytes differ at offset " + i + " (lengths " + actual.length + " vs expected " + expected.length + "): got "
        + Arrays.toString(Arrays.copyOfRange(actual, Math.max(0, i - 8), Math.min(actual.length, i + 24))) + " expected "
        + Arrays.toString(Arrays.copyOfRange(expected, Math.max(0, i - 8), Math.min(expected.length, i + 24))) + " n=" + n);
  }
}
