package org.atomstore.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileNotFoundException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.atomstore.remote.testing.RangeHttpServer;
import org.atomstore.source.ByteSource;
import org.atomstore.source.ObjectStore.Entry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpObjectStoreTest {

  @TempDir Path dir;

  @Test
  void readsBlobsAndListsOnlyWhatItWasGiven() throws Exception {
    byte[] data = new byte[20_000];
    new Random(3).nextBytes(data);
    Files.createDirectories(dir.resolve("set/shards"));
    Files.write(dir.resolve("set/shards/part 0.atp"), data);
    Files.writeString(dir.resolve("set/manifest.json"), "{}");
    try (RangeHttpServer server = RangeHttpServer.serve(dir)) {
      server.faults().failNext(1, 503);
      HttpObjectStore store = HttpObjectStore.open(server.uri("set"), HttpByteSourceTest.FAST);
      assertThat(store.address()).isEqualTo(server.uri("set") + "/");
      assertThat(store.writable()).isFalse();
      assertThat(store.listable()).isFalse();
      assertThatThrownBy(() -> store.list("")).isInstanceOf(UnsupportedOperationException.class)
          .hasMessageContaining("no directory listing").hasMessageContaining(store.address());
      assertThat(store.size("shards/part 0.atp")).contains(20_000L);
      assertThat(store.size("shards/none.atp")).isEmpty();
      try (InputStream in = store.read("manifest.json")) {
        assertThat(in.readAllBytes()).isEqualTo("{}".getBytes());
      }
      try (ByteSource s = store.open("shards/part 0.atp")) {
        byte[] out = new byte[10];
        s.read(19_990, MemorySegment.ofArray(out));
        assertThat(out).isEqualTo(java.util.Arrays.copyOfRange(data, 19_990, 20_000));
      }
      assertThatThrownBy(() -> store.open("nope")).isInstanceOf(FileNotFoundException.class)
          .hasMessageContaining(store.address() + "nope");
      assertThatThrownBy(() -> store.open("../set/manifest.json")).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> store.write("x", new byte[1])).isInstanceOf(UnsupportedOperationException.class)
          .hasMessageContaining("read-only");
      assertThatThrownBy(() -> store.delete("x")).isInstanceOf(UnsupportedOperationException.class);

      HttpObjectStore listed = store.withListing(List.of(new Entry("shards/part 0.atp", 20_000), new Entry("manifest.json", 2)));
      assertThat(listed.listable()).isTrue();
      assertThat(listed.list("")).extracting(Entry::name).containsExactly("manifest.json", "shards/part 0.atp");
      assertThat(listed.list("shards/")).extracting(Entry::name).containsExactly("shards/part 0.atp");
    }
  }
}
