package org.atomstore.samples;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.atomstore.model.NdArray;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Encode/decode throughput for the closing note; runs only when asked ({@code -Datomstore.bench=true}),
 * never as a timed unit test. The Python peer doing the same work: {@code samples/bench/codec_bench.py}.
 */
class CodecBench {
  record Emb(String id, NdArray vector, double score, long step) {}

  @Test
  void encodeDecodeSamplesPerSecond() throws Exception {
    Assumptions.assumeTrue(Boolean.getBoolean("atomstore.bench"), "benchmark: set -Datomstore.bench=true");
    var type = SampleType.of(Emb.class);
    ByteBuffer b = ByteBuffer.allocate(128 * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 128; i++) b.putFloat(i * 0.5f);
    var s = new Emb("sample-000001", new NdArray("<f4", new long[] {128}, b.array()), 0.25, 7);
    int n = 200_000;
    long sink = 0;
    for (int round = 0; round < 3; round++) {
      long t0 = System.nanoTime();
      byte[] last = null;
      for (int i = 0; i < n; i++) { last = type.encode(s); sink += last.length; }
      long t1 = System.nanoTime();
      for (int i = 0; i < n; i++) sink += type.decode(last, null, null).step();
      long t2 = System.nanoTime();
      System.out.printf("round %d: encode %.0f samples/s, decode %.0f samples/s (%d bytes each)%n", round,
          n / ((t1 - t0) / 1e9), n / ((t2 - t1) / 1e9), last.length);
    }
    System.out.println("sink " + sink);
  }

  /** {@code -Datomstore.bench.blocks=DIR1,DIR2,...}: random get/s of AtomsSample block datasets. */
  @Test
  void randomGetsPerSecond() throws Exception {
    String dirs = System.getProperty("atomstore.bench.blocks");
    Assumptions.assumeTrue(dirs != null, "benchmark: set -Datomstore.bench.blocks=DIR,...");
    var type = SampleType.of(AtomsSample.class);
    for (String d : dirs.split(",")) {
      try (var ds = org.atomstore.samples.blocks.BlockDataset.open(type, java.nio.file.Path.of(d))) {
        var r = new java.util.SplittableRandom(1);
        long sink = 0;
        for (int round = 0; round < 3; round++) {
          int n = 200_000;
          long t0 = System.nanoTime();
          for (int i = 0; i < n; i++) sink += ds.get(r.nextLong(ds.size())).positions().data().length;
          long t1 = System.nanoTime();
          System.out.printf("%s round %d: %.0f random get/s (decoded AtomsSample)%n", d, round, n / ((t1 - t0) / 1e9));
        }
        System.out.println("sink " + sink);
      }
    }
  }
}
