package org.atomstore.codec;

import java.lang.foreign.MemorySegment;

/** Records stored as they are. */
final class NoneCodec implements Codec {
  @Override public Compression compression() { return Compression.NONE; }

  @Override
  public int compress(byte[] src, int len, Buffer dst) {
    System.arraycopy(src, 0, dst.ensure(len), 0, len);
    return len;
  }

  @Override
  public long decompress(MemorySegment src, MemorySegment dst, int expectedSize) {
    if (src.byteSize() != expectedSize) return -1;
    MemorySegment.copy(src, 0, dst, 0, expectedSize);
    return expectedSize;
  }

  @Override public void close() {}
}
