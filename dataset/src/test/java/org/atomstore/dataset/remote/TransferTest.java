package org.atomstore.dataset.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.atomstore.codec.Compression;
import org.atomstore.dataset.DatasetVerifier;
import org.atomstore.dataset.Manifest;
import org.atomstore.dataset.ShardedWriter;
import org.atomstore.model.Molecule;
import org.atomstore.source.DirectoryObjectStore;
import org.atomstore.store.CorruptFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Publish and pull: shards first, manifest last; resumable; every pulled byte checked before it is placed. */
class TransferTest {
  @TempDir Path tmp;

  static Manifest dataset(Path dir, int n, int perShard) throws IOException {
    try (var w = ShardedWriter.builder(dir).compression(Compression.NONE).maxShardMolecules(perShard).open()) {
      for (int i = 0; i < n; i++) {
        w.add(Molecule.of(new float[] {i, 0, 0, 0, 0, i}, new byte[] {1, 6}).energy((double) i));
      }
      return w.finish();
    }
  }

  /** Counts what the listener hears. */
  static final class Counts implements Transfer.Listener {
    final AtomicLong bytes = new AtomicLong();
    final List<String> moved = java.util.Collections.synchronizedList(new ArrayList<>());
    final List<String> skipped = java.util.Collections.synchronizedList(new ArrayList<>());

    @Override public void bytes(long n) { bytes.addAndGet(n); }

    @Override public void shard(String path, boolean skip) { (skip ? skipped : moved).add(path); }
  }

  @Test
  void publishesShardsThenTheManifestAndPullsThemBack() throws IOException {
    Path src = tmp.resolve("src");
    Manifest m = dataset(src, 50, 10);
    Path store = Files.createDirectories(tmp.resolve("store"));
    Counts up = new Counts();
    Transfer.Result r = Transfer.publish(src, DirectoryObjectStore.open(store), false, 3, up);
    assertThat(r.transferred()).isEqualTo(5);
    assertThat(Files.readAllBytes(store.resolve("manifest.json"))).isEqualTo(Files.readAllBytes(src.resolve("manifest.json")));
    Path dst = tmp.resolve("dst");
    Counts down = new Counts();
    r = Transfer.pull(DirectoryObjectStore.open(store), dst, 3, down);
    assertThat(r.transferred()).isEqualTo(5);
    assertThat(down.bytes.get()).isEqualTo(m.shards().stream().mapToLong(Manifest.Shard::bytes).sum());
    assertThat(DatasetVerifier.verify(dst, true, 10, s -> { })).isEmpty();
    // again: nothing to move
    Counts again = new Counts();
    r = Transfer.pull(DirectoryObjectStore.open(store), dst, 3, again);
    assertThat(r.transferred()).isZero();
    assertThat(again.bytes.get()).isZero();
    assertThat(again.skipped).hasSize(5);
  }

  @Test
  void publishResumeSkipsShardsAlreadyThereWithTheRightBytes() throws IOException {
    Path src = tmp.resolve("src");
    Manifest m = dataset(src, 30, 10);
    Path store = Files.createDirectories(tmp.resolve("store"));
    Transfer.publish(src, DirectoryObjectStore.open(store), false, 2, Transfer.Listener.NONE);
    String second = m.shards().get(1).path();
    byte[] bytes = Files.readAllBytes(store.resolve(second));
    bytes[bytes.length / 2] ^= 1;
    Files.write(store.resolve(second), bytes);
    Files.delete(store.resolve(m.shards().get(2).path()));
    Counts c = new Counts();
    Transfer.Result r = Transfer.publish(src, DirectoryObjectStore.open(store), true, 2, c);
    assertThat(c.skipped).containsExactly(m.shards().get(0).path());
    assertThat(c.moved).containsExactlyInAnyOrder(second, m.shards().get(2).path());
    assertThat(r.transferred()).isEqualTo(2);
    assertThat(DatasetVerifier.verify(store, true, 10, s -> { })).isEmpty();
  }

  @Test
  void pullAfterAnInterruptionTransfersOnlyWhatIsMissing() throws IOException {
    Path src = tmp.resolve("src");
    Manifest m = dataset(src, 40, 10);
    Path dst = tmp.resolve("dst");
    Transfer.pull(DirectoryObjectStore.open(src), dst, 2, Transfer.Listener.NONE);
    // as an interrupted pull leaves it: one shard never arrived, one was half written under its temporary name
    Manifest.Shard lost = m.shards().get(3);
    Files.delete(dst.resolve(lost.path()));
    Files.delete(dst.resolve("manifest.json"));
    Manifest.Shard half = m.shards().get(1);
    Files.move(dst.resolve(half.path()), dst.resolve(half.path() + Transfer.PART_SUFFIX));
    Counts c = new Counts();
    Transfer.pull(DirectoryObjectStore.open(src), dst, 2, c);
    assertThat(c.moved).containsExactlyInAnyOrder(lost.path(), half.path());
    assertThat(c.bytes.get()).isEqualTo(lost.bytes() + half.bytes());
    assertThat(leftovers(dst)).isEmpty();
    assertThat(DatasetVerifier.verify(dst, true, 10, s -> { })).isEmpty();
  }

  @Test
  void aCorruptedByteFailsThePullNamingTheShardAndLeavesNothingUnderItsName() throws IOException {
    Path src = tmp.resolve("src");
    Manifest m = dataset(src, 30, 10);
    Manifest.Shard bad = m.shards().get(2);
    byte[] bytes = Files.readAllBytes(src.resolve(bad.path()));
    bytes[9000 % bytes.length] ^= 0x40;
    Files.write(src.resolve(bad.path()), bytes);
    Path dst = tmp.resolve("dst");
    assertThatThrownBy(() -> Transfer.pull(DirectoryObjectStore.open(src), dst, 2, Transfer.Listener.NONE))
        .isInstanceOf(CorruptFileException.class)
        .hasMessageContaining("shard '" + bad.path() + "'").hasMessageContaining("sha256");
    assertThat(dst.resolve(bad.path())).doesNotExist();
    assertThat(dst.resolve("manifest.json")).doesNotExist();
    assertThat(leftovers(dst)).isEmpty();
  }

  @Test
  void publishRefusesALocalShardThatDoesNotMatchItsManifest() throws IOException {
    Path src = tmp.resolve("src");
    Manifest m = dataset(src, 20, 10);
    byte[] bytes = Files.readAllBytes(src.resolve(m.shards().get(0).path()));
    bytes[bytes.length - 100] ^= 1;
    Files.write(src.resolve(m.shards().get(0).path()), bytes);
    Path store = Files.createDirectories(tmp.resolve("store"));
    assertThatThrownBy(() -> Transfer.publish(src, DirectoryObjectStore.open(store), false, 1, Transfer.Listener.NONE))
        .isInstanceOf(CorruptFileException.class).hasMessageContaining("does not match the manifest");
    assertThat(store.resolve("manifest.json")).doesNotExist();
  }

  @Test
  void publishesAnAtompackDirectoryWithAManifestMadeForIt() throws IOException {
    Path src = tmp.resolve("src");
    Manifest m = dataset(src, 20, 10);
    Files.delete(src.resolve("manifest.json"));
    Path store = Files.createDirectories(tmp.resolve("store"));
    Transfer.Result r = Transfer.publish(src, DirectoryObjectStore.open(store), false, 2, Transfer.Listener.NONE);
    assertThat(r.manifest().shards()).isEqualTo(m.shards());
    assertThat(DatasetVerifier.verify(store, true, 10, s -> { })).isEmpty();
  }

  private static List<Path> leftovers(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(Transfer.PART_SUFFIX)).toList();
    }
  }
}
