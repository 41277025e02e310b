package org.atomstore.arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hostile metadata and chunks: checked exceptions naming the store, the key and the array; nothing allocated from an unchecked size. */
class HostileStoreTest {
  @TempDir Path tmp;

  private Path store(String zarray) throws Exception {
    Path dir = tmp.resolve("h.zarr");
    Files.createDirectories(dir.resolve("a"));
    Files.writeString(dir.resolve(".zgroup"), "{\"zarr_format\": 2}");
    Files.writeString(dir.resolve("a/.zarray"), zarray);
    return dir;
  }

  private static String zarray(String shape, String chunks, String dtype, String compressor) {
    return "{\"zarr_format\": 2, \"shape\": " + shape + ", \"chunks\": " + chunks + ", \"dtype\": \"" + dtype
        + "\", \"compressor\": " + compressor + ", \"fill_value\": 0, \"order\": \"C\", \"filters\": null}";
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "[-1]|[1]|<f8|null|negative",
      "[10]|[0]|<f8|null|must be positive",
      "[9223372036854775807, 9223372036854775807]|[1, 1]|<f8|null|overflows",
      "[1000000000000]|[1000000000000]|<f8|null|larger than",
      "[100000, 100000]|[100000, 100000]|<f8|null|exceed",
      "[10]|[5]|<f8|{\"id\": \"nosuchcodec\"}|nosuchcodec",
      "[10]|[5]|<x9|null|dtype",
      "[10]|[5, 5]|<f8|null|rank",
  })
  void rejectsHostileMetadataNamingStoreKeyAndArray(String spec) throws Exception {
    String[] p = spec.split("\\|");
    Path dir = store(zarray(p[0], p[1], p[2], p[3]));
    assertThatThrownBy(() -> ZarrStore.open(dir))
        .isInstanceOf(CorruptStoreException.class)
        .hasMessageContaining(p[4])
        .hasMessageContaining("a/.zarray")
        .hasMessageContaining("array 'a'")
        .hasMessageContaining(dir.toAbsolutePath().toString())
        .satisfies(e -> assertThat(((CorruptStoreException) e).source()).isEqualTo(((CorruptStoreException) e).store()));
  }

  @Test
  void rejectsPathTraversingKeysInConsolidatedMetadata() throws Exception {
    Path dir = tmp.resolve("t.zarr");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(".zmetadata"), "{\"metadata\": {\".zgroup\": {\"zarr_format\": 2}, \"../../etc/.zarray\": "
        + zarray("[1]", "[1]", "<f8", "null") + "}, \"zarr_consolidated_format\": 1}");
    assertThatThrownBy(() -> ZarrStore.open(dir)).isInstanceOf(CorruptStoreException.class)
        .hasMessageContaining("leaves the store").hasMessageContaining("../../etc/.zarray");
  }

  @Test
  void rejectsInvalidJson() throws Exception {
    Path dir = store("{\"zarr_format\": 2, \"shape\": [");
    assertThatThrownBy(() -> ZarrStore.open(dir)).isInstanceOf(CorruptStoreException.class).hasMessageContaining("not valid JSON");
  }

  @ParameterizedTest
  @ValueSource(strings = {"none", "zstd:1", "lz4", "zlib:1", "gzip:1", "blosc:lz4:5:shuffle", "blosc:zstd:5:bitshuffle"})
  void chunkThatDecodesToTheWrongSizeOrIsGarbageIsCorrupt(String codec) throws Exception {
    Path dir = tmp.resolve("w.zarr");
    try (ZarrStore z = ZarrStore.create(dir, ArrayCodec.parse(codec))) {
      z.defineArray("a", "<f8", null, new long[] {2000}, new int[] {1000}, 0.0);
      z.writeArray("a", new long[] {0}, new long[] {2000}, new double[2000]);
    }
    // chunk 1 of a twin array with a chunk half the size: the bytes decode to twice what it needs
    try (ZarrStore z = ZarrStore.create(tmp.resolve("small.zarr"), ArrayCodec.parse(codec))) {
      z.defineArray("a", "<f8", null, new long[] {500}, new int[] {500}, 0.0);
      z.writeArray("a", new long[] {0}, new long[] {500}, new double[500]);
    }
    Files.copy(tmp.resolve("small.zarr/a/0"), dir.resolve("a/1"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.write(dir.resolve("a/0"), new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17});
    try (ZarrStore z = ZarrStore.open(dir)) {
      assertThatThrownBy(() -> z.read("a", new long[] {1000}, new long[] {10})).isInstanceOf(CorruptStoreException.class)
          .hasMessageContaining("a/1").hasMessageContaining(dir.toAbsolutePath().toString()).hasMessageContaining("array 'a'");
      assertThatThrownBy(() -> z.read("a", new long[] {0}, new long[] {10})).isInstanceOf(CorruptStoreException.class)
          .hasMessageContaining("a/0");
      // whole reads decode whole chunks straight into the output: the same errors, and nothing written outside it
      assertThatThrownBy(() -> z.read("a")).isInstanceOf(CorruptStoreException.class).hasMessageContaining("array 'a'");
      assertThatThrownBy(() -> z.readDoubles("a", new long[] {0}, new long[] {2000})).isInstanceOf(CorruptStoreException.class)
          .hasMessageContaining("array 'a'");
      byte[] big = new byte[16_000 + 64];
      java.util.Arrays.fill(big, (byte) 0x5a);
      assertThatThrownBy(() -> z.read("a", new long[] {0}, new long[] {2000}, java.lang.foreign.MemorySegment.ofArray(big).asSlice(32, 16_000)))
          .isInstanceOf(CorruptStoreException.class);
      for (int i : new int[] {0, 31, 16_032, big.length - 1}) assertThat(big[i]).isEqualTo((byte) 0x5a);
    }
  }

  @Test
  void bloscFrameWithTableOrStreamsPastItsEndIsCorrupt() throws Exception {
    Path dir = tmp.resolve("b.zarr");
    try (ZarrStore z = ZarrStore.create(dir, ArrayCodec.blosc("lz4", 5, 1))) {
      z.defineArray("a", "<i4", null, new long[] {4096}, new int[] {4096}, 0);
      int[] v = new int[4096];
      for (int i = 0; i < v.length; i++) v[i] = i % 17;
      z.writeArray("a", new long[] {0}, new long[] {4096}, v);
    }
    byte[] chunk = Files.readAllBytes(dir.resolve("a/0"));
    for (int cut : List.of(20, chunk.length / 2, chunk.length - 1)) {
      byte[] bad = java.util.Arrays.copyOf(chunk, cut);
      bad[12] = (byte) cut; bad[13] = (byte) (cut >> 8); bad[14] = 0; bad[15] = 0;
      Files.write(dir.resolve("a/0"), bad);
      try (ZarrStore z = ZarrStore.open(dir)) {
        assertThatThrownBy(() -> z.read("a")).isInstanceOf(CorruptStoreException.class).hasMessageContaining("Blosc");
      }
    }
    byte[] badStart = chunk.clone();
    badStart[16] = (byte) 0xff; badStart[17] = (byte) 0xff; badStart[18] = (byte) 0xff; badStart[19] = 0x7f;
    Files.write(dir.resolve("a/0"), badStart);
    try (ZarrStore z = ZarrStore.open(dir)) {
      assertThatThrownBy(() -> z.read("a")).isInstanceOf(CorruptStoreException.class).hasMessageContaining("block 0 starts at");
    }
    Files.write(dir.resolve("a/0"), chunk);
    try (ZarrStore z = ZarrStore.open(dir)) {
      assertThat(z.readInts("a", new long[] {17}, new long[] {2})).containsExactly(0, 1);
    }
  }

  @Test
  void badChunkInAReadSharedWithThePoolFailsTheReadNamingIt() throws Exception {
    Path dir = tmp.resolve("p.zarr");
    try (ZarrStore z = ZarrStore.create(dir, ArrayCodec.zstd(1))) {
      // 1 MB in 64 chunks: a read the pool's threads share
      z.defineArray("a", "<f8", null, new long[] {131_072}, new int[] {2048}, 0.0);
      double[] v = new double[131_072];
      for (int i = 0; i < v.length; i++) v[i] = i;
      z.writeArray("a", new long[] {0}, new long[] {v.length}, v);
    }
    for (String bad : List.of("a/0", "a/37", "a/63")) {
      byte[] good = Files.readAllBytes(dir.resolve(bad));
      Files.write(dir.resolve(bad), java.util.Arrays.copyOf(good, good.length / 2));
      try (ZarrStore z = ZarrStore.open(dir)) {
        assertThatThrownBy(() -> z.readDoubles("a", new long[] {0}, new long[] {131_072})).isInstanceOf(CorruptStoreException.class)
            .hasMessageContaining(bad).hasMessageContaining("array 'a'");
        assertThatThrownBy(() -> z.read("a")).isInstanceOf(CorruptStoreException.class).hasMessageContaining(bad);
      }
      Files.write(dir.resolve(bad), good);
    }
    try (ZarrStore z = ZarrStore.open(dir)) {
      assertThat(z.readDoubles("a", new long[] {0}, new long[] {131_072})[100_000]).isEqualTo(100_000.0);
    }
  }
}
