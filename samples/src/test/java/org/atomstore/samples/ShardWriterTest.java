package org.atomstore.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.atomstore.model.NdArray;
import org.atomstore.samples.wds.ShardWriter;
import org.atomstore.samples.wds.WdsDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardWriterTest {
  @TempDir Path dir;

  record Embedding(String id, NdArray vector, @Nullable Double score, List<Long> tags, byte[] raw) {}

  static NdArray f4(float... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) b.putFloat(f);
    return new NdArray("<f4", new long[] {v.length}, b.array());
  }

  static List<Embedding> samples(int n) {
    var r = new Random(7);
    var out = new ArrayList<Embedding>();
    for (int i = 0; i < n; i++) out.add(new Embedding("s" + i, f4(r.nextFloat(), r.nextFloat(), i), i % 3 == 0 ? null : i * 0.5,
        List.of((long) i, -1L), new byte[] {(byte) i}));
    return out;
  }

  @Test
  void rollsOverByCountAndReadsBackInOrder() throws IOException {
    var type = SampleType.of(Embedding.class);
    List<String> written;
    try (var w = ShardWriter.local(type, dir.resolve("emb-%06d.tar"), 4, Long.MAX_VALUE)) {
      for (Embedding e : samples(10)) w.write(e);
      w.close();
      written = w.shards();
    }
    assertThat(written).hasSize(3);
    assertThat(written.get(0)).endsWith("emb-000000.tar");
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("emb-000000.tar", "emb-000001.tar", "emb-000002.tar");
    }
    var back = WdsDataset.local(type, written.stream().map(Path::of).toList()).readAll();
    assertThat(back).hasSize(10);
    for (int i = 0; i < 10; i++) {
      assertThat(type.encode(back.get(i).sample())).isEqualTo(type.encode(samples(10).get(i)));
    }
    assertThat(new HashSet<>(back.stream().map(KeyedSample::key).toList())).hasSize(10);
  }

  @Test
  void rollsOverBySize() throws IOException {
    var type = SampleType.of(Embedding.class);
    int one = type.encode(samples(1).get(0)).length;
    try (var w = ShardWriter.local(type, dir.resolve("s-%d.tar"), Long.MAX_VALUE, 3L * one)) {
      for (Embedding e : samples(7)) w.write(e);
      w.close();
      assertThat(w.shards()).hasSizeBetween(3, 4);
    }
  }

  @Test
  void writesPaxTarAsWebdatasetDoes() throws IOException {
    var type = SampleType.of(Embedding.class);
    Path out = dir.resolve("one.tar");
    try (var w = ShardWriter.local(type, out, Long.MAX_VALUE, Long.MAX_VALUE)) {
      w.write("abc", samples(1).get(0));
    }
    assertThat(Files.size(out) % 10240).isZero();
    try (InputStream in = Files.newInputStream(out); var tar = new TarArchiveInputStream(in)) {
      TarArchiveEntry e = tar.getNextEntry();
      assertThat(e.getName()).isEqualTo("abc.msgpack");
      assertThat(e.getMode() & 07777).isEqualTo(0444);
      assertThat(e.getUserName()).isEqualTo("bigdata");
      assertThat(e.getGroupName()).isEqualTo("bigdata");
      assertThat(e.getLongUserId()).isZero();
      assertThat(e.getExtraPaxHeaders()).isNotNull();
      assertThat(tar.readAllBytes()).isEqualTo(type.encode(samples(1).get(0)));
      assertThat(tar.getNextEntry()).isNull();
    }
  }

  @Test
  void uuidKeysAreVersionOneWithNodeAndClockSequenceZero() {
    String k = ShardWriter.uuid1();
    assertThat(k).matches("[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-8000-000000000000");
    assertThat(ShardWriter.uuid1()).isNotEqualTo(k);
  }

  @Test
  void shuffleIsAFunctionOfSeedAndEpoch() throws IOException {
    var type = SampleType.of(Embedding.class);
    List<String> shards;
    try (var w = ShardWriter.local(type, dir.resolve("x-%03d.tar"), 5, Long.MAX_VALUE)) {
      for (Embedding e : samples(30)) w.write(e);
      w.close();
      shards = w.shards();
    }
    var ds = WdsDataset.local(type, shards.stream().map(Path::of).toList());
    List<String> a = ids(ds.shuffled(1, 0, 8));
    List<String> b = ids(ds.shuffled(1, 0, 8));
    List<String> c = ids(ds.shuffled(1, 1, 8));
    assertThat(a).isEqualTo(b).hasSize(30).doesNotHaveDuplicates();
    assertThat(c).containsExactlyInAnyOrderElementsOf(a).isNotEqualTo(a);
    assertThat(a).isNotEqualTo(ids(ds.ordered()));
  }

  private static List<String> ids(WdsDataset.SampleIterator<Embedding> it) throws IOException {
    var out = new ArrayList<String>();
    try (it) {
      while (it.hasNextSample()) out.add(it.nextSample().sample().id());
    }
    return out;
  }

  @Test
  void refusesNullInANonOptionalField() {
    var type = SampleType.of(Embedding.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> type.encode(new Embedding(null, f4(1), 1.0, List.of(), new byte[0])))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id");
  }
}
