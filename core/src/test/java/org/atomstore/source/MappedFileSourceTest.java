package org.atomstore.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappedFileSourceTest {

  @TempDir Path dir;

  private Path file(int n, long seed) throws Exception {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return Files.write(dir.resolve("f.bin"), b);
  }

  @Test
  void readsRangesAndHandsOutTheMapping() throws Exception {
    Path f = file(10_000, 1);
    byte[] want = Files.readAllBytes(f);
    try (MappedFileSource s = MappedFileSource.open(f); Arena arena = Arena.ofConfined()) {
      assertThat(s.size()).isEqualTo(10_000);
      assertThat(s.name()).isEqualTo(f.toString());
      MemorySegment dst = arena.allocate(100);
      s.read(9_900, dst);
      assertThat(dst.toArray(ValueLayout.JAVA_BYTE)).isEqualTo(java.util.Arrays.copyOfRange(want, 9_900, 10_000));
      MemorySegment a = arena.allocate(10), b = arena.allocate(20);
      s.read(List.of(new ByteSource.Range(5, a), new ByteSource.Range(0, b)));
      assertThat(a.toArray(ValueLayout.JAVA_BYTE)).isEqualTo(java.util.Arrays.copyOfRange(want, 5, 15));
      assertThat(b.toArray(ValueLayout.JAVA_BYTE)).isEqualTo(java.util.Arrays.copyOfRange(want, 0, 20));
      assertThat(s.mapped()).get().extracting(MemorySegment::byteSize).isEqualTo(10_000L);
      assertThat(s.mapped().orElseThrow().asSlice(0, 10_000).toArray(ValueLayout.JAVA_BYTE)).isEqualTo(want);
    }
  }

  @Test
  void refusesReadsPastTheEndNamingTheFile() throws Exception {
    Path f = file(100, 2);
    try (MappedFileSource s = MappedFileSource.open(f); Arena arena = Arena.ofConfined()) {
      assertThatThrownBy(() -> s.read(90, arena.allocate(11))).isInstanceOf(EOFException.class)
          .hasMessageContaining(f.toString()).hasMessageContaining("offset 90");
      assertThatThrownBy(() -> s.read(Long.MAX_VALUE - 3, arena.allocate(8))).isInstanceOf(EOFException.class);
      s.read(100, arena.allocate(0));
    }
  }

  @Test
  void emptyFileHasSizeZero() throws Exception {
    Path f = Files.write(dir.resolve("empty"), new byte[0]);
    try (MappedFileSource s = MappedFileSource.open(f)) {
      assertThat(s.size()).isZero();
    }
  }

  @Test
  void closeIsIdempotentAndReadsAfterCloseFailClearly() throws Exception {
    MappedFileSource s = MappedFileSource.open(file(100, 3));
    s.close();
    s.close();
    assertThatThrownBy(() -> s.read(0, MemorySegment.ofArray(new byte[4]))).isInstanceOf(IllegalStateException.class);
  }
}
