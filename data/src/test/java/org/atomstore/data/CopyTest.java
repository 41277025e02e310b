package org.atomstore.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.atomstore.codec.Compression;
import org.atomstore.dataset.ShardedDataset;
import org.atomstore.io.extxyz.ExtxyzReader;
import org.atomstore.model.Molecule;
import org.atomstore.model.Value;
import org.atomstore.store.AtpReader;
import org.atomstore.store.AtpWriter;
import org.atomstore.store.CorruptFileException;
import org.atomstore.store.FieldSet;
import org.atomstore.store.FlatBatch;
import org.atomstore.table.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CopyTest {
  @TempDir Path dir;

  static Molecule molecule(long i) {
    int n = (int) (i % 4) + 1;
    float[] pos = new float[3 * n];
    byte[] z = new byte[n];
    for (int a = 0; a < n; a++) {
      z[a] = (byte) (1 + (i + a) % 50);
      for (int d = 0; d < 3; d++) pos[3 * a + d] = i + a * 0.5f + d * 0.125f;
    }
    return Molecule.of(pos, z).energy(-1.5 * i).cell(new double[] {3, 0, 0, 0, 3, 0, 0, 0, 3}).pbc(true, true, false)
        .property("tag", new Value.Float64(i));
  }

  /** A molecule without the "tag" property. */
  static Molecule plain(long i) {
    return Molecule.of(new float[] {i, 0, 0}, Molecule.atomicNumbers(6)).energy(i);
  }

  private Path write(String name, long from, long to, Compression c) throws IOException {
    Path p = dir.resolve(name);
    try (AtpWriter w = AtpWriter.create(p, c)) {
      for (long i = from; i < to; i++) w.add(molecule(i));
    }
    return p;
  }

  private static List<Molecule> all(Table t) throws IOException {
    List<Molecule> out = new ArrayList<>();
    for (long i = 0; i < t.size(); i++) out.add(t.get(i));
    return out;
  }

  private static List<Molecule> expected(long from, long to) {
    List<Molecule> out = new ArrayList<>();
    for (long i = from; i < to; i++) out.add(molecule(i));
    return out;
  }

  @Test
  void copiesAtpRecordsAsStoredGivingTheFileADecodedCopyWouldGive() throws IOException {
    Path a = write("a.atp", 0, 1500, Compression.NONE);
    Path b = write("b.atp", 1500, 1700, Compression.NONE);
    Path both = write("both.atp", 0, 1700, Compression.NONE);
    Path out = dir.resolve("out.atp");
    Copy.Result r;
    try (AtpReader ra = AtpReader.open(a); AtpReader rb = AtpReader.open(b)) {
      r = Copy.run(List.of(ra, rb), new Copy.Destination.AtpFile(out, Compression.NONE), Copy.OnError.STOP, Copy.QUIET);
    }
    assertThat(r).isEqualTo(new Copy.Result(1700, 0, 1700));
    // the same records in the same order, committed once: the very bytes of one file written in one go
    assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(both));
  }

  @Test
  void aDamagedRecordIsNotCopiedAsStored() throws IOException {
    Path a = write("a.atp", 0, 20, Compression.NONE);
    long at;
    try (AtpReader r = AtpReader.open(a)) {
      at = r.indexEntry(5).offset();
    }
    try (var ch = java.nio.channels.FileChannel.open(a, java.nio.file.StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(new byte[] {(byte) 0xff, (byte) 0xff, 0, 0}), at); // atom count 65535
    }
    Path out = dir.resolve("out.atp");
    try (AtpReader ra = AtpReader.open(a)) {
      assertThatThrownBy(() -> Copy.run(List.of(ra), new Copy.Destination.AtpFile(out, Compression.NONE), Copy.OnError.STOP, Copy.QUIET))
          .isInstanceOf(CorruptFileException.class).hasMessageContaining("a.atp").hasMessageContaining("record 5");
    }
    assertThat(out).doesNotExist();
  }

  @Test
  void copiesCompressedRecordsWithoutRecompressing() throws IOException {
    Path a = write("a.atp", 0, 300, Compression.zstd(3));
    Path out = dir.resolve("out.atp");
    try (AtpReader ra = AtpReader.open(a)) {
      Copy.Result r = Copy.run(List.of(ra), new Copy.Destination.AtpFile(out, Compression.zstd(3)), Copy.OnError.STOP, Copy.QUIET);
      assertThat(r.copiedAsStored()).isEqualTo(300);
      try (AtpReader ro = AtpReader.open(out)) {
        assertThat(ro.compression()).isEqualTo(Compression.zstd(3));
        for (long i = 0; i < 300; i++) {
          assertThat(ro.indexEntry(i).compressedSize()).isEqualTo(ra.indexEntry(i).compressedSize());
        }
        assertThat(all(ro)).isEqualTo(expected(0, 300));
        assertThat(ro.verify(10)).isEmpty();
      }
    }
  }

  @Test
  void decodesWhenTheCompressionDiffersAndCopiesShardsOfADataset() throws IOException {
    Path ds = dir.resolve("ds");
    try (var w = org.atomstore.dataset.ShardedWriter.builder(ds).compression(Compression.LZ4).maxShardMolecules(7).open()) {
      for (long i = 0; i < 50; i++) w.add(molecule(i));
      w.finish();
    }
    Path out = dir.resolve("sub/out.atp");
    try (ShardedDataset d = ShardedDataset.open(ds)) {
      Copy.Result r = Copy.run(List.of(d), new Copy.Destination.AtpFile(out, Compression.NONE), Copy.OnError.STOP, Copy.QUIET);
      assertThat(r).isEqualTo(new Copy.Result(50, 0, 0));
    }
    Path out2 = dir.resolve("out2.atp");
    try (ShardedDataset d = ShardedDataset.open(ds)) {
      assertThat(Copy.run(List.of(d), new Copy.Destination.AtpFile(out2, Compression.LZ4), Copy.OnError.STOP, Copy.QUIET)
          .copiedAsStored()).isEqualTo(50);
    }
    try (AtpReader r1 = AtpReader.open(out); AtpReader r2 = AtpReader.open(out2)) {
      assertThat(all(r1)).isEqualTo(expected(0, 50));
      assertThat(all(r2)).isEqualTo(expected(0, 50));
    }
  }

  @Test
  void aKeyThatChangesTypeStopsTheCopyNamingTheRowAndPublishesNothing() throws IOException {
    Path a = write("a.atp", 0, 10, Compression.NONE);
    Path b = dir.resolve("b.atp");
    try (AtpWriter w = AtpWriter.create(b, Compression.NONE)) {
      w.add(plain(10));
      w.add(Molecule.of(new float[3], Molecule.atomicNumbers(1)).property("tag", new Value.Text("seven")));
      w.add(plain(12));
    }
    Path out = dir.resolve("out.atp");
    try (AtpReader ra = AtpReader.open(a); AtpReader rb = AtpReader.open(b)) {
      assertThatThrownBy(() -> Copy.run(List.of(ra, rb), new Copy.Destination.AtpFile(out, Compression.NONE),
          Copy.OnError.STOP, Copy.QUIET))
          .isInstanceOf(CorruptFileException.class).hasMessageContaining("row 1").hasMessageContaining("b.atp")
          .hasMessageContaining("tag");
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("a.atp", "b.atp");
    }
  }

  @Test
  void skipsRowsThatCannotBeStoredAndCountsThem() throws IOException {
    Path a = write("a.atp", 0, 10, Compression.NONE);
    Path b = dir.resolve("b.atp");
    try (AtpWriter w = AtpWriter.create(b, Compression.NONE)) {
      w.add(plain(10));
      w.add(Molecule.of(new float[3], Molecule.atomicNumbers(1)).property("tag", new Value.Text("seven")));
      w.add(plain(12));
    }
    Path out = dir.resolve("out.atp");
    List<String> told = new ArrayList<>();
    long[] advanced = {0};
    Copy.Listener l = new Copy.Listener() {
      @Override public void advanced(long rows) { advanced[0] += rows; }
      @Override public void skipped(Table source, long index, String problem) { told.add(source.source() + "#" + index); }
    };
    try (AtpReader ra = AtpReader.open(a); AtpReader rb = AtpReader.open(b)) {
      Copy.Result r = Copy.run(List.of(ra, rb), new Copy.Destination.AtpFile(out, Compression.zstd(1)), Copy.OnError.SKIP, l);
      assertThat(r.copied()).isEqualTo(12);
      assertThat(r.skipped()).isEqualTo(1);
    }
    assertThat(told).containsExactly(b + "#1");
    assertThat(advanced[0]).isEqualTo(13);
    try (AtpReader ro = AtpReader.open(out)) {
      List<Molecule> want = expected(0, 10);
      want.add(plain(10));
      want.add(plain(12));
      assertThat(all(ro)).isEqualTo(want);
    }
  }

  /** Rows 0..n-1 of {@link #molecule}, row {@code placeholder} a placeholder, row {@code broken} unreadable. */
  private record FakeTable(long n, long placeholder, long broken) implements Table {
    @Override public String source() { return "fake://table"; }
    @Override public long size() { return n; }
    @Override public Molecule get(long index, FieldSet fields) throws IOException {
      if (index == broken) throw new CorruptFileException(Path.of("fake://table"), -1, "row " + index + " is damaged");
      return index == placeholder ? null : molecule(index);
    }
    @Override public FlatBatch readBatch(long[] indices, FieldSet fields, boolean float64) { throw new UnsupportedOperationException(); }
    @Override public void close() {}
  }

  @Test
  void placeholdersAndUnreadableRowsFollowThePolicy() throws IOException {
    Path out = dir.resolve("out.atp");
    Table t = new FakeTable(2000, 5, 1500);
    assertThatThrownBy(() -> Copy.run(List.of(t), new Copy.Destination.AtpFile(out, Compression.NONE), Copy.OnError.STOP, Copy.QUIET))
        .isInstanceOf(CorruptFileException.class).hasMessageContaining("row 5").hasMessageContaining("placeholder");
    assertThat(out).doesNotExist();
    assertThat(Copy.temporaryName(out)).doesNotExist();

    Copy.Result r = Copy.run(List.of(t), new Copy.Destination.AtpFile(out, Compression.NONE), Copy.OnError.SKIP, Copy.QUIET);
    assertThat(r).isEqualTo(new Copy.Result(1998, 2, 0));
    try (AtpReader ro = AtpReader.open(out)) {
      assertThat(ro.size()).isEqualTo(1998);
      assertThat(ro.get(5)).isEqualTo(molecule(6));
      assertThat(ro.get(1498)).isEqualTo(molecule(1499));
      assertThat(ro.get(1499)).isEqualTo(molecule(1501));
    }
  }

  @Test
  void aFailedCopyLeavesAnExistingOutputAsItWas() throws IOException {
    Path out = write("out.atp", 0, 3, Compression.NONE);
    byte[] before = Files.readAllBytes(out);
    Table t = new FakeTable(100, -1, 50);
    assertThatThrownBy(() -> Copy.run(List.of(t), new Copy.Destination.AtpFile(out, Compression.NONE), Copy.OnError.STOP, Copy.QUIET))
        .isInstanceOf(CorruptFileException.class).hasMessageContaining("row 50");
    assertThat(Files.readAllBytes(out)).isEqualTo(before);
    assertThat(Copy.temporaryName(out)).doesNotExist();
  }

  @Test
  void writesADatasetAndExtendedXyz() throws IOException {
    Path a = write("a.atp", 0, 40, Compression.NONE);
    Path ds = dir.resolve("ds");
    Path xyz = dir.resolve("x/out.extxyz");
    try (AtpReader ra = AtpReader.open(a)) {
      assertThat(Copy.run(List.of(ra), new Copy.Destination.Dataset(ds, Compression.NONE, 1L << 30, 16),
          Copy.OnError.STOP, Copy.QUIET).copied()).isEqualTo(40);
      assertThat(Copy.run(List.of(ra), new Copy.Destination.Extxyz(xyz), Copy.OnError.STOP, Copy.QUIET).copied()).isEqualTo(40);
    }
    try (ShardedDataset d = ShardedDataset.open(ds)) {
      assertThat(d.shardCount()).isEqualTo(3);
      assertThat(all(d)).isEqualTo(expected(0, 40));
    }
    try (ExtxyzReader r = ExtxyzReader.open(xyz)) {
      long frames = 0;
      for (var atoms : r) {
        assertThat(atoms.natoms()).isEqualTo((int) (frames % 4) + 1);
        frames++;
      }
      assertThat(frames).isEqualTo(40);
    }
  }

  @Test
  void writesAnAsebytesStoreThatReadsBackAsTheSameStructuresAndRefusesToReplaceOne() throws IOException {
    Path a = write("a.atp", 0, 1100, Compression.NONE);
    Path store = dir.resolve("out.lmdb");
    try (AtpReader ra = AtpReader.open(a)) {
      Copy.Result r = Copy.run(List.of(ra), new Copy.Destination.AsebytesStore(store, "default"), Copy.OnError.STOP, Copy.QUIET);
      assertThat(r.copied()).isEqualTo(1100);
      assertThatThrownBy(() -> Copy.run(List.of(ra), new Copy.Destination.AsebytesStore(store, "default"),
          Copy.OnError.STOP, Copy.QUIET)).isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
    }
    assertThat(Copy.temporaryName(store)).doesNotExist();
    assertThat(org.atomstore.data.lmdb.AsebytesLmdb.listGroups(store)).containsExactly("default");
    try (MoleculeTable t = Tiers.molecules(org.atomstore.data.lmdb.AsebytesLmdb.openObjects(store, "default",
        org.atomstore.data.lmdb.AsebytesLmdb.Mode.READ_ONLY))) {
      assertThat(t.size()).isEqualTo(1100);
      for (long i : new long[] {0, 1, 517, 1099}) {
        Molecule want = org.atomstore.io.mapping.AseMapping.toMolecule(org.atomstore.io.mapping.AseMapping.fromMolecule(molecule(i)),
            org.atomstore.io.mapping.AseMapping.Precision.FLOAT64).molecule();
        assertThat(t.get(i)).isEqualTo(want);
      }
    }
  }

  @Test
  void choosesAFileDestinationByExtension() {
    assertThat(Copy.fileDestination(Path.of("a/b.ATP"), Compression.LZ4))
        .contains(new Copy.Destination.AtpFile(Path.of("a/b.ATP"), Compression.LZ4));
    assertThat(Copy.fileDestination(Path.of("b.extxyz"), Compression.NONE)).contains(new Copy.Destination.Extxyz(Path.of("b.extxyz")));
    assertThat(Copy.fileDestination(Path.of("b.lmdb"), Compression.NONE))
        .contains(new Copy.Destination.AsebytesStore(Path.of("b.lmdb"), "default"));
    assertThat(Copy.fileDestination(Path.of("b.json"), Compression.NONE)).isEmpty();
  }
}
