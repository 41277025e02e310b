package org.atomstore.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DirectoryObjectStoreTest {

  @TempDir Path dir;

  @Test
  void writesListsReadsAndDeletes() throws Exception {
    try (DirectoryObjectStore store = DirectoryObjectStore.open(dir.resolve("root"))) {
      store.write("b/part_0001.atp", new byte[] {1, 2, 3});
      store.write("a.json", "{}".getBytes());
      store.write("b/part_0000.atp", new byte[] {9});
      Path src = Files.write(dir.resolve("src.bin"), new byte[1000]);
      store.write("c/d/e.bin", src);

      assertThat(store.list("")).containsExactly(new ObjectStore.Entry("a.json", 2),
          new ObjectStore.Entry("b/part_0000.atp", 1), new ObjectStore.Entry("b/part_0001.atp", 3),
          new ObjectStore.Entry("c/d/e.bin", 1000));
      assertThat(store.list("b/")).extracting(ObjectStore.Entry::name).containsExactly("b/part_0000.atp", "b/part_0001.atp");
      assertThat(store.list("b/part_0001")).extracting(ObjectStore.Entry::name).containsExactly("b/part_0001.atp");
      assertThat(store.list("zz")).isEmpty();
      assertThat(store.size("b/part_0001.atp")).contains(3L);
      assertThat(store.size("nope")).isEmpty();
      try (InputStream in = store.read("b/part_0001.atp")) {
        assertThat(in.readAllBytes()).containsExactly(1, 2, 3);
      }
      try (ByteSource s = store.open("c/d/e.bin")) {
        assertThat(s.size()).isEqualTo(1000);
        assertThat(s.mapped()).isPresent();
      }
      store.delete("a.json");
      store.delete("a.json");
      assertThat(store.size("a.json")).isEmpty();
      assertThatThrownBy(() -> store.read("a.json")).isInstanceOf(NoSuchFileException.class);
      assertThat(store.writable()).isTrue();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"../escape", "a/../../escape", "/etc/passwd", "", "a//b", "a/./b", "a/", "a\\..\\b", "..", "."})
  void refusesNamesThatLeaveTheRoot(String name) throws Exception {
    try (DirectoryObjectStore store = DirectoryObjectStore.open(dir.resolve("root"))) {
      assertThatThrownBy(() -> store.write(name, new byte[1])).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> store.open(name)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> store.delete(name)).isInstanceOf(IllegalArgumentException.class);
    }
    try (Stream<Path> all = Files.walk(dir)) {
      assertThat(all.filter(Files::isRegularFile)).isEmpty();
    }
  }

  @Test
  void failedWriteLeavesNeitherTheBlobNorATemporaryFile() throws Exception {
    try (DirectoryObjectStore store = DirectoryObjectStore.open(dir.resolve("root"))) {
      store.write("x.bin", new byte[] {7});
      assertThatThrownBy(() -> store.write("x.bin", dir.resolve("missing-source"))).isInstanceOf(IOException.class);
      assertThatThrownBy(() -> store.write("y.bin", dir.resolve("missing-source"))).isInstanceOf(IOException.class);
      assertThat(store.list("")).containsExactly(new ObjectStore.Entry("x.bin", 1));
      try (Stream<String> names = Files.list(store.root()).map(p -> p.getFileName().toString())) {
        assertThat(names).containsExactly("x.bin");
      }
    }
  }

  @Test
  void listingSkipsWritesInProgress() throws Exception {
    try (DirectoryObjectStore store = DirectoryObjectStore.open(dir.resolve("root"))) {
      store.write("a/x.bin", new byte[] {7});
      // what a write interrupted by a crash leaves behind
      Files.write(store.root().resolve("a").resolve(DirectoryObjectStore.TEMP_PREFIX + "y.bin-123"), new byte[10]);
      assertThat(store.list("")).extracting(ObjectStore.Entry::name).containsExactly("a/x.bin");
    }
  }

  @Test
  void readersSeeTheOldBlobOrTheNewOneNeverAPart() throws Exception {
    byte[] old = new byte[256 * 1024];
    byte[] neu = new byte[256 * 1024];
    Arrays.fill(old, (byte) 1);
    Arrays.fill(neu, (byte) 2);
    try (DirectoryObjectStore store = DirectoryObjectStore.open(dir.resolve("root"));
         ExecutorService pool = Executors.newFixedThreadPool(3)) {
      store.write("blob", old);
      AtomicBoolean writing = new AtomicBoolean(true);
      Future<?> writer = pool.submit(() -> {
        for (int i = 0; i < 40; i++) store.write("blob", i % 2 == 0 ? neu : old);
        writing.set(false);
        return null;
      });
      List<Future<Integer>> readers = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        readers.add(pool.submit(() -> {
          int reads = 0;
          while (writing.get() || reads < 5) {
            byte[] got;
            try (InputStream in = store.read("blob")) {
              got = in.readAllBytes();
            }
            assertThat(got.length).isEqualTo(old.length);
            assertThat(Arrays.equals(got, old) || Arrays.equals(got, neu)).as("a whole blob").isTrue();
            reads++;
          }
          return reads;
        }));
      }
      writer.get();
      for (Future<Integer> f : readers) assertThat(f.get()).isPositive();
    }
  }
}
