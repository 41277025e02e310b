package org.atomstore.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.atomstore.model.NdArray;
import org.atomstore.samples.wds.WdsDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Corrupt, truncated and hostile shards and samples: checked exceptions naming shard, member and field. */
class HostileInputTest {
  @TempDir Path dir;

  record Arr(NdArray a, String s) {}

  static final SampleType<Arr> TYPE = SampleType.of(Arr.class);

  static byte[] tar(String name, byte[] data) throws IOException {
    var bos = new ByteArrayOutputStream();
    try (var t = new TarArchiveOutputStream(bos)) {
      var e = new TarArchiveEntry(name, true);
      e.setSize(data.length);
      t.putArchiveEntry(e);
      t.write(data);
      t.closeArchiveEntry();
    }
    return bos.toByteArray();
  }

  Path shard(String file, byte[] bytes) throws IOException {
    Path p = dir.resolve(file);
    Files.write(p, bytes);
    return p;
  }

  static byte[] sample(byte[] arrayBytes) {
    // {"a": bin(arrayBytes), "s": "x"}
    var b = new ByteArrayOutputStream();
    b.write(0x82);
    b.write(0xa1); b.write('a');
    b.write(0xc6); b.writeBytes(ByteBuffer.allocate(4).putInt(arrayBytes.length).array());
    b.writeBytes(arrayBytes);
    b.write(0xa1); b.write('s'); b.write(0xa1); b.write('x');
    return b.toByteArray();
  }

  CorruptSampleException readFails(Path p) {
    var ds = WdsDataset.local(TYPE, List.of(p));
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(ds::readAll);
    assertThat(t).isInstanceOf(CorruptSampleException.class);
    assertThat(t.getMessage()).contains(p.toString());
    return (CorruptSampleException) t;
  }

  @Test
  void memberClaimingTwoToTheFortyBytes() throws IOException {
    byte[] header = new byte[512];
    byte[] name = "k.msgpack".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(name, 0, header, 0, name.length);
    System.arraycopy("0000444\0".getBytes(StandardCharsets.US_ASCII), 0, header, 100, 8);
    System.arraycopy("0000000\0".getBytes(StandardCharsets.US_ASCII), 0, header, 108, 8);
    System.arraycopy("0000000\0".getBytes(StandardCharsets.US_ASCII), 0, header, 116, 8);
    // size in base-256 (GNU/star): 0x80 then the big-endian value 2^40
    header[124] = (byte) 0x80;
    long size = 1L << 40;
    for (int i = 0; i < 8; i++) header[135 - i] = (byte) (size >>> (8 * i));
    System.arraycopy("00000000000\0".getBytes(StandardCharsets.US_ASCII), 0, header, 136, 12);
    header[156] = '0';
    System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, header, 257, 6);
    header[263] = '0';
    header[264] = '0';
    Arrays.fill(header, 148, 156, (byte) ' ');
    int sum = 0;
    for (byte b : header) sum += b & 0xff;
    System.arraycopy(String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII), 0, header, 148, 8);
    byte[] file = Arrays.copyOf(header, 10240);
    var e = readFails(shard("big.tar", file));
    assertThat(e.key()).isEqualTo("k.msgpack");
    assertThat(e.getMessage()).contains("1099511627776");
  }

  @Test
  void pathTraversingMemberName() throws IOException {
    var e = readFails(shard("evil.tar", tar("../../etc/x.msgpack", sample(new byte[] {3, '<', 'f', '4', 0, 0, 0, 0, 0}))));
    assertThat(e.key()).isEqualTo("../../etc/x.msgpack");
  }

  @Test
  void ndarrayWithAbsurdNdim() throws IOException {
    byte[] arr = {3, '<', 'f', '4', (byte) 200};
    var e = readFails(shard("ndim.tar", tar("k.msgpack", sample(arr))));
    assertThat(e.field()).isEqualTo("a");
    assertThat(e.key()).isEqualTo("k.msgpack");
    assertThat(e.getMessage()).contains("ndim 200");
  }

  @Test
  void ndarrayWithAbsurdShape() throws IOException {
    ByteBuffer b = ByteBuffer.allocate(5 + 16 + 8).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {3, '<', 'f', '8', 2}).putLong(1L << 62).putLong(1L << 62).putLong(0);
    var e = readFails(shard("shape.tar", tar("k.msgpack", sample(b.array()))));
    assertThat(e.field()).isEqualTo("a");
    assertThat(e.getMessage()).contains("needs more than");
  }

  @Test
  void ndarrayWithGarbageDtype() throws IOException {
    byte[] arr = {3, 'z', 'z', 'z', 0};
    assertThat(readFails(shard("dtype.tar", tar("k.msgpack", sample(arr)))).field()).isEqualTo("a");
  }

  @Test
  void msgpackWithAHugeLengthPrefix() throws IOException {
    byte[] s = {(byte) 0x82, (byte) 0xa1, 'a', (byte) 0xc6, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xf0, 1, 2};
    var e = readFails(shard("len.tar", tar("k.msgpack", s)));
    assertThat(e.field()).isEqualTo("a");
    assertThat(e.getMessage()).contains("runs past the end");
  }

  @Test
  void mapWithAHugeCount() throws IOException {
    byte[] s = {(byte) 0xdf, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xa1, 'a'};
    assertThat(readFails(shard("map.tar", tar("k.msgpack", s))).getMessage()).containsAnyOf("element count", "length prefix too large");
  }

  @Test
  void truncatedMsgpack() throws IOException {
    byte[] good = sample(new byte[] {3, '<', 'f', '4', 0, 0, 0, 0, 0});
    var e = readFails(shard("trunc.tar", tar("k.msgpack", Arrays.copyOf(good, good.length - 3))));
    assertThat(e.key()).isEqualTo("k.msgpack");
  }

  @Test
  void randomBytesNeverEscapeAsUncheckedExceptions() throws IOException {
    var r = new Random(42);
    byte[] good = sample(new byte[] {3, '<', 'f', '4', 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    for (int i = 0; i < 2000; i++) {
      byte[] b = good.clone();
      for (int k = 0; k < 1 + r.nextInt(3); k++) b[r.nextInt(b.length)] = (byte) r.nextInt(256);
      if (r.nextBoolean()) b = Arrays.copyOf(b, r.nextInt(b.length + 1));
      try {
        TYPE.decode(b, "fuzz", "k" + i);
      } catch (CorruptSampleException expected) {
        assertThat(expected.getMessage()).contains("fuzz");
      }
    }
  }

  @Test
  void corruptTarHeader() throws IOException {
    byte[] t = tar("k.msgpack", sample(new byte[] {3, '<', 'f', '4', 0, 0, 0, 0, 0}));
    t[148] = 'x'; // checksum field
    t[0] = (byte) 0xff;
    readFails(shard("hdr.tar", t));
  }

  @Test
  void truncatedTarMember() throws IOException {
    byte[] t = tar("k.msgpack", new byte[4000]);
    var e = readFails(shard("cut.tar", Arrays.copyOf(t, 512 + 1000)));
    assertThat(e.key()).isEqualTo("k.msgpack");
  }

  @Test
  void wrongTypeForAField() throws IOException {
    byte[] s = {(byte) 0x82, (byte) 0xa1, 'a', 0x05, (byte) 0xa1, 's', (byte) 0xa1, 'x'};
    var e = readFails(shard("type.tar", tar("k.msgpack", s)));
    assertThat(e.field()).isEqualTo("a");
  }

  @Test
  void missingFieldIsNamed() {
    byte[] s = {(byte) 0x81, (byte) 0xa1, 's', (byte) 0xa1, 'x'};
    assertThatThrownBy(() -> TYPE.decode(s, "sh", "k")).isInstanceOf(CorruptSampleException.class)
        .hasMessageContaining("field a").hasMessageContaining("missing");
  }
}
