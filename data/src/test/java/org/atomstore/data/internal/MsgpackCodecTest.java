package org.atomstore.data.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.atomstore.data.Complex;
import org.atomstore.data.NumpyScalar;
import org.atomstore.model.NdArray;
import org.junit.jupiter.api.Test;

/** Bytes as msgpack 1.0.3 + msgpack-numpy 0.4.8 write them (hex printed by Debian's python3 once, by hand). */
class MsgpackCodecTest {

  private static final HexFormat HEX = HexFormat.of();

  private static byte[] hex(String s) { return HEX.parseHex(s); }

  private static void sameBytesBothWays(Object value, String pythonHex) throws Exception {
    assertThat(HEX.formatHex(MsgpackCodec.encode(value))).isEqualTo(pythonHex);
    assertThat(MsgpackCodec.decode(hex(pythonHex))).isEqualTo(value);
  }

  @Test
  void pbcArrayIsTheReadmeExample() throws Exception {
    sameBytesBothWays(new NdArray("|b1", new long[] {3}, new byte[3]),
        "85c4026e64c3c40474797065a37c6231c4046b696e64c400c40573686170659103c40464617461c403000000");
  }

  @Test
  void integersTakeTheirSmallestFormUpToUint64() throws Exception {
    List<Object> ints = new ArrayList<>();
    for (long v : new long[] {0, 127, 128, 255, 256, 65535, 65536, (1L << 32) - 1, 1L << 32, Long.MAX_VALUE}) ints.add(v);
    ints.add(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE));
    for (long v : new long[] {-1, -32, -33, -128, -129, -32768, -32769, Integer.MIN_VALUE, Integer.MIN_VALUE - 1L, Long.MIN_VALUE}) ints.add(v);
    sameBytesBothWays(ints, "dc0015007fcc80ccffcd0100cdffffce00010000ceffffffffcf0000000100000000cf7fffffffffffffffcfff"
        + "ffffffffffffffffe0d0dfd080d1ff7fd18000d2ffff7fffd280000000d3ffffffff7fffffffd38000000000000000");
  }

  @Test
  void floatsAreFloat64AndNumpyFloat64IsAPlainFloat() throws Exception {
    sameBytesBothWays(1.5, "cb3ff8000000000000");
    byte[] quarter = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putDouble(0.25).array();
    assertThat(HEX.formatHex(MsgpackCodec.encode(new NumpyScalar("<f8", quarter)))).isEqualTo("cb3fd0000000000000");
    assertThat(MsgpackCodec.decode(hex("cb3fd0000000000000"))).isEqualTo(0.25);
  }

  @Test
  void numpyScalarsAreThreeEntryMaps() throws Exception {
    sameBytesBothWays(new NumpyScalar("<f4", hex("cdcccc3d")), "83c4026e64c2c40474797065a33c6634c40464617461c404cdcccc3d");
    sameBytesBothWays(new NumpyScalar("|b1", hex("01")), "83c4026e64c2c40474797065a37c6231c40464617461c40101");
    sameBytesBothWays(new NumpyScalar("|u1", hex("07")), "83c4026e64c2c40474797065a37c7531c40464617461c40107");
    sameBytesBothWays(new NumpyScalar("<c8", hex("0000803f000000c0")),
        "83c4026e64c2c40474797065a33c6338c40464617461c4080000803f000000c0");
  }

  @Test
  void complexNumbersArePythonReprStrings() throws Exception {
    List<Object> zs = List.of(new Complex(1.5, -2), new Complex(0, 2), new Complex(-0.0, -0.5),
        new Complex(Double.NaN, Double.POSITIVE_INFINITY), new Complex(1, 0), new Complex(1e16, 1e-5),
        new Complex(0.0, -0.0), new Complex(Double.NaN, Double.NEGATIVE_INFINITY));
    String py = "9882c407636f6d706c6578c3c40464617461a828312e352d326a2982c407636f6d706c6578c3c40464617461a2326a82c4"
        + "07636f6d706c6578c3c40464617461a9282d302d302e356a2982c407636f6d706c6578c3c40464617461aa286e616e2b696e666a"
        + "2982c407636f6d706c6578c3c40464617461a628312b306a2982c407636f6d706c6578c3c40464617461ae2831652b31362b31652d"
        + "30356a2982c407636f6d706c6578c3c40464617461a32d306a82c407636f6d706c6578c3c40464617461aa286e616e2d696e666a29";
    assertThat(HEX.formatHex(MsgpackCodec.encode(zs))).isEqualTo(py);
    // Record equality compares doubles by bits, so -0.0 and NaN round-trip exactly.
    assertThat(MsgpackCodec.decode(hex(py))).isEqualTo(zs);
    assertThat(MsgpackCodec.complexRepr(123456789.0, 1e22)).isEqualTo("(123456789+1e+22j)");
    assertThat(MsgpackCodec.parseComplex("1j")).isEqualTo(new Complex(0, 1));
    assertThat(MsgpackCodec.parseComplex(" (-j) ")).isEqualTo(new Complex(0, -1));
    assertThat(MsgpackCodec.parseComplex("1e-3+2.5E+2J")).isEqualTo(new Complex(1e-3, 250));
    assertThat(MsgpackCodec.parseComplex("3")).isEqualTo(new Complex(3, 0));
    assertThat(MsgpackCodec.parseComplex("1+2")).isNull();
    assertThat(MsgpackCodec.parseComplex("0x10j")).isNull();
  }

  @Test
  void arraysKeepDtypeByteOrderAndShape() throws Exception {
    sameBytesBothWays(new NdArray("<U2", new long[] {2}, hex("61000000620000006300000000000000")),
        "85c4026e64c3c40474797065a33c5532c4046b696e64c400c40573686170659102c40464617461c41061000000620000006300000000000000");
    sameBytesBothWays(new NdArray(">f8", new long[] {2}, hex("3ff00000000000004000000000000000")),
        "85c4026e64c3c40474797065a33e6638c4046b696e64c400c40573686170659102c40464617461c4103ff00000000000004000000000000000");
    sameBytesBothWays(new NdArray("<i4", new long[0], hex("03000000")),
        "85c4026e64c3c40474797065a33c6934c4046b696e64c400c405736861706590c40464617461c40403000000");
    sameBytesBothWays(new NdArray("<f8", new long[] {0, 3}, new byte[0]),
        "85c4026e64c3c40474797065a33c6638c4046b696e64c400c4057368617065920003c40464617461c400");
  }

  @Test
  void dictsKeepInsertionOrderAndBytesStayBin() throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("a", null);
    m.put("b", hex("00ff"));
    m.put("c", "x".repeat(40));
    m.put("d", List.of(true, 2.5));
    String py = "84a161c0a162c40200ffa163d92878787878787878787878787878787878787878787878787878787878787878787878787878787878"
        + "a16492c3cb4004000000000000";
    assertThat(HEX.formatHex(MsgpackCodec.encode(m))).isEqualTo(py);
    @SuppressWarnings("unchecked")
    var back = (Map<String, Object>) MsgpackCodec.decode(hex(py));
    assertThat(back).containsOnlyKeys("a", "b", "c", "d");
    assertThat(new ArrayList<>(back.keySet())).containsExactly("a", "b", "c", "d");
    assertThat((byte[]) back.get("b")).containsExactly(0, 0xff);
  }

  @Test
  void refusesHostileOrTruncatedValuesWithTheirOffset() {
    // array32 claiming 2^31 - 1 elements in a 5-byte value
    assertThatThrownBy(() -> MsgpackCodec.decode(hex("dd7fffffff"))).isInstanceOf(MsgpackFormatException.class)
        .hasMessageContaining("array count");
    // bin32 claiming 4 GB
    assertThatThrownBy(() -> MsgpackCodec.decode(hex("c6ffffffff00"))).isInstanceOf(MsgpackFormatException.class);
    // map32 of 2^31 - 1 pairs
    assertThatThrownBy(() -> MsgpackCodec.decode(hex("df7fffffff"))).isInstanceOf(MsgpackFormatException.class)
        .hasMessageContaining("map count");
    // truncated float 64
    assertThatThrownBy(() -> MsgpackCodec.decode(hex("cb3ff8"))).isInstanceOf(MsgpackFormatException.class);
    // trailing bytes (msgpack.unpackb raises ExtraData)
    assertThatThrownBy(() -> MsgpackCodec.decode(hex("01 02".replace(" ", "")))).isInstanceOf(MsgpackFormatException.class)
        .hasMessageContaining("extra bytes");
    // reserved type byte 0xc1
    assertThatThrownBy(() -> MsgpackCodec.decode(hex("c1"))).isInstanceOf(MsgpackFormatException.class);
    // ext type
    assertThatThrownBy(() -> MsgpackCodec.decode(hex("d40100"))).isInstanceOf(MsgpackFormatException.class);
    // invalid UTF-8 in a str
    assertThatThrownBy(() -> MsgpackCodec.decode(hex("a1ff"))).isInstanceOf(MsgpackFormatException.class)
        .hasMessageContaining("UTF-8");
    // an int map key
    assertThatThrownBy(() -> MsgpackCodec.decode(hex("810102"))).isInstanceOf(MsgpackFormatException.class)
        .hasMessageContaining("map key");
    // empty value
    assertThatThrownBy(() -> MsgpackCodec.decode(new byte[0])).isInstanceOf(MsgpackFormatException.class);
    // nesting bomb: 600 nested one-element arrays
    byte[] deep = new byte[601];
    java.util.Arrays.fill(deep, (byte) 0x91);
    deep[600] = 0;
    assertThatThrownBy(() -> MsgpackCodec.decode(deep)).isInstanceOf(MsgpackFormatException.class)
        .hasMessageContaining("nested");
  }

  @Test
  void refusesNdarraysWhoseDataDoesNotFitShape() {
    // pbc example with shape (4,) but 3 data bytes
    assertThatThrownBy(() -> MsgpackCodec.decode(hex(
        "85c4026e64c3c40474797065a37c6231c4046b696e64c400c40573686170659104c40464617461c403000000")))
        .isInstanceOf(MsgpackFormatException.class).hasMessageContaining("shape");
    // shape (2^62, 2^62) of <f8 with 3 bytes: no overflow, no allocation
    assertThatThrownBy(() -> MsgpackCodec.decode(hex(
        "85c4026e64c3c40474797065a37c6231c4046b696e64c400c405736861706592cf4000000000000000cf4000000000000000c40464617461c403000000")))
        .isInstanceOf(MsgpackFormatException.class);
    // a bad dtype string
    assertThatThrownBy(() -> MsgpackCodec.decode(hex(
        "85c4026e64c3c40474797065a37a7a7ac4046b696e64c400c40573686170659103c40464617461c403000000")))
        .isInstanceOf(MsgpackFormatException.class).hasMessageContaining("dtype");
    // pickled object array (kind O): never unpickled
    assertThatThrownBy(() -> MsgpackCodec.decode(hex(
        "85c4026e64c3c40474797065a37c4f38c4046b696e64c4014fc40573686170659100c40464617461c400")))
        .isInstanceOf(MsgpackFormatException.class).hasMessageContaining("pickled");
  }

  @Test
  void refusesValuesAsebytesCannotStore() {
    assertThatThrownBy(() -> MsgpackCodec.encode(BigInteger.TWO.pow(64))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MsgpackCodec.encode(Map.of(1, 2))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MsgpackCodec.encode(new Object())).isInstanceOf(IllegalArgumentException.class);
  }
}
