package org.atomstore.codec;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import java.lang.foreign.MemorySegment;

/**
 * Standard zstd frames, one per record, with the content size set and no checksum (as the reference
 * writes them); any zstd frame decodes.
 */
final class ZstdCodec implements Codec {
  private final int level;
  private ZstdCompressCtx cctx;
  private ZstdDecompressCtx dctx;

  ZstdCodec(int level) { this.level = level; }

  @Override public Compression compression() { return Compression.zstd(level); }

  @Override
  public int compress(byte[] src, int len, Buffer dst) {
    if (cctx == null) {
      cctx = new ZstdCompressCtx().setLevel(level).setContentSize(true).setChecksum(false);
    }
    int bound = (int) Math.min(Integer.MAX_VALUE - 16, Zstd.compressBound(len));
    byte[] out = dst.ensure(bound);
    return cctx.compressByteArray(out, 0, out.length, src, 0, len);
  }

  @Override
  public long decompress(MemorySegment src, MemorySegment dst, int expectedSize) {
    if (dctx == null) dctx = new ZstdDecompressCtx();
    try {
      if (src.isNative() && dst.isNative()) {
        return dctx.decompressDirectByteBuffer(
            dst.asByteBuffer(), 0, expectedSize, src.asByteBuffer(), 0, (int) src.byteSize());
      }
      byte[] in = src.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
      byte[] out = new byte[expectedSize];
      int n = dctx.decompressByteArray(out, 0, expectedSize, in, 0, in.length);
      MemorySegment.copy(MemorySegment.ofArray(out), 0, dst, 0, n);
      return n;
    } catch (ZstdException e) {
      // zstd-jni's context API reports a corrupt frame, or content larger than expected, only by throwing: this is
      // the library's way of returning an error code, so it is turned into the codec's -1 here and nowhere else
      return -1;
    }
  }

  @Override
  public void close() {
    if (cctx != null) cctx.close();
    if (dctx != null) dctx.close();
    cctx = null;
    dctx = null;
  }
}
