package org.atomstore.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.atomstore.remote.testing.RangeHttpServer;
import org.atomstore.source.ByteSource.Range;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpByteSourceTest {

  /** Fast retries: the tests count attempts, they do not wait for them. */
  static final HttpOptions FAST = HttpOptions.defaults().withRetries(4, Duration.ofMillis(1), Duration.ofMillis(4));

  @TempDir Path dir;
  RangeHttpServer server;
  byte[] data;

  @BeforeEach
  void start() throws IOException {
    data = new byte[300_000];
    new Random(42).nextBytes(data);
    Files.write(dir.resolve("f.bin"), data);
    Files.createDirectories(dir.resolve("sub dir"));
    Files.write(dir.resolve("sub dir/g.bin"), Arrays.copyOf(data, 1000));
    server = RangeHttpServer.serve(dir);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private byte[] read(HttpByteSource s, long offset, int len) throws IOException {
    byte[] out = new byte[len];
    s.read(offset, MemorySegment.ofArray(out));
    return out;
  }

  private byte[] want(long offset, int len) {
    return Arrays.copyOfRange(data, (int) offset, (int) offset + len);
  }

  @Test
  void opensWithOneRequestAndReadsRanges() throws Exception {
    try (HttpByteSource s = HttpByteSource.open(server.uri("f.bin"), FAST)) {
      assertThat(server.requests()).isEqualTo(1);
      assertThat(server.headRequests()).isEqualTo(1);
      assertThat(s.size()).isEqualTo(data.length);
      assertThat(s.version()).isPresent();
      assertThat(s.name()).isEqualTo(server.uri("f.bin").toString());
      assertThat(read(s, 0, 10)).isEqualTo(want(0, 10));
      assertThat(read(s, 299_990, 10)).isEqualTo(want(299_990, 10));
      assertThat(read(s, 1234, 100_000)).isEqualTo(want(1234, 100_000));
      assertThat(server.getRequests()).isEqualTo(3);
      assertThat(server.log()).contains("GET /f.bin bytes=1234-101233");
      s.read(5, MemorySegment.ofArray(new byte[0]));
      assertThat(server.getRequests()).isEqualTo(3);
    }
    try (HttpByteSource s = HttpByteSource.open(server.uri("sub dir/g.bin"), FAST)) {
      assertThat(read(s, 990, 10)).isEqualTo(want(990, 10));
    }
  }

  @Test
  void refusesReadsPastTheEndWithoutARequest() throws Exception {
    try (HttpByteSource s = HttpByteSource.open(server.uri("f.bin"), FAST)) {
      server.resetCounters();
      assertThatThrownBy(() -> read(s, data.length - 5, 10)).isInstanceOf(EOFException.class)
          .hasMessageContaining(server.uri("f.bin").toString()).hasMessageContaining("offset " + (data.length - 5));
      assertThatThrownBy(() -> s.read(List.of(new Range(0, MemorySegment.ofArray(new byte[4])),
          new Range(data.length, MemorySegment.ofArray(new byte[1]))))).isInstanceOf(EOFException.class);
      assertThat(server.requests()).isZero();
    }
  }

  @Test
  void missingFileIsFileNotFoundNamingTheUrl() throws Exception {
    URI missing = server.uri("nope.bin");
    assertThatThrownBy(() -> HttpByteSource.open(missing, FAST)).isInstanceOf(FileNotFoundException.class)
        .hasMessageContaining(missing.toString());
    assertThat(HttpByteSource.openIfExists(missing, FAST)).isEmpty();
    assertThat(HttpByteSource.openIfExists(server.uri("f.bin"), FAST)).get()
        .extracting(HttpByteSource::size).isEqualTo((long) data.length);
  }

  @Test
  void retriesServerErrorsThenRecovers() throws Exception {
    server.faults().failNext(2, 503);
    try (HttpByteSource s = HttpByteSource.open(server.uri("f.bin"), FAST)) {
      assertThat(server.headRequests()).isEqualTo(3);
      for (int status : new int[] {500, 502, 503, 504}) {
        server.resetCounters();
        server.faults().failNext(3, status);
        assertThat(read(s, 100, 5000)).isEqualTo(want(100, 5000));
        assertThat(server.getRequests()).as("HTTP %d three times, then the answer", status).isEqualTo(4);
      }
    }
  }

  @Test
  void givesUpOnPersistentServerErrorsNamingUrlOffsetAndStatus() throws Exception {
    try (HttpByteSource s = HttpByteSource.open(server.uri("f.bin"), FAST)) {
      server.resetCounters();
      server.faults().failNext(100, 500);
      assertThatThrownBy(() -> read(s, 100, 50)).isInstanceOf(IOException.class)
          .hasMessageContaining(server.uri("f.bin").toString()).hasMessageContaining("offset 100")
          .hasMessageContaining("HTTP 500").hasMessageContaining("4 attempts");
      assertThat(server.getRequests()).isEqualTo(4);
    }
  }

  @Test
  void doesNotRetryClientErrors() throws Exception {
    try (HttpByteSource s = HttpByteSource.open(server.uri("f.bin"), FAST)) {
      server.resetCounters();
      server.faults().failNext(100, 404);
      assertThatThrownBy(() -> read(s, 0, 50)).isInstanceOf(FileNotFoundException.class)
          .hasMessageContaining(server.uri("f.bin").toString());
      server.faults().failNext(100, 403);
      assertThatThrownBy(() -> read(s, 0, 50)).isInstanceOf(IOException.class)
          .hasMessageContaining("access denied").hasMessageContaining(server.uri("f.bin").toString());
      assertThat(server.getRequests()).isEqualTo(2);
    }
  }

  @Test
  void resumesAfterTheConnectionDropsMidBody() throws Exception {
    try (HttpByteSource s = HttpByteSource.open(server.uri("f.bin"), FAST)) {
      server.resetCounters();
      server.faults().dropNext(2, 70_000);
      assertThat(read(s, 1000, 200_000)).isEqualTo(want(1000, 200_000));
      // The retries ask only for what is still missing.
      assertThat(server.log()).containsExactly("GET /f.bin bytes=1000-200999", "GET /f.bin bytes=71000-200999",
          "GET /f.bin bytes=141000-200999");
    }
  }

  @Test
  void givesUpWhenEveryAttemptDropsWithoutProgress() throws Exception {
    try (HttpByteSource s = HttpByteSource.open(server.uri("f.bin"), FAST)) {
      server.faults().dropNext(1000, 0);
      assertThatThrownBy(() -> read(s, 10, 50_000)).isInstanceOf(IOException.class)
          .hasMessageContaining(server.uri("f.bin").toString()).hasMessageContaining("offset 10")
          .hasMessageContaining("gave up");
    }
  }

  @Test
  void slicesTheWholeBodyOfASmallFileFromAServerThatIgnoresRange() throws Exception {
    server.faults().ignoreRange(true);
    try (HttpByteSource s = HttpByteSource.open(server.uri("f.bin"), FAST)) {
      server.resetCounters();
      assertThat(read(s, 5000, 100)).isEqualTo(want(5000, 100));
      assertThat(read(s, 7, 3)).isEqualTo(want(7, 3));
      assertThat(read(s, 0, data.length)).isEqualTo(data);
      assertThat(server.getRequests()).as("the whole body is read once").isEqualTo(1);
    }
  }

  @Test
  void failsClearlyWhenALargeFileIsOnAServerThatIgnoresRange() throws Exception {
    server.faults().ignoreRange(true);
    try (HttpByteSource s = HttpByteSource.open(server.uri("f.bin"), FAST.withMaxWholeBodyBytes(100_000))) {
      assertThatThrownBy(() -> read(s, 5000, 100)).isInstanceOf(IOException.class)
          .hasMessageContaining(server.uri("f.bin").toString()).hasMessageContaining("ignores Range");
      // Reading the whole file is still a plain GET.
      assertThat(read(s, 0, data.length)).isEqualTo(data);
    }
  }

  @Test
  void findsTheSizeWithARangedGetWhereHeadIsRefused() throws Exception {
    server.faults().refuseHead(true);
    try (HttpByteSource s = HttpByteSource.open(server.uri("f.bin"), FAST)) {
      assertThat(s.size()).isEqualTo(data.length);
      assertThat(server.requests()).isEqualTo(2);
      assertThat(read(s, 3, 4)).isEqualTo(want(3, 4));
    }
  }

  @Test
  void followsRedirectsAndGoesStraightToTheTargetAfterwards() throws Exception {
    try (HttpByteSource s = HttpByteSource.open(server.redirectingUri("f.bin"), FAST)) {
      assertThat(s.size()).isEqualTo(data.length);
      assertThat(s.name()).isEqualTo(server.redirectingUri("f.bin").toString());
      assertThat(read(s, 10, 10)).isEqualTo(want(10, 10));
      assertThat(read(s, 20, 10)).isEqualTo(want(20, 10));
      assertThat(server.log()).containsExactly("HEAD /redirect/f.bin", "HEAD /f.bin", "GET /f.bin bytes=10-19",
          "GET /f.bin bytes=20-29");
    }
  }

  @Test
  void sendsTheTokenToItsOwnOriginOnly() throws Exception {
    try (RangeHttpServer other = RangeHttpServer.serve(dir)) {
      server.faults().requireToken("s3cret");
      assertThatThrownBy(() -> HttpByteSource.open(server.uri("f.bin"), FAST)).isInstanceOf(IOException.class)
          .hasMessageContaining("401").hasMessageContaining(server.uri("f.bin").toString());
      HttpOptions withToken = FAST.withBearerToken("s3cret");
      assertThat(withToken.toString()).doesNotContain("s3cret");
      try (HttpByteSource s = HttpByteSource.open(server.uri("f.bin"), withToken)) {
        assertThat(read(s, 0, 10)).isEqualTo(want(0, 10));
      }
      // A redirect to another origin (here another port) does not carry the token there.
      server.redirectTarget(other.baseUri());
      try (HttpByteSource s = HttpByteSource.open(server.redirectingUri("f.bin"), withToken)) {
        assertThat(read(s, 0, 10)).isEqualTo(want(0, 10));
      }
      assertThat(server.log()).last().asString().endsWith(" auth");
      assertThat(other.log()).containsExactly("HEAD /f.bin", "GET /f.bin bytes=0-9");
    }
  }

  @Test
  void coalescesNearbyRangesIntoOneRequest() throws Exception {
    try (HttpByteSource s = HttpByteSource.open(server.uri("f.bin"), FAST.withCoalescing(1000, 1 << 20))) {
      server.resetCounters();
      List<Range> ranges = new ArrayList<>();
      List<byte[]> outs = new ArrayList<>();
      // 100 ranges of 100 bytes, 500 apart, given in a shuffled order; one overlaps another.
      List<Integer> offsets = new ArrayList<>();
      for (int i = 0; i < 100; i++) offsets.add(1000 + i * 600);
      offsets.add(1050);
      java.util.Collections.shuffle(offsets, new Random(7));
      for (int off : offsets) {
        byte[] out = new byte[100];
        outs.add(out);
        ranges.add(new Range(off, MemorySegment.ofArray(out)));
      }
      s.read(ranges);
      assertThat(server.getRequests()).isEqualTo(1);
      assertThat(server.log()).containsExactly("GET /f.bin bytes=1000-60499");
      for (int i = 0; i < ranges.size(); i++) assertThat(outs.get(i)).isEqualTo(want(ranges.get(i).offset(), 100));
    }
  }

  @Test
  void splitsRangesFartherApartThanTheGapAndCapsMergedRequests() throws Exception {
    try (HttpByteSource s = HttpByteSource.open(server.uri("f.bin"), FAST.withCoalescing(10, 1000).withMaxInFlight(1))) {
      server.resetCounters();
      List<Range> ranges = new ArrayList<>();
      for (int i = 0; i < 20; i++) ranges.add(new Range(i * 200L, MemorySegment.ofArray(new byte[100])));
      s.read(ranges);
      assertThat(server.getRequests()).isEqualTo(20);
      server.resetCounters();
      ranges.clear();
      for (int i = 0; i < 30; i++) ranges.add(new Range(i * 100L, MemorySegment.ofArray(new byte[100])));
      s.read(ranges);
      assertThat(server.getRequests()).as("3000 contiguous bytes in requests of at most 1000").isEqualTo(3);
      for (Range r : ranges) assertThat(r.dst().toArray(ValueLayout.JAVA_BYTE)).isEqualTo(want(r.offset(), 100));
    }
  }

  @Test
  void keepsSeveralRequestsInFlight() throws Exception {
    try (HttpByteSource s = HttpByteSource.open(server.uri("f.bin"), FAST.withCoalescing(0, 1 << 20).withMaxInFlight(4))) {
      server.resetCounters();
      server.faults().holdUntilConcurrent(4);
      List<Range> ranges = new ArrayList<>();
      for (int i = 0; i < 12; i++) ranges.add(new Range(i * 10_000L, MemorySegment.ofArray(new byte[50])));
      s.read(ranges);
      assertThat(server.getRequests()).isEqualTo(12);
      assertThat(server.maxConcurrentRequests()).isEqualTo(4);
      for (Range r : ranges) assertThat(r.dst().toArray(ValueLayout.JAVA_BYTE)).isEqualTo(want(r.offset(), 50));
    }
  }

  @Test
  void batchReadRetriesEachRequestOnItsOwn() throws Exception {
    try (HttpByteSource s = HttpByteSource.open(server.uri("f.bin"), FAST.withCoalescing(0, 1 << 20).withMaxInFlight(3))) {
      server.faults().failNext(3, 503).dropNext(2, 10);
      List<Range> ranges = new ArrayList<>();
      for (int i = 0; i < 10; i++) ranges.add(new Range(i * 20_000L + 3, MemorySegment.ofArray(new byte[5000])));
      s.read(ranges);
      for (Range r : ranges) assertThat(r.dst().toArray(ValueLayout.JAVA_BYTE)).isEqualTo(want(r.offset(), 5000));
    }
  }

  @Test
  void refusesAFileThatChangedOnTheServer() throws Exception {
    try (HttpByteSource s = HttpByteSource.open(server.uri("f.bin"), FAST)) {
      Files.write(dir.resolve("f.bin"), Arrays.copyOf(data, 200_000));
      assertThatThrownBy(() -> read(s, 0, 10)).isInstanceOf(IOException.class)
          .hasMessageContaining("changed").hasMessageContaining(server.uri("f.bin").toString());
    }
  }

  @Test
  void refusesAnAnswerForAnotherRangeThanAskedFor() throws Exception {
    server.createContext("/liar/", ex -> {
      if (ex.getRequestMethod().equals("HEAD")) {
        ex.getResponseHeaders().set("Content-Length", "1000");
        ex.sendResponseHeaders(200, -1);
        return;
      }
      byte[] body = new byte[10];
      ex.getResponseHeaders().set("Content-Range", "bytes 0-9/1000"); // whatever was asked for
      ex.sendResponseHeaders(206, body.length);
      ex.getResponseBody().write(body);
    });
    try (HttpByteSource s = HttpByteSource.open(server.baseUri().resolve("liar/x"), FAST)) {
      assertThatThrownBy(() -> read(s, 500, 10)).isInstanceOf(IOException.class)
          .hasMessageContaining("bytes 0-9").hasMessageContaining("500-509").hasMessageContaining("liar/x");
    }
  }

  @Test
  void randomReadsUnderRandomFaultsAreAlwaysRightOrAnError() throws Exception {
    long seed = new Random().nextLong();
    Random rnd = new Random(seed);
    try (HttpByteSource s = HttpByteSource.open(server.uri("f.bin"),
        FAST.withRetries(8, Duration.ofMillis(1), Duration.ofMillis(2)).withCoalescing(rnd.nextInt(5000), 1 << 16))) {
      for (int round = 0; round < 20; round++) {
        server.faults().failNext(rnd.nextInt(3), 503).dropNext(rnd.nextInt(3), rnd.nextInt(3000));
        List<Range> ranges = new ArrayList<>();
        for (int i = rnd.nextInt(20) + 1; i > 0; i--) {
          int len = rnd.nextInt(3000) + 1;
          ranges.add(new Range(rnd.nextInt(data.length - len), MemorySegment.ofArray(new byte[len])));
        }
        s.read(ranges);
        for (Range r : ranges) {
          assertThat(r.dst().toArray(ValueLayout.JAVA_BYTE)).as("seed %d", seed)
              .isEqualTo(want(r.offset(), (int) r.dst().byteSize()));
        }
      }
    }
  }

  @Test
  void readsAnEmptyFile() throws Exception {
    Files.write(dir.resolve("empty"), new byte[0]);
    try (HttpByteSource s = HttpByteSource.open(server.uri("empty"), FAST)) {
      assertThat(s.size()).isZero();
      s.read(0, MemorySegment.ofArray(new byte[0]));
    }
  }

  @Test
  void readsAfterCloseAreRefused() throws Exception {
    HttpByteSource s = HttpByteSource.open(server.uri("f.bin"), FAST);
    s.close();
    s.close();
    assertThatThrownBy(() -> read(s, 0, 1)).isInstanceOf(IllegalStateException.class);
  }
}
