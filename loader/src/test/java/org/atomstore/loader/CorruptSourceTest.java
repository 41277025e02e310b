package org.atomstore.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.atomstore.codec.Compression;
import org.atomstore.loader.sampler.Shuffle;
import org.atomstore.model.Molecule;
import org.atomstore.model.TypeTag;
import org.atomstore.model.Value;
import org.atomstore.store.AtpReader;
import org.atomstore.store.AtpWriter;
import org.atomstore.store.CorruptFileException;
import org.atomstore.store.FieldSet;
import org.atomstore.store.FlatBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A damaged {@code .atp} file behind a loader: the consumer gets the documented exception, with the file named. */
class CorruptSourceTest {
  @TempDir Path tmp;

  /** 40 one-atom records with a float64 property 'x'; record 25's 'x' is rewritten as an int64. */
  private Path typeChangingFile() throws IOException {
    Path p = tmp.resolve("types.atp");
    try (AtpWriter w = AtpWriter.create(p, Compression.NONE)) {
      for (int i = 0; i < 40; i++) w.add(Molecule.of(new float[] {i, 0, 0}, Molecule.atomicNumbers(1)).property("x", new Value.Float64(i)));
    }
    byte[] b = Files.readAllBytes(p);
    int recordSize = 4 + 12 + 1 + 2 + 1 + 1 + 1 + 1 + 4 + 8; // n pos z count | kind keyLen key tag len payload
    int tagAt = 8192 + 25 * recordSize + 4 + 12 + 1 + 2 + 1 + 1 + 1;
    assertThat(b[tagAt]).isEqualTo((byte) TypeTag.FLOAT64);
    b[tagAt] = (byte) TypeTag.INT64;
    Files.write(p, b);
    return p;
  }

  @Test
  void aCorruptRecordReachesTheConsumerAsUncheckedIOExceptionCausedByCorruptFileException() throws IOException {
    Path p = typeChangingFile();
    for (int threads : new int[] {0, 2}) {
      try (AtpReader r = AtpReader.open(p);
          Loader<FlatBatch> loader = Loader.builder(BatchSource.of(r.size(), idx -> r.readBatch(idx, FieldSet.ALL, false)))
              .shuffle(Shuffle.none()).batchSize(10).threads(threads).open()) {
        assertThat(loader.next().data().size()).isEqualTo(10);
        assertThat(loader.next().data().size()).isEqualTo(10);
        assertThatThrownBy(loader::next).isInstanceOf(UncheckedIOException.class)
            .hasCauseInstanceOf(CorruptFileException.class)
            .hasMessageContaining("batch 2").hasMessageContaining("record 25").hasMessageContaining(p.toString());
      }
    }
  }
}
