package org.atomstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.atomstore.codec.Compression;
import org.atomstore.model.Molecule;
import org.atomstore.model.Value;
import org.atomstore.store.AtpReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicAtpTest {

  @TempDir Path dir;

  private static Molecule molecule(double e) {
    return Molecule.of(new double[] {0, 0, 0}, Molecule.atomicNumbers(1)).property("e", new Value.Float64(e));
  }

  @Test
  void attemptThatGivesUpIsDiscardedAndTheFileIsWrittenAgainFromTheStart() throws Exception {
    Path out = dir.resolve("o.atp");
    long n = AtomicAtp.write(out, Compression.NONE, w -> {
      w.add(molecule(1));
      w.add(molecule(2));
      assertThat(out).doesNotExist();
      return Optional.<Long>empty();
    }, w -> {
      w.add(molecule(3));
      return 1L;
    });
    assertThat(n).isEqualTo(1);
    try (var r = AtpReader.open(out)) {
      assertThat(r.size()).isEqualTo(1);
      assertThat(r.get(0).properties().get("e")).isEqualTo(new Value.Float64(3));
    }
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(out);
    }
  }

  @Test
  void attemptThatCompletesIsKeptAndNothingRunsAgain() throws Exception {
    Path out = dir.resolve("o.atp");
    var again = new AtomicInteger();
    long n = AtomicAtp.write(out, Compression.NONE, w -> {
      w.add(molecule(1));
      return Optional.of(1L);
    }, w -> (long) again.incrementAndGet());
    assertThat(n).isEqualTo(1);
    assertThat(again).hasValue(0);
    try (var r = AtpReader.open(out)) {
      assertThat(r.size()).isEqualTo(1);
    }
  }
}
