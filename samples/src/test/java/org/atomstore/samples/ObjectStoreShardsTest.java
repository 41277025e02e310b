package org.atomstore.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.atomstore.samples.wds.ShardWriter;
import org.atomstore.samples.wds.WdsDataset;
import org.atomstore.source.ByteSource;
import org.atomstore.source.ObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shards written into and read from an ObjectStore (a minimal directory store here; remote stores share the interface). */
class ObjectStoreShardsTest {
  @TempDir Path dir;

  /** Just enough of a directory store for the shard paths: list, read, write. */
  record DirStore(Path root) implements ObjectStore {
    public String address() { return root.toString(); }

    public List<Entry> list(String prefix) throws IOException {
      try (Stream<Path> s = Files.list(root)) {
        var out = new ArrayList<Entry>();
        for (Path p : s.sorted().toList()) {
          String n = p.getFileName().toString();
          if (n.startsWith(prefix)) out.add(new Entry(n, Files.size(p)));
        }
        return out;
      }
    }

    public Optional<Long> size(String name) throws IOException {
      Path p = root.resolve(name);
      return Files.exists(p) ? Optional.of(Files.size(p)) : Optional.empty();
    }

    public ByteSource open(String name) { throw new UnsupportedOperationException(); }

    public InputStream read(String name) throws IOException { return Files.newInputStream(root.resolve(name)); }

    public void write(String name, Path file) throws IOException { Files.copy(file, root.resolve(name)); }

    public void write(String name, byte[] bytes) throws IOException { Files.write(root.resolve(name), bytes); }

    public void delete(String name) throws IOException { Files.deleteIfExists(root.resolve(name)); }

    public boolean writable() { return true; }

    public void close() {}
  }

  @Test
  void writesShardsIntoAStoreAndReadsThemByPrefix() throws IOException {
    var store = new DirStore(dir);
    var type = SampleType.of(ShardWriterTest.Embedding.class);
    try (var w = ShardWriter.toStore(type, store, "train-%06d.tar", 3, Long.MAX_VALUE)) {
      for (var s : ShardWriterTest.samples(8)) w.write(s);
      w.close();
      assertThat(w.shards()).containsExactly("train-000000.tar", "train-000001.tar", "train-000002.tar");
    }
    var back = WdsDataset.ofPrefix(type, store, "train-").readAll();
    assertThat(back.stream().map(k -> k.sample().id()).toList()).containsExactly("s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7");
    assertThat(back.get(0).shard()).endsWith("train-000000.tar");
  }
}
