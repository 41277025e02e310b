package org.atomstore.arrays;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.atomstore.arrays.internal.DType;
import org.atomstore.arrays.internal.PyJson;
import org.atomstore.model.NdArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Stores of every dtype, codec, order and separator the writer supports, with partial edge chunks, unwritten
 * chunks and 0-d arrays. Here they must read back to what was written and dump identically after reopening;
 * with the environment variable {@code ATOMSTORE_INTEROP_OUT=DIR} each store and its dump are also kept in DIR for the side-by-side
 * check with zarr-python ({@code peers/zarr_dump.py --compare DUMP STORE}, see the module README).
 */
class InteropStoresTest {
  static final String[] DTYPES = {"|i1", "<i2", "<i4", "<i8", "|u1", "<u2", "<u4", "<u8", "<f2", "<f4", "<f8", ">i4", ">u8", ">f4", ">f8",
      "|b1", "|S5", "<U4", ">U3", "<M8[ns]", "<m8[s]"};
  @TempDir Path tmp;

  static NdArray random(String dtype, long[] shape, Random r) {
    DType t = DType.parse(dtype);
    long n = 1;
    for (long s : shape) n *= s;
    byte[] b = new byte[(int) (n * t.itemSize())];
    var bb = java.nio.ByteBuffer.wrap(b).order(t.byteOrder());
    for (int i = 0; i < n; i++) {
      switch (t.kind()) {
        case 'b' -> b[i] = (byte) r.nextInt(2);
        case 'f' -> {
          double v = r.nextInt(10) == 0 ? Double.NaN : (r.nextDouble() - 0.5) * 1000;
          if (t.itemSize() == 2) bb.putShort(i * 2, Float.floatToFloat16((float) v));
          else if (t.itemSize() == 4) bb.putFloat(i * 4, (float) v);
          else bb.putDouble(i * 8, v);
        }
        case 'c' -> {
          if (t.itemSize() == 16) {
            bb.putDouble(i * 16, r.nextGaussian());
            bb.putDouble(i * 16 + 8, r.nextGaussian());
          } else {
            bb.putFloat(i * 8, (float) r.nextGaussian());
            bb.putFloat(i * 8 + 4, (float) r.nextGaussian());
          }
        }
        case 'S' -> {
          int len = r.nextInt(t.itemSize() + 1);
          for (int k = 0; k < len; k++) b[i * t.itemSize() + k] = (byte) (r.nextInt(2) == 0 ? 'a' + r.nextInt(26) : 0xe9);
        }
        case 'U' -> {
          int len = r.nextInt(t.itemSize() / 4 + 1);
          int[] pool = {'x', 'é', 0x4e2d, 0x1F600, '\t'};
          for (int k = 0; k < len; k++) bb.putInt(i * t.itemSize() + 4 * k, pool[r.nextInt(pool.length)]);
        }
        default -> {
          long v = r.nextLong();
          switch (t.itemSize()) {
            case 1 -> b[i] = (byte) v;
            case 2 -> bb.putShort(i * 2, (short) v);
            case 4 -> bb.putInt(i * 4, (int) v);
            default -> bb.putLong(i * 8, v);
          }
        }
      }
    }
    return new NdArray(dtype, shape, b);
  }

  static Object fill(String dtype) {
    return switch (DType.parse(dtype).kind()) {
      case 'f', 'c' -> dtype.endsWith("8") ? Double.NaN : 1.5;
      case 'b' -> true;
      case 'S' -> "FILL".getBytes();
      case 'U' -> "NA";
      case 'M', 'm' -> Long.MIN_VALUE;
      default -> 7L;
    };
  }

  static void write(Path dir, String codec, long seed) throws Exception {
    Random r = new Random(seed);
    try (ZarrStore z = ZarrStore.create(dir, ArrayCodec.parse(codec))) {
      z.setAttributes("", java.util.Map.of("codec", codec, "seed", seed, "nested", java.util.Map.of("list", List.of(1, 2.5, "é"))));
      int k = 0;
      for (String dt : DTYPES) {
        char order = k % 2 == 0 ? 'C' : 'F';
        char sep = k % 3 == 0 ? '/' : '.';
        String name = "g" + (k % 2) + "/a" + k + "_" + dt.replaceAll("[^A-Za-z0-9]", "");
        long[] shape = {7, 5};
        z.defineArray(name, dt, List.of("row", "col"), shape, new int[] {3, 2}, fill(dt), ArrayCodec.parse(codec), order, sep);
        // rows 0..5 written; row 6 (the last chunk row, partial) stays fill, and a box is rewritten
        z.writeArray(name, new long[] {0, 0}, random(dt, new long[] {6, 5}, r));
        z.writeArray(name, new long[] {1, 1}, random(dt, new long[] {2, 3}, r));
        z.defineArray(name + "_0d", dt, null, new long[] {}, new int[] {}, fill(dt));
        if (k % 2 == 0) z.writeArray(name + "_0d", new long[] {}, random(dt, new long[] {}, r));
        k++;
      }
      // chunks large enough that every codec compresses (small Blosc chunks are stored memcpyed)
      float[] pos = new float[300 * 64 * 3];
      for (int i = 0; i < pos.length; i++) pos[i] = (float) Math.sin(i * 0.001) * 10 + (i % 3);
      z.defineArray("traj/positions", "<f4", List.of("frame", "atom", "xyz"), new long[] {300, 64, 3}, new int[] {100, 64, 3}, Float.NaN);
      z.writeArray("traj/positions", new long[3], new long[] {250, 64, 3}, java.util.Arrays.copyOf(pos, 250 * 64 * 3));
      long[] ids = new long[5000];
      for (int i = 0; i < ids.length; i++) ids[i] = i / 7;
      z.defineArray("traj/ids", ">i8", List.of("n"), new long[] {5000}, new int[] {2048}, 0L, ArrayCodec.parse(codec), 'C', '/');
      z.writeArray("traj/ids", new long[1], new long[] {5000}, ids);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"none", "zstd:3", "lz4", "zlib:6", "gzip:5", "blosc:lz4:5:shuffle", "blosc:lz4hc:9:noshuffle",
      "blosc:zstd:3:bitshuffle", "blosc:zlib:1:shuffle"})
  void everyDtypeOrderAndSeparatorReadsBackTheSameAfterReopening(String codec) throws Exception {
    Path dir = tmp.resolve("s.zarr");
    write(dir, codec, 42);
    String first;
    try (ZarrStore z = ZarrStore.open(dir)) {
      first = ZarrDump.text(z, Long.MAX_VALUE);
      assertThat(z.arrays()).hasSize(2 * DTYPES.length + 2);
    }
    String out = System.getenv("ATOMSTORE_INTEROP_OUT");
    if (out != null && !out.isBlank()) {
      String base = "interop_" + codec.replace(':', '_') + ".zarr";
      Path keep = Path.of(out).resolve(base);
      if (!Files.exists(keep)) write(keep, codec, 42);
      Files.writeString(Path.of(out).resolve(base + ".atomstore.json"), first);
    }
    assertThat(PyJson.MAPPER.readTree(first).get("arrays")).hasSize(2 * DTYPES.length + 2);
  }

  private static int counter;

  private static String name(String dt) { return (counter++) + "_" + dt.replaceAll("[^A-Za-z0-9]", ""); }

  @Test
  void writtenValuesAreTheValuesRead() throws Exception {
    Path dir = tmp.resolve("v.zarr");
    Random r = new Random(3);
    try (ZarrStore z = ZarrStore.create(dir, ArrayCodec.blosc("zstd", 3, 2))) {
      List<String> all = new java.util.ArrayList<>(List.of(DTYPES));
      all.addAll(List.of("<c16", ">c8"));
      for (String dt : all) {
        NdArray v = random(dt, new long[] {4, 6}, r);
        String name = "a" + name(dt);
        z.defineArray(name, dt, null, new long[] {4, 6}, new int[] {3, 4}, fill(dt), ArrayCodec.blosc("zstd", 3, 2), 'F', '/');
        z.writeArray(name, new long[] {0, 0}, v);
        z.flush();
        assertThat(z.read(name)).as(dt).isEqualTo(v);
      }
    }
  }
}
