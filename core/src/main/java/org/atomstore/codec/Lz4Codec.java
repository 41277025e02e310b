package org.atomstore.codec;

import java.lang.foreign.MemorySegment;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * Raw LZ4 blocks with no size prefix, compressed with LZ4 HC level 12 as the reference does; decoded with
 * the uncompressed size from the index.
 */
final class Lz4Codec implements Codec {
  private static final LZ4Factory FACTORY = LZ4Factory.fastestInstance();
  private static final int HC_LEVEL = 12;
  private LZ4Compressor compressor;
  private final LZ4SafeDecompressor decompressor = FACTORY.safeDecompressor();

  @Override public Compression compression() { return Compression.LZ4; }

  @Override
  public int compress(byte[] src, int len, Buffer dst) {
    if (compressor == null) compressor = FACTORY.highCompressor(HC_LEVEL);
    byte[] out = dst.ensure(compressor.maxCompressedLength(len));
    return compressor.compress(src, 0, len, out, 0, out.length);
  }

  @Override
  public long decompress(MemorySegment src, MemorySegment dst, int expectedSize) {
    try {
      return decompressor.decompress(src.asByteBuffer(), 0, (int) src.byteSize(), dst.asByteBuffer(), 0, expectedSize);
    } catch (LZ4Exception e) {
      // lz4-java reports a malformed block, or output larger than expected, only by throwing: turned into -1 here
      return -1;
    }
  }

  @Override public void close() {}
}
