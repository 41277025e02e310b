package org.atomstore.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.atomstore.loader.BatchSource;
import org.atomstore.samples.blocks.BlockDataset;
import org.atomstore.samples.blocks.BlockDatasetWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BlockDatasetTest {
  @TempDir Path dir;

  static List<ShardWriterTest.Embedding> data(int n) { return ShardWriterTest.samples(n); }

  static final SampleType<ShardWriterTest.Embedding> TYPE = SampleType.of(ShardWriterTest.Embedding.class);

  Path write(int n, int block, boolean dict) throws IOException {
    Path out = dir.resolve("ds-" + block + "-" + dict);
    try (var w = BlockDatasetWriter.create(TYPE, out, block, dict, 4096, 3)) {
      for (var s : data(n)) w.add(s);
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void randomGetDecompressesTheRightSample(boolean dict) throws IOException {
    var want = data(3000);
    Path out = write(3000, 16, dict);
    try (var ds = BlockDataset.open(TYPE, out)) {
      assertThat(ds.size()).isEqualTo(3000);
      assertThat(ds.info().shards()).isGreaterThan(1);
      assertThat(ds.info().dictionaryBytes() > 0).isEqualTo(dict);
      var r = new Random(3);
      for (int k = 0; k < 500; k++) {
        int i = r.nextInt(3000);
        assertThat(ds.getRaw(i)).isEqualTo(TYPE.encode(want.get(i)));
      }
      assertThat(ds.get(2999).id()).isEqualTo("s2999");
      assertThatThrownBy(() -> ds.get(3000)).isInstanceOf(IndexOutOfBoundsException.class);
    }
  }

  @Test
  void lastPartialBlockAndTinyDatasets() throws IOException {
    Path out = write(5, 4, true);
    try (var ds = BlockDataset.open(TYPE, out)) {
      assertThat(ds.size()).isEqualTo(5);
      assertThat(ds.get(4).id()).isEqualTo("s4");
      assertThat(ds.info().blocks()).isEqualTo(2);
    }
  }

  @Test
  void feedsTheLoaderAsSampleBatches() throws IOException {
    Path out = write(40, 8, false);
    try (var ds = BlockDataset.open(TYPE, out)) {
      BatchSource<SampleBatch<ShardWriterTest.Embedding>> src = ds.asBatchSource();
      assertThat(src.size()).isEqualTo(40);
      SampleBatch<ShardWriterTest.Embedding> b = src.read(new long[] {3, 17, 39});
      assertThat(b.array("vector").shape()).containsExactly(3, 3);
      assertThat(b.list("id")).containsExactly("s3", "s17", "s39");
    }
  }

  @Test
  void corruptBlockIsNamed() throws IOException {
    Path out = write(100, 10, false);
    Path shard = out.resolve("blocks-00000.bin");
    byte[] b = Files.readAllBytes(shard);
    for (int i = 20; i < 60; i++) b[i] ^= 0x5a;
    Files.write(shard, b);
    try (var ds = BlockDataset.open(TYPE, out)) {
      assertThatThrownBy(() -> ds.get(0)).isInstanceOf(CorruptSampleException.class).hasMessageContaining("blocks-00000.bin")
          .hasMessageContaining("block 0")
          .satisfies(e -> assertThat(((CorruptSampleException) e).source()).endsWith("blocks-00000.bin"));
    }
  }

  @Test
  void corruptOrTruncatedIndexIsRefused() throws IOException {
    Path out = write(100, 10, false);
    Path index = out.resolve("index.atsb");
    byte[] b = Files.readAllBytes(index);
    b[30] ^= 1;
    Files.write(index, b);
    assertThatThrownBy(() -> BlockDataset.open(TYPE, out)).isInstanceOf(CorruptSampleException.class).hasMessageContaining("checksum")
        .satisfies(e -> assertThat(((CorruptSampleException) e).source()).endsWith("index.atsb"));
    Files.write(index, java.util.Arrays.copyOf(b, 10));
    assertThatThrownBy(() -> BlockDataset.open(TYPE, out)).isInstanceOf(CorruptSampleException.class).hasMessageContaining("index.atsb");
  }

  @Test
  void truncatedShardIsFoundAtOpen() throws IOException {
    Path out = write(100, 10, false);
    Path shard = out.resolve("blocks-00000.bin");
    byte[] b = Files.readAllBytes(shard);
    Files.write(shard, java.util.Arrays.copyOf(b, b.length / 2));
    assertThatThrownBy(() -> BlockDataset.open(TYPE, out)).isInstanceOf(CorruptSampleException.class).hasMessageContaining("runs past the end");
  }

  @Test
  void closeIsIdempotentAndUseAfterCloseFails() throws IOException {
    var ds = BlockDataset.open(TYPE, write(10, 4, false));
    ds.close();
    ds.close();
    assertThatThrownBy(() -> ds.get(0)).isInstanceOf(IllegalStateException.class);
  }
}
