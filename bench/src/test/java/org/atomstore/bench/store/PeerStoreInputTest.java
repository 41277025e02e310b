package org.atomstore.bench.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.atomstore.bench.BenchMolecule;
import org.atomstore.bench.DatasetSpec;
import org.atomstore.bench.MoleculeBatch;
import org.atomstore.bench.SyntheticMolecules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The peer stores' own decoders refuse damaged input with an IOException that says where. */
class PeerStoreInputTest {

  @TempDir Path tmp;

  @Test
  void packedRecordRoundTripsAndRejectsAWrongLength() throws IOException {
    MoleculeBatch b = SyntheticMolecules.batch(3, 2, 5, true, true);
    ByteBuffer buf = ByteBuffer.allocate(PackedRecord.size(5, true, true));
    PackedRecord.encode(b, 1, buf);
    buf.flip();
    assertThat(PackedRecord.decode(buf.duplicate(), "t")).isEqualTo(b.molecule(1));
    assertThat(PackedRecord.decodeEnergy(buf.duplicate(), "t")).isEqualTo(b.energy()[1]);

    ByteBuffer cut = buf.duplicate().limit(buf.limit() - 1);
    assertThatThrownBy(() -> PackedRecord.decode(cut, "key 4")).isInstanceOf(IOException.class)
        .hasMessageContaining("key 4").hasMessageContaining("length");
    ByteBuffer notARecord = ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
    assertThatThrownBy(() -> PackedRecord.decode(notARecord, "key 9")).isInstanceOf(IOException.class)
        .hasMessageContaining("key 9");
  }

  @Test
  void extxyzReportsFileAndLineOfATruncatedFrame() throws IOException {
    var spec = new DatasetSpec(3, 4, true, false);
    Path dir = tmp.resolve("xyz");
    try (var store = new ExtxyzStore(dir, spec)) {
      store.write(SyntheticMolecules.batch(0, 3, 4, true, false));
      store.commit();
    }
    Path file = dir.resolve("molecules.extxyz");
    var lines = Files.readAllLines(file);
    Files.write(file, lines.subList(0, lines.size() - 2)); // last frame loses two atoms

    try (var store = new ExtxyzStore(dir, spec)) {
      assertThatThrownBy(() -> store.readSequential((i, m) -> {})).isInstanceOf(IOException.class)
          .hasMessageContaining(file.toString()).hasMessageContaining("ends inside a frame");
      assertThatThrownBy(() -> store.readShuffled(new long[] {0}, 0, 1, (i, m) -> {}))
          .isInstanceOf(IOException.class).hasMessageContaining(file + ":");
    }
  }

  @Test
  void extxyzCommentParserKeepsQuotedValuesWhole() {
    var info = ExtxyzStore.Comment.parse("Properties=species:S:1:pos:R:3 energy=-1.5 eigenvalues=\"1.0 2.0\" pbc=\"F F F\" flag");
    assertThat(info).containsEntry("energy", "-1.5").containsEntry("eigenvalues", "1.0 2.0")
        .containsEntry("pbc", "F F F").containsEntry("flag", "T");
  }

  @Test
  void everyStoreClosesTwiceAndRefusesUseAfterClose() throws IOException {
    var spec = new DatasetSpec(2, 2, false, false);
    for (String id : Stores.ALL) {
      var store = Stores.create(id, tmp.resolve(id.replace(':', '_')), spec);
      store.write(SyntheticMolecules.batch(0, 2, 2, false, false));
      store.commit();
      BenchMolecule[] seen = new BenchMolecule[2];
      store.readSequential((i, m) -> seen[(int) i] = m);
      assertThat(seen[1]).as(id).isEqualTo(SyntheticMolecules.molecule(1, 2, false, false));
      store.close();
      store.close();
      assertThatThrownBy(() -> store.readShuffled(new long[] {0}, 0, 1, (i, m) -> {})).as(id)
          .isInstanceOf(IllegalStateException.class);
    }
  }
}
