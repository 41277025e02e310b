package org.atomstore.codec;

import java.lang.foreign.MemorySegment;

/**
 * Compresses and decompresses single records. Implementations hold per-thread native contexts, so one
 * Codec instance belongs to one thread; get one per thread from {@link #forCompression}.
 */
public sealed interface Codec extends AutoCloseable permits NoneCodec, ZstdCodec, Lz4Codec {

  Compression compression();

  /**
   * Compresses {@code src[0, len)} into {@code dst}, growing it when needed, and returns the compressed
   * length. {@code dst} is replaced through the holder.
   */
  int compress(byte[] src, int len, Buffer dst);

  /**
   * Decompresses {@code src} (a slice of the file) into {@code dst[0, expectedSize)} and returns the
   * number of bytes produced, or a negative number when the input is not valid for this codec.
   */
  long decompress(MemorySegment src, MemorySegment dst, int expectedSize);

  @Override
  void close();

  /** A growable byte array. */
  final class Buffer {
    public byte[] bytes;

    public Buffer(int capacity) { bytes = new byte[capacity]; }

    public byte[] ensure(int capacity) {
      if (bytes.length < capacity) {
        bytes = java.util.Arrays.copyOf(bytes, Math.max(capacity, (int) Math.min(Integer.MAX_VALUE - 16, bytes.length * 2L)));
      }
      return bytes;
    }
  }

  static Codec forCompression(Compression c) {
    return switch (c.kind()) {
      case NONE -> new NoneCodec();
      case ZSTD -> new ZstdCodec(c.level());
      case LZ4 -> new Lz4Codec();
    };
  }
}
