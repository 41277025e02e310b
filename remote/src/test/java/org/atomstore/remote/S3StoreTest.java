package org.atomstore.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.atomstore.remote.testing.S3TestServer;
import org.atomstore.source.ByteSource;
import org.atomstore.source.ByteSource.Range;
import org.atomstore.source.ObjectStore.Entry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** S3 byte sources and object stores against s3proxy in this process. */
class S3StoreTest {

  static S3TestServer s3;
  static int buckets;
  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    s3 = S3TestServer.start();
  }

  @AfterAll
  static void stop() throws Exception {
    s3.close();
  }

  private static String newBucket() {
    String b = "bucket-" + (++buckets);
    s3.createBucket(b);
    return b;
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void writesListsReadsAndDeletes() throws Exception {
    String bucket = newBucket();
    s3.client().putObject(b -> b.bucket(bucket).key("outside.bin"), software.amazon.awssdk.core.sync.RequestBody.fromBytes(new byte[3]));
    byte[] big = random(200_000, 1);
    try (S3ObjectStore store = S3ObjectStore.open(URI.create("s3://" + bucket + "/sets/omat"), s3.options())) {
      assertThat(store.address()).isEqualTo("s3://" + bucket + "/sets/omat/");
      store.write("part_0001.atp", big);
      store.write("manifest.json", "{}".getBytes());
      store.write("sub/part_0000.atp", Files.write(dir.resolve("p0"), new byte[] {1, 2, 3, 4}));
      assertThat(store.list("")).containsExactly(new Entry("manifest.json", 2), new Entry("part_0001.atp", 200_000),
          new Entry("sub/part_0000.atp", 4));
      assertThat(store.list("part_")).extracting(Entry::name).containsExactly("part_0001.atp");
      assertThat(store.list("nothing")).isEmpty();
      assertThat(store.size("part_0001.atp")).contains(200_000L);
      assertThat(store.size("missing")).isEmpty();
      try (InputStream in = store.read("sub/part_0000.atp")) {
        assertThat(in.readAllBytes()).containsExactly(1, 2, 3, 4);
      }
      try (ByteSource src = store.open("part_0001.atp")) {
        assertThat(src.name()).isEqualTo("s3://" + bucket + "/sets/omat/part_0001.atp");
        assertThat(src.size()).isEqualTo(200_000);
        assertThat(src.version()).isPresent();
        byte[] out = new byte[1000];
        src.read(123_456, MemorySegment.ofArray(out));
        assertThat(out).isEqualTo(Arrays.copyOfRange(big, 123_456, 124_456));
        assertThatThrownBy(() -> src.read(199_999, MemorySegment.ofArray(new byte[2])))
            .isInstanceOf(java.io.EOFException.class).hasMessageContaining("s3://" + bucket);
      }
      store.delete("manifest.json");
      store.delete("manifest.json");
      assertThat(store.list("")).extracting(Entry::name).containsExactly("part_0001.atp", "sub/part_0000.atp");
      assertThatThrownBy(() -> store.read("manifest.json")).isInstanceOf(FileNotFoundException.class)
          .hasMessageContaining("s3://" + bucket + "/sets/omat/manifest.json");
      assertThatThrownBy(() -> store.open("manifest.json")).isInstanceOf(FileNotFoundException.class)
          .hasMessageContaining("s3://" + bucket + "/sets/omat/manifest.json");
      assertThatThrownBy(() -> store.write("../x", new byte[1])).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void batchReadsCoalesceAndComeBackRight() throws Exception {
    String bucket = newBucket();
    byte[] data = random(500_000, 2);
    s3.client().putObject(b -> b.bucket(bucket).key("f.bin"), software.amazon.awssdk.core.sync.RequestBody.fromBytes(data));
    URI address = URI.create("s3://" + bucket + "/f.bin");
    try (S3ByteSource src = S3ByteSource.open(address, s3.options().withCoalescing(1000, 1 << 20))) {
      long before = src.requestCount();
      List<Range> ranges = new ArrayList<>();
      for (int i = 0; i < 50; i++) ranges.add(new Range(10_000 + i * 700L, MemorySegment.ofArray(new byte[200])));
      for (int i = 0; i < 5; i++) ranges.add(new Range(300_000 + i * 30_000L, MemorySegment.ofArray(new byte[100])));
      src.read(ranges);
      assertThat(src.requestCount() - before).as("one GET for the close ranges, one per far one").isEqualTo(6);
      for (Range r : ranges) {
        int o = (int) r.offset();
        assertThat(r.dst().toArray(ValueLayout.JAVA_BYTE)).isEqualTo(Arrays.copyOfRange(data, o, o + (int) r.dst().byteSize()));
      }
    }
  }

  @Test
  void refusesToMixTwoVersionsOfAnObject() throws Exception {
    String bucket = newBucket();
    try (S3ObjectStore store = S3ObjectStore.open(URI.create("s3://" + bucket), s3.options())) {
      store.write("f.bin", random(1000, 3));
      try (ByteSource src = store.open("f.bin")) {
        store.write("f.bin", random(1000, 4));
        assertThatThrownBy(() -> src.read(0, MemorySegment.ofArray(new byte[10]))).isInstanceOf(IOException.class)
            .hasMessageContaining("changed").hasMessageContaining("s3://" + bucket + "/f.bin");
      }
    }
  }

  @Test
  void uploadsLargeFilesInPartsAtomically() throws Exception {
    String bucket = newBucket();
    byte[] data = random(11 << 20, 5);
    Path file = Files.write(dir.resolve("big"), data);
    S3Options parts = s3.options().withMultipart(5 << 20, 5 << 20);
    try (S3ObjectStore store = S3ObjectStore.open(URI.create("s3://" + bucket + "/p"), parts)) {
      store.write("big.atp", file);
      assertThat(store.size("big.atp")).contains((long) data.length);
      try (InputStream in = store.read("big.atp")) {
        assertThat(Arrays.equals(in.readAllBytes(), data)).isTrue();
      }
      // A failed upload leaves nothing under the name (the file vanishes mid-way: here, before it starts).
      assertThatThrownBy(() -> store.write("gone.atp", dir.resolve("missing"))).isInstanceOf(IOException.class);
      assertThat(store.size("gone.atp")).isEmpty();
      assertThat(s3.client().listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
    }
  }

  @Test
  void wrongCredentialsFailNamingTheObject() throws Exception {
    String bucket = newBucket();
    S3Options wrong = s3.options().withCredentials(S3TestServer.ACCESS_KEY, "not-the-secret").withMaxAttempts(1);
    try (S3ObjectStore store = S3ObjectStore.open(URI.create("s3://" + bucket + "/x"), wrong)) {
      assertThatThrownBy(() -> store.write("a", new byte[1])).isInstanceOf(IOException.class)
          .hasMessageContaining("s3://" + bucket + "/x/a").hasMessageContaining("403");
      assertThatThrownBy(() -> store.list("")).isInstanceOf(IOException.class).hasMessageContaining("s3://" + bucket);
    }
  }

  @Test
  void refusesAddressesThatAreNotS3() {
    assertThatThrownBy(() -> S3ObjectStore.open(URI.create("http://x/y"), s3.options()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> S3ByteSource.open(URI.create("s3://bucket/dir/"), s3.options()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void worksOverAFilesystemBackedServerToo() throws Exception {
    try (S3TestServer fs = S3TestServer.start(Files.createDirectories(dir.resolve("s3")))) {
      fs.createBucket("fs-bucket");
      try (S3ObjectStore store = S3ObjectStore.open(URI.create("s3://fs-bucket/pre"), fs.options())) {
        store.write("a/b.bin", new byte[] {5, 6});
        assertThat(store.list("")).containsExactly(new Entry("a/b.bin", 2));
        try (ByteSource src = store.open("a/b.bin")) {
          byte[] one = new byte[1];
          src.read(1, MemorySegment.ofArray(one));
          assertThat(one).containsExactly(6);
        }
      }
    }
  }
}
