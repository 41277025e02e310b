package org.atomstore.samples;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import org.atomstore.model.NdArray;
import org.atomstore.samples.wds.ShardWriter;

/**
 * Writes shards for the manual side-by-side check with atdata's own decoder; runs only when asked:
 * {@code ./mvnw -pl samples -am verify -Dtest=InteropWriter -Datomstore.interop.out=OUT_DIR}, then
 * {@code /usr/bin/python3 ../shared/peers/atdata_dump.py OUT_DIR/NAME-*.tar --ndarray-fields ...}.
 */
class InteropWriter {
  record Everything(BigInteger i, double f, String s, boolean b, byte[] raw, @Nullable Long maybe, List<String> tags,
      List<Double> values, NdArray half, NdArray bigEndian, NdArray bytes, NdArray flags, NdArray zeroD, NdArray u16) {}

  static NdArray arr(String dtype, long[] shape, ByteOrder order, int item, double... v) {
    ByteBuffer b = ByteBuffer.allocate(item * v.length).order(order);
    for (double x : v) {
      switch (dtype.substring(1)) {
        case "f2" -> b.putShort(Float.floatToFloat16((float) x));
        case "f8" -> b.putDouble(x);
        case "i1", "u1", "b1" -> b.put((byte) x);
        case "u2" -> b.putShort((short) x);
        default -> throw new IllegalArgumentException(dtype);
      }
    }
    return new NdArray(dtype, shape, b.array());
  }

  @org.junit.jupiter.api.Test
  void writeShardsForTheManualCheck() throws Exception {
    String out = System.getProperty("atomstore.interop.out");
    org.junit.jupiter.api.Assumptions.assumeTrue(out != null, "manual interop check: set -Datomstore.interop.out=DIR");
    main(new String[] {out});
  }

  static void main(String[] args) throws Exception {
    var type = SampleType.of(Everything.class);
    var le = ByteOrder.LITTLE_ENDIAN;
    try (var w = ShardWriter.local(type, Path.of(args[0], "everything-%06d.tar"), 3, Long.MAX_VALUE)) {
      for (int k = 0; k < 7; k++) {
        w.write(new Everything(BigInteger.valueOf(k * 1000L - 3000).multiply(BigInteger.valueOf(k == 6 ? 1L << 40 : 1)),
            k / 3.0, "s" + k + "é", k % 2 == 0, new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'}, k % 2 == 0 ? null : (long) k,
            List.of("a", "b" + k), List.of(1.5, -0.0, Double.NaN),
            arr("<f2", new long[] {2, 2}, le, 2, 0.5, -1, 65504, k),
            arr(">f8", new long[] {3}, ByteOrder.BIG_ENDIAN, 8, Math.PI, -k, Double.POSITIVE_INFINITY),
            arr("|i1", new long[] {2, 1, 2}, le, 1, -128, 127, 0, k),
            arr("|b1", new long[] {3}, le, 1, 1, 0, 1),
            arr("<f8", new long[] {}, le, 8, k * 0.25),
            arr("<u2", new long[] {0, 4}, le, 2)));
      }
    }
  }
}
