package org.atomstore.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.atomstore.remote.testing.RangeHttpServer;
import org.atomstore.source.ByteSource.Range;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockCacheTest {

  static final int BLOCK = 4096;
  static final HttpOptions FAST = HttpOptions.defaults().withRetries(4, Duration.ofMillis(1), Duration.ofMillis(4));

  @TempDir Path dir;
  RangeHttpServer server;
  byte[] data;
  Path cacheDir;

  @BeforeEach
  void start() throws IOException {
    data = new byte[10 * BLOCK + 123];
    new Random(11).nextBytes(data);
    Path served = Files.createDirectories(dir.resolve("served"));
    Files.write(served.resolve("f.bin"), data);
    server = RangeHttpServer.serve(served);
    cacheDir = dir.resolve("cache");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private CachedByteSource open(BlockCache cache) throws IOException {
    return cache.wrap(HttpByteSource.open(server.uri("f.bin"), FAST));
  }

  private byte[] read(CachedByteSource s, long offset, int len) throws IOException {
    byte[] out = new byte[len];
    s.read(offset, MemorySegment.ofArray(out));
    return out;
  }

  private byte[] want(long offset, int len) {
    return Arrays.copyOfRange(data, (int) offset, (int) offset + len);
  }

  private List<Path> blockFiles() throws IOException {
    try (Stream<Path> s = Files.walk(cacheDir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".blk")).sorted().toList();
    }
  }

  @Test
  void servesRepeatedReadsFromTheCache() throws Exception {
    try (BlockCache cache = BlockCache.open(cacheDir, 1 << 20, BLOCK); CachedByteSource s = open(cache)) {
      server.resetCounters();
      assertThat(read(s, 5000, 100)).isEqualTo(want(5000, 100));
      assertThat(server.getRequests()).isEqualTo(1);
      assertThat(server.log()).containsExactly("GET /f.bin bytes=4096-8191"); // the whole block
      assertThat(read(s, 4096, 4096)).isEqualTo(want(4096, 4096));
      assertThat(read(s, 6000, 10)).isEqualTo(want(6000, 10));
      assertThat(server.getRequests()).as("hits need no request").isEqualTo(1);
      assertThat(s.stats().bytesFetched()).isEqualTo(BLOCK);
      assertThat(s.stats().bytesServed()).isEqualTo(100 + 4096 + 10);
      assertThat(cache.stats().blockMisses()).isEqualTo(1);
      assertThat(cache.stats().blockHits()).isEqualTo(2);
      // A range across blocks and the short last block.
      assertThat(read(s, 8000, 5000)).isEqualTo(want(8000, 5000));
      assertThat(read(s, data.length - 200, 200)).isEqualTo(want(data.length - 200, 200));
      assertThat(read(s, 0, data.length)).isEqualTo(data);
      assertThat(s.stats().bytesFetched()).isEqualTo(data.length);
    }
    // Another process (here: another cache over the same directory) finds the blocks on disk.
    try (BlockCache cache = BlockCache.open(cacheDir, 1 << 20, BLOCK); CachedByteSource s = open(cache)) {
      server.resetCounters();
      assertThat(read(s, 0, data.length)).isEqualTo(data);
      assertThat(server.getRequests()).isZero();
      assertThat(cache.stats().bytesFetched()).isZero();
      assertThat(cache.stats().cachedBytes()).isEqualTo(data.length + 11L * CachedByteSource.TRAILER);
    }
  }

  @Test
  void fetchesTheMissingBlocksOfABatchInOneCoalescedRead() throws Exception {
    try (BlockCache cache = BlockCache.open(cacheDir, 1 << 20, BLOCK);
         CachedByteSource s = cache.wrap(HttpByteSource.open(server.uri("f.bin"), FAST.withCoalescing(BLOCK, 1 << 20)))) {
      read(s, 3 * BLOCK + 1, 1); // block 3 cached
      server.resetCounters();
      List<Range> ranges = new ArrayList<>();
      for (int b : new int[] {1, 2, 3, 4, 8}) ranges.add(new Range(b * (long) BLOCK + 7, MemorySegment.ofArray(new byte[20])));
      s.read(ranges);
      // Blocks 1-2 and 4 around the cached 3 merge into one request (the gap is one block); 8 is far.
      assertThat(server.log()).containsExactlyInAnyOrder("GET /f.bin bytes=4096-20479", "GET /f.bin bytes=32768-36863");
      for (Range r : ranges) assertThat(r.dst().toArray(ValueLayout.JAVA_BYTE)).isEqualTo(want(r.offset(), 20));
    }
  }

  @Test
  void evictsTheLeastRecentlyUsedBlocksUnderTheLimit() throws Exception {
    long limit = 4L * (BLOCK + CachedByteSource.TRAILER);
    try (BlockCache cache = BlockCache.open(cacheDir, limit, BLOCK); CachedByteSource s = open(cache)) {
      for (int b = 0; b < 10; b++) {
        read(s, b * (long) BLOCK, 10);
        if (b >= 2) read(s, 0, 10); // block 0 stays in use
      }
      long onDisk = 0;
      for (Path p : blockFiles()) onDisk += Files.size(p);
      assertThat(onDisk).isLessThanOrEqualTo(limit);
      assertThat(cache.stats().blocksEvicted()).isPositive();
      assertThat(cache.stats().cachedBytes()).isEqualTo(onDisk);
      assertThat(blockFiles()).extracting(p -> p.getFileName().toString()).contains("0.blk", "9.blk").doesNotContain("1.blk");
      server.resetCounters();
      assertThat(read(s, 9L * BLOCK, 10)).isEqualTo(want(9L * BLOCK, 10));
      assertThat(read(s, 0, 10)).isEqualTo(want(0, 10));
      assertThat(server.getRequests()).as("recent blocks are still cached").isZero();
      assertThat(read(s, BLOCK, 10)).isEqualTo(want(BLOCK, 10));
      assertThat(server.getRequests()).as("an evicted block is fetched again").isEqualTo(1);
    }
  }

  @Test
  void neverServesADamagedOrPartialBlock() throws Exception {
    try (BlockCache cache = BlockCache.open(cacheDir, 1 << 20, BLOCK); CachedByteSource s = open(cache)) {
      read(s, 0, data.length);
    }
    List<Path> files = blockFiles();
    Path flipped = files.stream().filter(p -> p.getFileName().toString().equals("2.blk")).findFirst().orElseThrow();
    byte[] b = Files.readAllBytes(flipped);
    b[100] ^= 1;
    Files.write(flipped, b);
    Path cut = files.stream().filter(p -> p.getFileName().toString().equals("5.blk")).findFirst().orElseThrow();
    try (var ch = java.nio.channels.FileChannel.open(cut, StandardOpenOption.WRITE)) {
      ch.truncate(1000);
    }
    Path trailer = files.stream().filter(p -> p.getFileName().toString().equals("7.blk")).findFirst().orElseThrow();
    b = Files.readAllBytes(trailer);
    b[b.length - 16] = 0; // magic
    Files.write(trailer, b);
    try (BlockCache cache = BlockCache.open(cacheDir, 1 << 20, BLOCK); CachedByteSource s = open(cache)) {
      server.resetCounters();
      assertThat(read(s, 0, data.length)).isEqualTo(data);
      assertThat(cache.stats().blocksRejected()).isEqualTo(3);
      assertThat(cache.stats().bytesFetched()).isEqualTo(3L * BLOCK);
      assertThat(server.log()).as("blocks 2, 5 and 7 again, in one coalesced request").containsExactly("GET /f.bin bytes=8192-32767");
    }
    // The damaged files were replaced by good ones.
    try (BlockCache cache = BlockCache.open(cacheDir, 1 << 20, BLOCK); CachedByteSource s = open(cache)) {
      assertThat(read(s, 0, data.length)).isEqualTo(data);
      assertThat(cache.stats().blocksRejected()).isZero();
      assertThat(cache.stats().bytesFetched()).isZero();
    }
  }

  @Test
  void aReplacedFileGetsNewBlocks() throws Exception {
    try (BlockCache cache = BlockCache.open(cacheDir, 1 << 20, BLOCK)) {
      try (CachedByteSource s = open(cache)) {
        read(s, 0, 100);
      }
      byte[] other = data.clone();
      other[0] ^= 1;
      Thread.sleep(5); // a different modification time, hence ETag, on file systems with coarse times
      Files.write(server.root().resolve("f.bin"), other);
      Files.setLastModifiedTime(server.root().resolve("f.bin"), java.nio.file.attribute.FileTime.fromMillis(1_000_000));
      try (CachedByteSource s = open(cache)) {
        assertThat(read(s, 0, 1)[0]).isEqualTo(other[0]);
      }
    }
  }

  @Test
  void concurrentReadersThroughTwoCachesOnOneDirectoryAllSeeTheRightBytes() throws Exception {
    try (BlockCache a = BlockCache.open(cacheDir, 6L * BLOCK, BLOCK); BlockCache b = BlockCache.open(cacheDir, 6L * BLOCK, BLOCK);
         CachedByteSource sa = open(a); CachedByteSource sb = open(b); ExecutorService pool = Executors.newFixedThreadPool(4)) {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        CachedByteSource s = t % 2 == 0 ? sa : sb;
        long seed = t;
        fs.add(pool.submit(() -> {
          Random rnd = new Random(seed);
          for (int i = 0; i < 200; i++) {
            int len = rnd.nextInt(3 * BLOCK) + 1;
            int off = rnd.nextInt(data.length - len);
            assertThat(read(s, off, len)).isEqualTo(want(off, len));
          }
          return null;
        }));
      }
      for (Future<?> f : fs) f.get();
    }
  }

  @Test
  void refusesBadArgumentsAndReadsPastTheEnd() throws Exception {
    assertThatThrownBy(() -> BlockCache.open(cacheDir, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BlockCache.open(cacheDir, 100, 10)).isInstanceOf(IllegalArgumentException.class);
    try (BlockCache cache = BlockCache.open(cacheDir, 1 << 20, BLOCK); CachedByteSource s = open(cache)) {
      assertThatThrownBy(() -> read(s, data.length - 1, 2)).isInstanceOf(EOFException.class)
          .hasMessageContaining(server.uri("f.bin").toString());
      s.close();
      s.close();
      assertThatThrownBy(() -> read(s, 0, 1)).isInstanceOf(IllegalStateException.class);
    }
  }
}
