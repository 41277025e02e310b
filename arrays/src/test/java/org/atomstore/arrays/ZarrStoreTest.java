package org.atomstore.arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.atomstore.model.NdArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ZarrStoreTest {
  @TempDir Path tmp;

  private static float[] ramp(int n, long seed) {
    Random r = new Random(seed);
    float[] f = new float[n];
    for (int i = 0; i < n; i++) f[i] = i * 0.25f + (r.nextInt(4) == 0 ? r.nextFloat() : 0);
    return f;
  }

  @ParameterizedTest
  @ValueSource(strings = {"none", "zstd:3", "lz4", "zlib:6", "gzip:5", "blosc:lz4:5:shuffle", "blosc:zstd:3:bitshuffle", "blosc:lz4hc:9:noshuffle", "blosc:zlib:1:shuffle"})
  void writesHyperRectanglesAndReadsThemBackAfterReopening(String codec) throws Exception {
    Path dir = tmp.resolve("s.zarr");
    float[] all = ramp(7 * 5 * 3, 7);
    try (ZarrStore z = ZarrStore.create(dir, ArrayCodec.parse(codec))) {
      z.createDataset("traj");
      z.defineArray("traj/positions", "<f4", List.of("frame", "atom", "xyz"), new long[] {7, 5, 3}, new int[] {2, 2, 3}, Float.NaN);
      // two overlapping writes of odd boxes: the second wins where they meet
      z.writeArray("traj/positions", new long[] {0, 0, 0}, new long[] {7, 5, 3}, all);
      float[] box = {-1, -2, -3, -4, -5, -6};
      z.writeArray("traj/positions", new long[] {3, 1, 1}, new long[] {3, 1, 2}, box);
      for (int i = 0; i < 3; i++) for (int k = 0; k < 2; k++) all[((3 + i) * 5 + 1) * 3 + 1 + k] = box[i * 2 + k];
      assertThat(z.readFloats("traj/positions")).containsExactly(all);
    }
    assertThat(dir.resolve(".zmetadata")).exists();
    try (ZarrStore z = ZarrStore.open(dir)) {
      assertThat(z.consolidated()).isTrue();
      assertThat(z.readFloats("traj/positions")).containsExactly(all);
      float[] part = z.readFloats("traj/positions", new long[] {2, 1, 1}, new long[] {4, 3, 2});
      for (int i = 0; i < 4; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 2; k++) {
        assertThat(part[(i * 3 + j) * 2 + k]).isEqualTo(all[((2 + i) * 5 + 1 + j) * 3 + 1 + k]);
      }
      ArrayInfo info = z.array("traj/positions").orElseThrow();
      assertThat(info.dims()).containsExactly("frame", "atom", "xyz");
      assertThat((Double) info.fillValue()).isNaN();
      assertThat(z.datasets()).containsExactly("traj");
    }
  }

  @Test
  void unwrittenChunksReadAsFillAndNothingIsStoredBeforeFlush() throws Exception {
    Path dir = tmp.resolve("f.zarr");
    try (ZarrStore z = ZarrStore.create(dir, ArrayCodec.zstd(1))) {
      z.defineArray("a", "<i8", List.of("x"), new long[] {10}, new int[] {4}, -7L);
      z.writeArray("a", new long[] {4}, new long[] {2}, new long[] {1, 2});
      assertThat(dir.resolve("a/.zarray")).doesNotExist();
      assertThat(dir.resolve("a/1")).doesNotExist();
      z.flush();
      assertThat(dir.resolve("a/1")).exists();
      assertThat(dir.resolve("a/0")).doesNotExist();
      assertThat(z.readLongs("a", new long[] {0}, new long[] {10})).containsExactly(-7, -7, -7, -7, 1, 2, -7, -7, -7, -7);
    }
  }

  @Test
  void statisticsAreComputedOnFlushAndStoredAsAttributes() throws Exception {
    Path dir = tmp.resolve("st.zarr");
    try (ZarrStore z = ZarrStore.create(dir, ArrayCodec.NONE)) {
      z.defineArray("e", "<f8", List.of("frame"), new long[] {5}, new int[] {2}, Double.NaN);
      z.writeArray("e", new long[] {0}, new long[] {4}, new double[] {3.5, Double.NaN, -1.25, 8});
      z.flush();
      assertThat(z.stats("e")).contains(new ArrayStats(5, 5, 2, -1.25, 8.0));
      z.defineArray("n", ">i4", null, new long[] {2, 3}, new int[] {2, 2}, 0);
      z.writeArray("n", new long[] {0, 0}, new NdArray("<i4", new long[] {1, 3}, le(5, 0, -9)));
    }
    try (ZarrStore z = ZarrStore.open(dir)) {
      assertThat(z.stats("n")).contains(new ArrayStats(2, 6, 4, -9L, 5L));
      assertThat(z.attributes("e")).containsKey("statistics");
      assertThat(z.read("n").data()).containsExactly(0, 0, 0, 5, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xf7 - 256, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }
  }

  private static byte[] le(int... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (int x : v) b.putInt(x);
    return b.array();
  }

  @Test
  void readAcrossStacksOneArrayFromManyDatasets() throws Exception {
    try (ZarrStore z = ZarrStore.create(tmp.resolve("x.zarr"), ArrayCodec.lz4())) {
      for (int d = 0; d < 3; d++) {
        z.defineArray("ds" + d + "/energy", "<f8", List.of("frame"), new long[] {4}, new int[] {3}, 0.0);
        z.writeArray("ds" + d + "/energy", new long[] {0}, new long[] {4}, new double[] {d, d + 1, d + 2, d + 3});
      }
      z.setAttributes("ds1", Map.of("source", "md", "temperature", 300));
      z.flush();
      NdArray s = z.readAcross(List.of("ds2", "ds0"), "energy");
      assertThat(s.shape()).containsExactly(2, 4);
      ByteBuffer b = ByteBuffer.wrap(s.data()).order(ByteOrder.LITTLE_ENDIAN);
      assertThat(b.getDouble(0)).isEqualTo(2);
      assertThat(b.getDouble(8 * 4)).isEqualTo(0);
      assertThat(z.attributes("ds1")).containsEntry("temperature", 300);
      z.defineArray("ds0/other", "<f8", null, new long[] {5}, new int[] {3}, 0.0);
      assertThatThrownBy(() -> z.readAcross(List.of("ds0", "ds1"), "other")).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void deleteHidesAtOnceAndCompactRemovesChunksAfterReadsInFlight() throws Exception {
    Path dir = tmp.resolve("d.zarr");
    try (ZarrStore z = ZarrStore.create(dir, ArrayCodec.zstd(1))) {
      z.defineArray("ds0/a", "<f4", null, new long[] {4}, new int[] {2}, 0.0f);
      z.defineArray("ds1/a", "<f4", null, new long[] {4}, new int[] {2}, 0.0f);
      z.writeArray("ds0/a", new long[] {0}, new long[] {4}, new float[] {1, 2, 3, 4});
      z.writeArray("ds1/a", new long[] {0}, new long[] {4}, new float[] {5, 6, 7, 8});
      z.flush();
      try (ZarrStore old = ZarrStore.open(dir)) {
        z.delete("ds0");
        assertThat(z.datasets()).containsExactly("ds1");
        assertThat(dir.resolve("ds0/.zgroup")).doesNotExist();
        assertThat(dir.resolve("ds0/a/0")).exists();
        // a reader holding the old metadata still reads the old values until compact
        assertThat(old.readFloats("ds0/a")).containsExactly(1, 2, 3, 4);
        try (ZarrStore fresh = ZarrStore.open(dir)) {
          assertThat(fresh.datasets()).containsExactly("ds1");
        }
        assertThatThrownBy(() -> z.defineArray("ds0/a", "<f4", null, new long[] {1}, new int[] {1}, 0.0f)).isInstanceOf(IllegalStateException.class);
        z.compact();
        assertThat(dir.resolve("ds0")).doesNotExist();
        assertThat(z.readFloats("ds1/a")).containsExactly(5, 6, 7, 8);
      }
    }
  }

  @Test
  void closeIsIdempotentAndUseAfterCloseIsAnError() throws Exception {
    ZarrStore z = ZarrStore.create(tmp.resolve("c.zarr"), ArrayCodec.NONE);
    z.defineArray("a", "|u1", null, new long[] {3}, new int[] {3}, 0);
    z.close();
    z.close();
    assertThatThrownBy(() -> z.read("a")).isInstanceOf(IllegalStateException.class);
    try (ZarrStore r = ZarrStore.open(tmp.resolve("c.zarr"))) {
      assertThat(r.read("a").data()).containsExactly(0, 0, 0);
    }
  }

  @Test
  void writesEveryDtypeOrderAndSeparatorAndDumpsThemBack() throws Exception {
    Path dir = tmp.resolve("all.zarr");
    try (ZarrStore z = ZarrStore.create(dir, ArrayCodec.blosc("lz4", 5, 1))) {
      z.defineArray("s", "|S4", null, new long[] {3}, new int[] {2}, "ab".getBytes());
      z.writeArray("s", new long[] {0}, new NdArray("|S4", new long[] {2}, "xy\0\0wxyz".getBytes()));
      z.defineArray("u", "<U3", null, new long[] {2}, new int[] {2}, "NA", ArrayCodec.zstd(1), 'F', '/');
      ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
      b.putInt('é').putInt(0x1F600).putInt(0).putInt('a').putInt(0).putInt(0);
      z.writeArray("u", new long[] {0}, new NdArray("<U3", new long[] {2}, b.array()));
      z.defineArray("m", "<f8", null, new long[] {3, 4}, new int[] {2, 3}, 0.0, ArrayCodec.gzip(5), 'F', '/');
      double[] m = new double[12];
      for (int i = 0; i < 12; i++) m[i] = i * 1.5;
      z.writeArray("m", new long[] {0, 0}, new long[] {3, 4}, m);
      z.defineArray("t", "<M8[s]", null, new long[] {2}, new int[] {1}, Long.MIN_VALUE);
      z.writeArray("t", new long[] {1}, new long[] {1}, new long[] {1_700_000_000L});
      z.defineArray("b", "|b1", null, new long[] {}, new int[] {}, false);
      z.writeArray("b", new long[] {}, new NdArray("|b1", new long[] {}, new byte[] {1}));
    }
    try (ZarrStore z = ZarrStore.open(dir)) {
      var dump = org.atomstore.arrays.internal.PyJson.MAPPER.readTree(ZarrDump.text(z, Long.MAX_VALUE));
      var arrays = dump.get("arrays");
      assertThat(arrays.get(0).get("path").asText()).isEqualTo("b");
      assertThat(arrays.get(0).get("data").asBoolean()).isTrue();
      assertThat(arrays.get(1).get("data").toString()).isEqualTo("[[0.0,1.5,3.0,4.5],[6.0,7.5,9.0,10.5],[12.0,13.5,15.0,16.5]]");
      assertThat(arrays.get(1).get("chunk_keys").toString()).isEqualTo("[\"0/0\",\"0/1\",\"1/0\",\"1/1\"]");
      assertThat(arrays.get(2).get("data").toString()).isEqualTo("[\"xy\",\"wxyz\",\"ab\"]");
      assertThat(arrays.get(3).get("data").toString()).isEqualTo("[-9223372036854775808,1700000000]");
      assertThat(arrays.get(4).get("data").get(0).asText()).isEqualTo("é\uD83D\uDE00");
      assertThat(arrays.get(4).get("fill_value").asText()).isEqualTo("NA");
    }
    assertThat(Files.readString(dir.resolve("u/.zarray"))).contains("\"dimension_separator\": \"/\"").contains("\"order\": \"F\"");
  }
}
