package org.atomstore.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.atomstore.model.NdArray;
import org.atomstore.samples.wds.ShardWriter;
import org.atomstore.samples.wds.WdsDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LensTest {
  @TempDir Path dir;

  record Full(String id, NdArray vector, @Nullable Double score, List<Long> tags, byte[] raw) {}
  record Labelled(String id, double score) {}
  record Name(String id) {}

  static final Lens<ShardWriterTest.Embedding, Labelled> TO_LABELLED = Lens.of(ShardWriterTest.Embedding.class, Labelled.class,
      e -> new Labelled(e.id(), e.score() == null ? -1 : e.score()),
      (l, e) -> new ShardWriterTest.Embedding(l.id(), e.vector(), l.score(), e.tags(), e.raw()));
  static final Lens<Labelled, Name> TO_NAME = Lens.of(Labelled.class, Name.class, l -> new Name(l.id()),
      (n, l) -> new Labelled(n.id(), l.score()));

  @Test
  void networkFindsAPathAndComposesGetAndPut() {
    var net = new LensNetwork().register(TO_NAME).register(TO_LABELLED);
    var lens = net.require(ShardWriterTest.Embedding.class, Name.class);
    var e = ShardWriterTest.samples(2).get(1);
    assertThat(lens.get(e)).isEqualTo(new Name("s1"));
    var back = lens.put(new Name("renamed"), e);
    assertThat(back.id()).isEqualTo("renamed");
    assertThat(back.score()).isEqualTo(e.score());
    assertThat(net.find(Name.class, Labelled.class)).isEmpty();
    assertThatThrownBy(() -> net.require(Name.class, Labelled.class)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void getterOnlyLensRefusesPut() {
    var lens = Lens.of(Labelled.class, Name.class, l -> new Name(l.id()));
    assertThat(lens.canPut()).isFalse();
    assertThatThrownBy(() -> lens.put(new Name("x"), new Labelled("y", 1))).isInstanceOf(IllegalStateException.class);
    assertThat(lens.andThen(Lens.identity(Name.class)).canPut()).isFalse();
  }

  @Test
  void datasetReadAsAnotherType() throws IOException {
    var type = SampleType.of(ShardWriterTest.Embedding.class);
    Path p = dir.resolve("d.tar");
    try (var w = ShardWriter.local(type, p, Long.MAX_VALUE, Long.MAX_VALUE)) {
      for (var s : ShardWriterTest.samples(5)) w.write(s);
    }
    var net = new LensNetwork().register(TO_LABELLED).register(TO_NAME);
    var names = WdsDataset.local(type, List.of(p)).as(Name.class, net).readAll();
    assertThat(names.stream().map(k -> k.sample().id()).toList()).containsExactly("s0", "s1", "s2", "s3", "s4");
  }
}
