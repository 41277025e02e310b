package org.atomstore.arrays;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The read path has three ways to place a chunk: decoded straight into a byte[] output (a whole chunk that is
 * one run of the region), decoded into a reused buffer and copied (partial and edge chunks, F order, native
 * destinations), and Blosc unshuffled straight into any segment (a float[] read's output). For every array of
 * every golden store (each dtype, byte order, order, codec and edge-chunk shape zarr-python wrote; the whole
 * read is checked against zarr-python's values by {@link GoldenStoresTest}), all of them give the same bytes.
 */
class ReadPathsTest {
  static Stream<String> arrays() throws IOException {
    return GoldenStoresTest.stores().flatMap(s -> {
      try (ZarrStore z = ZarrStore.open(GoldenStoresTest.DIR.resolve(s))) {
        return z.arrays().stream().map(a -> s + "|" + a).toList().stream();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  @ParameterizedTest
  @MethodSource("arrays")
  void wholeSlabBoxNativeAndTypedReadsAgree(String spec) throws IOException {
    String store = spec.substring(0, spec.indexOf('|'));
    String path = spec.substring(spec.indexOf('|') + 1);
    try (ZarrStore z = ZarrStore.open(GoldenStoresTest.DIR.resolve(store)); Arena arena = Arena.ofConfined()) {
      ArrayInfo info = z.array(path).orElseThrow();
      long[] shape = info.shape();
      int r = shape.length;
      byte[] whole = z.read(path).data();
      int item = whole.length == 0 ? 0 : (int) (whole.length / Math.max(1, Arrays.stream(shape).reduce(1, Math::multiplyExact)));

      // a confined segment (written by this thread only) and a shared one (written by the pool's threads)
      MemorySegment nat = arena.allocate(Math.max(1, whole.length)).asSlice(0, whole.length);
      z.read(path, new long[r], shape, nat);
      assertThat(nat.toArray(ValueLayout.JAVA_BYTE)).as("confined native destination").isEqualTo(whole);
      try (Arena shared = Arena.ofShared()) {
        MemorySegment sh = shared.allocate(Math.max(1, whole.length)).asSlice(0, whole.length);
        z.read(path, new long[r], shape, sh);
        assertThat(sh.toArray(ValueLayout.JAVA_BYTE)).as("shared native destination").isEqualTo(whole);
      }
      if (r == 0 || whole.length == 0) return;

      // one index of the first dimension at a time: partial chunks unless chunks are 1 deep there
      long row = whole.length / shape[0];
      long[] one = shape.clone();
      one[0] = 1;
      for (long i = 0; i < shape[0]; i++) {
        long[] st = new long[r];
        st[0] = i;
        byte[] slab = z.read(path, st, one).data();
        assertThat(slab).as("slab %d", i).isEqualTo(Arrays.copyOfRange(whole, (int) (i * row), (int) ((i + 1) * row)));
      }

      // an odd box inside
      long[] bs = new long[r], bc = new long[r];
      for (int d = 0; d < r; d++) {
        bs[d] = shape[d] / 3;
        bc[d] = Math.max(1, shape[d] - bs[d] - shape[d] / 5);
        if (bs[d] + bc[d] > shape[d]) bs[d] = shape[d] - bc[d];
      }
      byte[] box = z.read(path, bs, bc).data();
      assertThat(box).as("box").isEqualTo(subBox(whole, shape, bs, bc, item));

      if (info.dtype().endsWith("f4")) {
        float[] f = z.readFloats(path, new long[r], shape);
        ByteBuffer b = ByteBuffer.wrap(whole).order(info.dtype().startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < f.length; i++) assertThat(Float.floatToRawIntBits(f[i])).isEqualTo(b.getInt(4 * i));
      } else if (info.dtype().endsWith("f8")) {
        double[] f = z.readDoubles(path, new long[r], shape);
        ByteBuffer b = ByteBuffer.wrap(whole).order(info.dtype().startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < f.length; i++) assertThat(Double.doubleToRawLongBits(f[i])).isEqualTo(b.getLong(8 * i));
      } else if (info.dtype().endsWith("i4")) {
        int[] f = z.readInts(path, new long[r], shape);
        ByteBuffer b = ByteBuffer.wrap(whole).order(info.dtype().startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < f.length; i++) assertThat(f[i]).isEqualTo(b.getInt(4 * i));
      }
    }
  }

  @TempDir Path tmp;

  /**
   * A trajectory large enough that its chunks are read on several threads (an edge chunk last), in C and F
   * order and both byte orders: whole reads as floats, bytes and into segments, and frame windows, agree with
   * what was written.
   */
  @ParameterizedTest
  @CsvSource({"zstd:3,C,<f4", "lz4,C,<f4", "blosc:lz4:5:shuffle,C,<f4", "blosc:lz4:5:shuffle,C,>f4", "blosc:zstd:3:bitshuffle,C,<f4",
      "blosc:lz4:5:noshuffle,C,<f4", "zstd:3,F,<f4", "blosc:lz4:5:shuffle,F,>f4", "none,C,<f4", "gzip:1,C,>f4"})
  void largeTrajectoryReadsInParallelAgreeWithWhatWasWritten(String codec, char order, String dtype) throws IOException {
    int frames = 730, atoms = 64; // 561 KB: past the size a read shares with the pool
    float[] all = new float[frames * atoms * 3];
    Random r = new Random(11);
    for (int i = 0; i < all.length; i++) all[i] = i % 7 == 0 ? r.nextFloat() : i * 0.5f;
    long[] shape = {frames, atoms, 3};
    Path dir = tmp.resolve("t.zarr");
    try (ZarrStore z = ZarrStore.create(dir, ArrayCodec.parse(codec))) {
      z.defineArray("p", dtype, null, shape, new int[] {100, atoms, 3}, Float.NaN, ArrayCodec.parse(codec), order, '.');
      z.writeArray("p", new long[3], shape, all);
    }
    try (ZarrStore z = ZarrStore.open(dir); Arena confined = Arena.ofConfined(); Arena shared = Arena.ofShared()) {
      assertThat(Arrays.equals(z.readFloats("p"), all)).as("readFloats").isTrue();
      ByteOrder bo = dtype.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
      byte[] bytes = z.read("p").data();
      ByteBuffer want = ByteBuffer.allocate(4 * all.length).order(bo);
      want.asFloatBuffer().put(all);
      assertThat(bytes).isEqualTo(want.array());
      for (Arena a : List.of(confined, shared)) {
        MemorySegment seg = a.allocate(bytes.length);
        z.read("p", new long[3], shape, seg);
        assertThat(seg.toArray(ValueLayout.JAVA_BYTE)).isEqualTo(bytes);
      }
      for (long s0 : new long[] {0, 37, 99, 100, 480, 680}) {
        float[] w = z.readFloats("p", new long[] {s0, 0, 0}, new long[] {50, atoms, 3});
        assertThat(Arrays.equals(w, Arrays.copyOfRange(all, (int) s0 * atoms * 3, (int) (s0 + 50) * atoms * 3))).as("window at %d", s0).isTrue();
      }
    }
  }

  private static byte[] subBox(byte[] whole, long[] shape, long[] bs, long[] bc, int item) {
    int r = shape.length;
    long n = 1;
    for (long c : bc) n *= c;
    byte[] out = new byte[(int) (n * item)];
    long[] p = new long[r];
    for (long k = 0; k < n; k++) {
      long rest = k;
      for (int d = r - 1; d >= 0; d--) {
        p[d] = bs[d] + rest % bc[d];
        rest /= bc[d];
      }
      long lin = 0;
      for (int d = 0; d < r; d++) lin = lin * shape[d] + p[d];
      System.arraycopy(whole, (int) (lin * item), out, (int) (k * item), item);
    }
    return out;
  }
}
