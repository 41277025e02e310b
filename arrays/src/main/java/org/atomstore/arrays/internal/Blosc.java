package org.atomstore.arrays.internal;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;

/**
 * Blosc 1 frames as numcodecs writes them, decoded and encoded in Java: no maintained Blosc library on Maven
 * Central is pure Java (blosc-java and jblosc bind the native c-blosc, which would read hostile frames in
 * native memory), while the inner codecs come from libraries already here (lz4-java, zstd-jni, the JDK's
 * zlib) and BloscLZ decompression is small ({@link BloscLz}).
 *
 * <pre>
 * frame   --> header, (memcpyed ? raw:u8[nbytes] : bstarts:i32le[nblocks] blocks)
 * header  --> version:u8 versionlz:u8 flags:u8 typesize:u8 nbytes:u32le blocksize:u32le cbytes:u32le
 * flags   --> bit0 byte shuffle, bit1 memcpyed, bit2 bit shuffle, bit4 blocks not split,
 *             bits 5-7 codec (0 blosclz, 1 lz4/lz4hc, 3 zlib, 4 zstd)
 * block   --> stream{nsplits}: nsplits = typesize unless bit4 or it is the last, shorter block, else 1
 * stream  --> csize:i32le bytes:u8[csize]   (csize == its decoded size: stored raw)
 * </pre>
 * Block starts are followed as given (multi-threaded Blosc writes blocks in the order threads finish).
 *
 * <p>Safe for concurrent use: the only state is per thread (a block buffer and a zstd context, reused).
 */
public final class Blosc {
  static final int HEADER = 16;
  static final int DOSHUFFLE = 0x1;
  static final int MEMCPYED = 0x2;
  static final int DOBITSHUFFLE = 0x4;
  static final int DODELTA = 0x8;
  static final int DONT_SPLIT = 0x10;
  /** Blocks the encoder writes: large enough for the codecs, small enough for the cache. */
  static final int BLOCK_SIZE = 256 * 1024;
  static final int MIN_BUFFERSIZE = 128;

  private static final LZ4Factory LZ4 = LZ4Factory.fastestInstance();
  private static final ThreadLocal<com.github.luben.zstd.ZstdDecompressCtx> ZSTD = ThreadLocal.withInitial(com.github.luben.zstd.ZstdDecompressCtx::new);

  private Blosc() {}

  /** Decodes a frame that must hold exactly {@code rawSize} bytes. */
  public static byte[] decode(byte[] src, int rawSize) throws ChunkFormatException {
    byte[] dst = new byte[rawSize];
    decode(src, src.length, MemorySegment.ofArray(dst));
    return dst;
  }

  /**
   * Decodes the frame {@code src[0, srcLen)}, which must hold exactly {@code dst.byteSize()} bytes, into
   * {@code dst} (any segment: a float[] read's output too): unshuffled blocks of a byte[] destination decode
   * in place, shuffled ones through one block buffer per thread, reused, and are unshuffled into {@code dst}.
   * On failure {@code dst} holds unspecified bytes.
   */
  public static void decode(byte[] src, int srcLen, MemorySegment dst) throws ChunkFormatException {
    if (dst.byteSize() > Integer.MAX_VALUE) throw new IllegalArgumentException("destination of " + dst.byteSize() + " bytes");
    int rawSize = (int) dst.byteSize();
    byte[] dArr = dst.heapBase().orElse(null) instanceof byte[] b ? b : null;
    int dBase = dArr == null ? 0 : Math.toIntExact(dst.address());
    if (srcLen < HEADER) throw new ChunkFormatException("Blosc frame of " + srcLen + " bytes is shorter than its 16-byte header");
    int version = src[0] & 0xff;
    int flags = src[2] & 0xff;
    int typesize = src[3] & 0xff;
    long nbytes = u32(src, 4);
    long blocksize = u32(src, 8);
    long cbytes = u32(src, 12);
    if (version < 1 || version > 2) throw new ChunkFormatException("Blosc format version " + version + " (expected 1 or 2)");
    if (nbytes != rawSize) throw new ChunkFormatException("Blosc frame holds " + nbytes + " bytes, the chunk needs " + rawSize);
    if (cbytes > srcLen || cbytes < HEADER) {
      throw new ChunkFormatException("Blosc frame claims " + cbytes + " compressed bytes, the chunk has " + srcLen);
    }
    if ((flags & MEMCPYED) != 0) {
      if (cbytes < HEADER + nbytes) throw new ChunkFormatException("memcpyed Blosc frame of " + cbytes + " bytes cannot hold " + nbytes);
      MemorySegment.copy(src, HEADER, dst, ValueLayout.JAVA_BYTE, 0, rawSize);
      return;
    }
    if (rawSize == 0) return;
    if ((flags & DODELTA) != 0) throw new ChunkFormatException("Blosc delta filter (flag 0x8) is not supported");
    if (dArr == null && (flags & DOBITSHUFFLE) != 0) {
      // bit unshuffling ors bits into a byte[]: through one, rarely (bit shuffle read into a non-byte destination)
      byte[] raw = new byte[rawSize];
      decode(src, srcLen, MemorySegment.ofArray(raw));
      MemorySegment.copy(raw, 0, dst, ValueLayout.JAVA_BYTE, 0, rawSize);
      return;
    }
    if (typesize == 0) throw new ChunkFormatException("Blosc frame with typesize 0");
    if (blocksize == 0 || blocksize > Integer.MAX_VALUE) throw new ChunkFormatException("Blosc block size " + blocksize);
    int bs = (int) Math.min(blocksize, nbytes);
    long nblocks = (nbytes + bs - 1) / bs;
    int leftover = (int) (nbytes % bs);
    if (HEADER + 4 * nblocks > cbytes) {
      throw new ChunkFormatException("Blosc block table of " + nblocks + " entries runs past the frame (" + cbytes + " bytes)");
    }
    int codec = flags >>> 5;
    boolean byteShuffle = (flags & DOSHUFFLE) != 0 && typesize > 1;
    boolean dontSplit = (flags & DONT_SPLIT) != 0;
    int limit = (int) cbytes;
    // bs <= nbytes == rawSize: a size the caller already bounded
    byte[] tmp = blockBuffer(bs);
    for (int b = 0; b < nblocks; b++) {
      long start = u32(src, HEADER + 4 * b);
      boolean last = leftover > 0 && b == nblocks - 1;
      int bsize = last ? leftover : bs;
      boolean bitShuffle = (flags & DOBITSHUFFLE) != 0 && bsize >= typesize;
      if (start < HEADER + 4 * nblocks || start >= limit) {
        throw new ChunkFormatException("Blosc block " + b + " starts at " + start + ", outside the frame's data (" + limit + " bytes)");
      }
      int nsplits = (!dontSplit && !last) ? typesize : 1;
      if (bsize % nsplits != 0) throw new ChunkFormatException("Blosc block " + b + " of " + bsize + " bytes does not split into " + nsplits + " streams");
      int neblock = bsize / nsplits;
      boolean direct = !byteShuffle && !bitShuffle && dArr != null;
      byte[] out = direct ? dArr : tmp;
      int outOff = direct ? dBase + b * bs : 0;
      int ip = (int) start;
      for (int s = 0; s < nsplits; s++) {
        if (ip + 4 > limit) throw new ChunkFormatException("Blosc block " + b + " stream " + s + " runs past the frame");
        long csize = u32(src, ip);
        ip += 4;
        if (csize > limit - ip || csize == 0) {
          throw new ChunkFormatException("Blosc block " + b + " stream " + s + " of " + csize + " bytes runs past the frame");
        }
        int c = (int) csize;
        if (c == neblock) {
          System.arraycopy(src, ip, out, outOff, neblock);
        } else {
          int got = decompress(codec, src, ip, c, out, outOff, neblock);
          if (got != neblock) {
            throw new ChunkFormatException("Blosc block " + b + " stream " + s + " decodes to " + (got < 0 ? "nothing valid" : got + " bytes")
                + ", expected " + neblock + " (" + codecName(codec) + ")");
          }
        }
        ip += c;
        outOff += neblock;
      }
      if (byteShuffle) {
        unshuffle(typesize, bsize, tmp, dst, (long) b * bs);
      } else if (bitShuffle) {
        bitUnshuffle(typesize, bsize, tmp, dArr, dBase + b * bs);
      } else if (!direct) {
        MemorySegment.copy(tmp, 0, dst, ValueLayout.JAVA_BYTE, (long) b * bs, bsize);
      }
    }
  }

  /** Largest block buffer a thread keeps between frames; larger ones are garbage after their frame. */
  private static final int KEPT_BLOCK = 4 << 20;
  private static final ThreadLocal<byte[]> BLOCK = ThreadLocal.withInitial(() -> new byte[0]);

  private static byte[] blockBuffer(int size) {
    byte[] b = BLOCK.get();
    if (b.length >= size) return b;
    b = new byte[size];
    if (size <= KEPT_BLOCK) BLOCK.set(b);
    return b;
  }

  private static int decompress(int codec, byte[] src, int off, int len, byte[] dst, int dOff, int dLen) throws ChunkFormatException {
    switch (codec) {
      case 0:
        return BloscLz.decompress(src, off, len, dst, dOff, dLen);
      case 1:
        try {
          return LZ4.safeDecompressor().decompress(src, off, len, dst, dOff, dLen);
        } catch (LZ4Exception e) {
          return -1;
        }
      case 3: {
        Inflater inf = new Inflater();
        try {
          inf.setInput(src, off, len);
          int n = inf.inflate(dst, dOff, dLen);
          return inf.finished() ? n : -1;
        } catch (DataFormatException e) {
          return -1;
        } finally {
          inf.end();
        }
      }
      case 4:
        try {
          long n = ZSTD.get().decompressByteArray(dst, dOff, dLen, src, off, len);
          return (int) n;
        } catch (ZstdException e) {
          return -1;
        }
      default:
        throw new ChunkFormatException("Blosc codec " + codec + " (" + codecName(codec) + ") is not supported");
    }
  }

  static String codecName(int codec) {
    return switch (codec) {
      case 0 -> "blosclz";
      case 1 -> "lz4";
      case 2 -> "snappy";
      case 3 -> "zlib";
      case 4 -> "zstd";
      default -> "unknown codec " + codec;
    };
  }

  private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfLong LONG_OUT = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfInt INT_OUT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  /** Blosc's byte shuffle undone: stream j of the block holds byte j of every whole element; a short tail is as is. */
  static void unshuffle(int typesize, int bsize, byte[] src, MemorySegment dst, long dOff) {
    int n = bsize / typesize;
    switch (typesize) {
      case 4 -> unshuffle4(n, src, dst, dOff);
      case 8 -> unshuffle8(n, src, dst, dOff);
      default -> {
        for (int j = 0; j < typesize; j++) {
          int s = j * n;
          long d = dOff + j;
          for (int i = 0; i < n; i++, d += typesize) dst.set(ValueLayout.JAVA_BYTE, d, src[s + i]);
        }
      }
    }
    int whole = n * typesize;
    MemorySegment.copy(src, whole, dst, ValueLayout.JAVA_BYTE, dOff + whole, bsize - whole);
  }

  private static final long M8 = 0x00FF00FF00FF00FFL;
  private static final long M16 = 0x0000FFFF0000FFFFL;
  private static final long M32 = 0x00000000FFFFFFFFL;

  /**
   * Four streams to 4-byte elements, eight elements at a time: a 4 x 8 byte transpose in registers (bytes, then
   * 16-bit pairs, then 32-bit halves swapped across words), a third of the operations of assembling each
   * element from its bytes, which is what bounds a Blosc-lz4 read.
   */
  private static void unshuffle4(int n, byte[] src, MemorySegment dst, long dOff) {
    int i = 0;
    long d = dOff;
    for (; i + 8 <= n; i += 8, d += 32) {
      long a = (long) LONG_LE.get(src, i);
      long b = (long) LONG_LE.get(src, n + i);
      long c = (long) LONG_LE.get(src, 2 * n + i);
      long e = (long) LONG_LE.get(src, 3 * n + i);
      // t0 = a0 b0 a2 b2 a4 b4 a6 b6, t1 = a1 b1 a3 b3 ..., t2 and t3 the same of c and e
      long t0 = (a & M8) | ((b << 8) & ~M8);
      long t1 = ((a >>> 8) & M8) | (b & ~M8);
      long t2 = (c & M8) | ((e << 8) & ~M8);
      long t3 = ((c >>> 8) & M8) | (e & ~M8);
      // o0 = elements 0 and 4, o1 = 1 and 5, o2 = 2 and 6, o3 = 3 and 7
      long o0 = (t0 & M16) | ((t2 << 16) & ~M16);
      long o1 = (t1 & M16) | ((t3 << 16) & ~M16);
      long o2 = ((t0 >>> 16) & M16) | (t2 & ~M16);
      long o3 = ((t1 >>> 16) & M16) | (t3 & ~M16);
      dst.set(LONG_OUT, d, (o0 & M32) | (o1 << 32));
      dst.set(LONG_OUT, d + 8, (o2 & M32) | (o3 << 32));
      dst.set(LONG_OUT, d + 16, (o0 >>> 32) | (o1 & ~M32));
      dst.set(LONG_OUT, d + 24, (o2 >>> 32) | (o3 & ~M32));
    }
    for (; i < n; i++, d += 4) {
      int v = (src[i] & 0xff) | (src[n + i] & 0xff) << 8 | (src[2 * n + i] & 0xff) << 16 | (src[3 * n + i] & 0xff) << 24;
      dst.set(INT_OUT, d, v);
    }
  }

  private static void unshuffle8(int n, byte[] src, MemorySegment dst, long dOff) {
    for (int i = 0; i < n; i++) {
      long v = 0;
      for (int j = 0; j < 8; j++) v |= (src[j * n + i] & 0xffL) << (8 * j);
      dst.set(LONG_OUT, dOff + 8L * i, v);
    }
  }

  static void shuffle(int typesize, int bsize, byte[] src, int sOff, byte[] dst) {
    int n = bsize / typesize;
    for (int j = 0; j < typesize; j++) {
      int d = j * n;
      int s = sOff + j;
      for (int i = 0; i < n; i++, s += typesize) dst[d + i] = src[s];
    }
    int whole = n * typesize;
    System.arraycopy(src, sOff + whole, dst, whole, bsize - whole);
  }

  /**
   * Bitshuffle undone on the largest multiple of 8 elements: row {@code 8*b + k} holds bit k of byte b of every
   * element, element i at bit {@code i % 8} of row byte {@code i / 8}; the rest of the block is as is.
   */
  static void bitUnshuffle(int typesize, int bsize, byte[] src, byte[] dst, int dOff) {
    int n = bsize / typesize;
    if (n < 8) {
      System.arraycopy(src, 0, dst, dOff, bsize);
      return;
    }
    n -= n % 8;
    int rowBytes = n / 8;
    java.util.Arrays.fill(dst, dOff, dOff + n * typesize, (byte) 0);
    for (int b = 0; b < typesize; b++) {
      for (int k = 0; k < 8; k++) {
        int row = (b * 8 + k) * rowBytes;
        int bit = 1 << k;
        for (int q = 0; q < rowBytes; q++) {
          int v = src[row + q] & 0xff;
          if (v == 0) continue;
          int base = dOff + q * 8 * typesize + b;
          for (int t = 0; t < 8; t++) {
            if ((v & (1 << t)) != 0) dst[base + t * typesize] |= (byte) bit;
          }
        }
      }
    }
    int whole = n * typesize;
    System.arraycopy(src, whole, dst, dOff + whole, bsize - whole);
  }

  static void bitShuffle(int typesize, int bsize, byte[] src, int sOff, byte[] dst) {
    int n = bsize / typesize;
    if (n < 8) {
      System.arraycopy(src, sOff, dst, 0, bsize);
      return;
    }
    n -= n % 8;
    int rowBytes = n / 8;
    java.util.Arrays.fill(dst, 0, n * typesize, (byte) 0);
    for (int i = 0; i < n; i++) {
      int q = i >>> 3;
      int t = 1 << (i & 7);
      for (int b = 0; b < typesize; b++) {
        int v = src[sOff + i * typesize + b] & 0xff;
        if (v == 0) continue;
        for (int k = 0; k < 8; k++) {
          if ((v & (1 << k)) != 0) dst[(b * 8 + k) * rowBytes + q] |= (byte) t;
        }
      }
    }
    int whole = n * typesize;
    System.arraycopy(src, sOff + whole, dst, whole, bsize - whole);
  }

  /**
   * Encodes {@code raw} as a Blosc 1 frame: blocks of {@link #BLOCK_SIZE} bytes, never split, each shuffled
   * ({@code shuffle} 0 none, 1 byte, 2 bit) and compressed with {@code cname} (lz4, lz4hc, zstd, zlib; a stream
   * that does not shrink is stored raw); the whole frame is memcpyed when compression does not pay.
   */
  public static byte[] encode(byte[] raw, int typesize, String cname, int clevel, int shuffle) {
    int codec = switch (cname) {
      case "lz4", "lz4hc" -> 1;
      case "zlib" -> 3;
      case "zstd" -> 4;
      default -> throw new IllegalArgumentException("Blosc codec '" + cname + "' cannot be written (lz4, lz4hc, zstd, zlib)");
    };
    if (typesize < 1 || typesize > 255) typesize = 1;
    int nbytes = raw.length;
    int bs = Math.min(nbytes, BLOCK_SIZE);
    if (bs > typesize) bs -= bs % typesize;
    boolean memcpy = clevel == 0 || nbytes < MIN_BUFFERSIZE;
    int shuffleFlag = shuffle == 1 ? DOSHUFFLE : shuffle == 2 ? DOBITSHUFFLE : 0;
    int flags = shuffleFlag | DONT_SPLIT | (codec << 5);
    if (!memcpy) {
      int nblocks = (nbytes + bs - 1) / bs;
      var out = new java.io.ByteArrayOutputStream(nbytes / 2 + 64);
      byte[] table = new byte[4 * nblocks];
      byte[] tmp = new byte[bs];
      int pos = HEADER + table.length;
      for (int b = 0; b < nblocks; b++) {
        int off = b * bs;
        int bsize = Math.min(bs, nbytes - off);
        byte[] in = raw;
        int inOff = off;
        if (shuffle == 1 && typesize > 1) {
          shuffle(typesize, bsize, raw, off, tmp);
          in = tmp;
          inOff = 0;
        } else if (shuffle == 2 && bsize >= typesize) {
          bitShuffle(typesize, bsize, raw, off, tmp);
          in = tmp;
          inOff = 0;
        }
        byte[] c = compress(codec, cname, clevel, in, inOff, bsize);
        put32(table, 4 * b, pos);
        byte[] len = new byte[4];
        if (c == null || c.length >= bsize) {
          put32(len, 0, bsize);
          out.write(len, 0, 4);
          out.write(in, inOff, bsize);
          pos += 4 + bsize;
        } else {
          put32(len, 0, c.length);
          out.write(len, 0, 4);
          out.write(c, 0, c.length);
          pos += 4 + c.length;
        }
      }
      if (pos < HEADER + nbytes) {
        byte[] frame = new byte[pos];
        header(frame, flags, typesize, nbytes, bs, pos);
        System.arraycopy(table, 0, frame, HEADER, table.length);
        byte[] body = out.toByteArray();
        System.arraycopy(body, 0, frame, HEADER + table.length, body.length);
        return frame;
      }
    }
    byte[] frame = new byte[HEADER + nbytes];
    header(frame, flags | MEMCPYED, typesize, nbytes, Math.max(bs, 0), frame.length);
    System.arraycopy(raw, 0, frame, HEADER, nbytes);
    return frame;
  }

  private static byte[] compress(int codec, String cname, int clevel, byte[] in, int off, int len) {
    switch (codec) {
      case 1: {
        var c = cname.equals("lz4hc") ? LZ4.highCompressor(Math.max(1, Math.min(clevel, 12))) : LZ4.fastCompressor();
        byte[] out = new byte[c.maxCompressedLength(len)];
        int n = c.compress(in, off, len, out, 0, out.length);
        return java.util.Arrays.copyOf(out, n);
      }
      case 3: {
        Deflater d = new Deflater(Math.max(1, Math.min(clevel, 9)));
        try {
          d.setInput(in, off, len);
          d.finish();
          byte[] out = new byte[len + len / 1000 + 64];
          int n = 0;
          while (!d.finished() && n < out.length) n += d.deflate(out, n, out.length - n);
          return d.finished() ? java.util.Arrays.copyOf(out, n) : null;
        } finally {
          d.end();
        }
      }
      default: {
        byte[] src = off == 0 && len == in.length ? in : java.util.Arrays.copyOfRange(in, off, off + len);
        return Zstd.compress(src, clevel);
      }
    }
  }

  private static void header(byte[] f, int flags, int typesize, int nbytes, int blocksize, int cbytes) {
    f[0] = 2;
    f[1] = 1;
    f[2] = (byte) flags;
    f[3] = (byte) typesize;
    put32(f, 4, nbytes);
    put32(f, 8, blocksize);
    put32(f, 12, cbytes);
  }

  static long u32(byte[] b, int off) {
    return (b[off] & 0xffL) | (b[off + 1] & 0xffL) << 8 | (b[off + 2] & 0xffL) << 16 | (b[off + 3] & 0xffL) << 24;
  }

  static void put32(byte[] b, int off, int v) {
    b[off] = (byte) v;
    b[off + 1] = (byte) (v >>> 8);
    b[off + 2] = (byte) (v >>> 16);
    b[off + 3] = (byte) (v >>> 24);
  }
}
