package org.atomstore.arrays.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Blosc decoder's destinations and unshuffle loops against the plain byte-at-a-time definition. */
class BloscTest {
  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** Unshuffle by its definition: byte j of element i is byte i of stream j; the tail as is. */
  private static byte[] plainUnshuffle(int typesize, byte[] src) {
    int n = src.length / typesize;
    byte[] out = src.clone();
    for (int i = 0; i < n; i++) for (int j = 0; j < typesize; j++) out[i * typesize + j] = src[j * n + i];
    return out;
  }

  @ParameterizedTest
  @CsvSource({"2,1000", "3,1001", "4,76800", "4,4", "4,36", "4,103", "4,7", "8,800", "8,803", "5,999", "16,4096", "1,17"})
  void unshuffleMatchesItsDefinitionAtAnyOffsetAndUndoesShuffle(int typesize, int bsize) {
    byte[] src = random(bsize, typesize * 31L + bsize);
    byte[] want = plainUnshuffle(typesize, src);
    // into a float[]-backed segment at an odd offset, the way a float read's output is written
    float[] backing = new float[bsize / 4 + 8];
    MemorySegment seg = MemorySegment.ofArray(backing);
    Blosc.unshuffle(typesize, bsize, src, seg, 3);
    assertThat(seg.asSlice(3, bsize).toArray(ValueLayout.JAVA_BYTE)).isEqualTo(want);
    byte[] back = new byte[bsize];
    Blosc.shuffle(typesize, bsize, want, 0, back);
    assertThat(back).isEqualTo(src);
  }

  @ParameterizedTest
  @CsvSource({"lz4,1,4", "lz4,1,8", "lz4,0,4", "zstd,2,4", "zstd,2,8", "lz4,1,2", "zlib,1,4"})
  void framesDecodeAlikeIntoArraysSlicesAndNativeSegments(String cname, int shuffle, int typesize) throws Exception {
    int n = 300_000 + typesize * 3;
    byte[] raw = new byte[n];
    Random r = new Random(5);
    for (int i = 0; i < n; i++) raw[i] = (byte) (i % typesize == 0 ? r.nextInt(4) : i / 1000);
    byte[] frame = Blosc.encode(raw, typesize, cname, 5, shuffle);
    assertThat(Blosc.decode(frame, n)).isEqualTo(raw);

    byte[] big = new byte[n + 40];
    java.util.Arrays.fill(big, (byte) 0x5a);
    Blosc.decode(frame, frame.length, MemorySegment.ofArray(big).asSlice(17, n));
    assertThat(java.util.Arrays.copyOfRange(big, 17, 17 + n)).isEqualTo(raw);
    for (int i = 0; i < 17; i++) assertThat(big[i]).isEqualTo((byte) 0x5a);
    for (int i = 17 + n; i < big.length; i++) assertThat(big[i]).isEqualTo((byte) 0x5a);

    try (Arena a = Arena.ofConfined()) {
      MemorySegment nat = a.allocate(n);
      // a longer source array than the frame: only srcLen bytes count
      byte[] padded = java.util.Arrays.copyOf(frame, frame.length + 100);
      Blosc.decode(padded, frame.length, nat);
      assertThat(nat.toArray(ValueLayout.JAVA_BYTE)).isEqualTo(raw);
    }
  }
}
