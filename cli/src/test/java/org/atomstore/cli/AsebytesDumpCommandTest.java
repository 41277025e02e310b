package org.atomstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code atomstore dump STORE.lmdb} prints what real asebytes 0.3.2 reads from every shared store. */
class AsebytesDumpCommandTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static Path corpus() { return Path.of(System.getProperty("atomstore.shared", "../shared")).resolve("compat/asebytes"); }

  static Stream<Path> stores() throws IOException {
    try (Stream<Path> s = Files.list(corpus())) {
      return s.filter(p -> p.toString().endsWith(".lmdb")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void dumpEqualsWhatAsebytesReads(Path store) throws IOException {
    CliRun run = CliRun.of("dump", store.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    ObjectNode expected = (ObjectNode) JSON.readTree(store.resolveSibling(store.getFileName() + ".expected.json").toFile());
    ObjectNode dump = (ObjectNode) JSON.readTree(run.out());
    expected.remove("produced_by");
    dump.remove("produced_by");
    assertThat((JsonNode) dump).isEqualTo(expected);
  }

  @Test
  void truncatedStoreExitsAsCorruptInputWithNothingOnStdout(@TempDir Path tmp) throws IOException {
    Path copy = tmp.resolve("molecules.lmdb");
    Files.createDirectories(copy.resolve("default"));
    Files.copy(corpus().resolve("molecules.lmdb/default/data.mdb"), copy.resolve("default/data.mdb"));
    try (RandomAccessFile f = new RandomAccessFile(copy.resolve("default/data.mdb").toFile(), "rw")) {
      f.setLength(f.length() / 2);
    }
    CliRun run = CliRun.of("dump", copy.toString());
    assertThat(run.exitCode()).isEqualTo(ExitCodes.CORRUPT_INPUT);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("molecules.lmdb").contains("truncated");
  }
}
