package org.atomstore.arrays.internal;

/**
 * The BloscLZ decompressor (Blosc's FastLZ derivative, codec 0 of a Blosc 1 frame). Every read and write is
 * bounds-checked, so hostile input fails with a negative result, never an exception from the JVM.
 *
 * <pre>
 * stream   --> first:u8 (low 5 bits: literal run length - 1), then tokens
 * literal  --> ctrl &lt; 32: ctrl+1 bytes copied as is
 * match    --> ctrl &gt;= 32: len = (ctrl &gt;&gt; 5) - 1 (7-1 means: add bytes while 255), code:u8;
 *              distance = ((ctrl &amp; 31) &lt;&lt; 8) + code + 1, or, when code is 255 and ctrl&amp;31 is 31,
 *              a big-endian u16 after it + 8191 + 1; copy len+3 bytes from distance back (may overlap)
 * </pre>
 */
final class BloscLz {
  private static final int MAX_DISTANCE = 8191;

  private BloscLz() {}

  /** Decompresses {@code src[off, off+len)} into {@code dst[dOff, dOff+dLen)}; the bytes produced or -1. */
  static int decompress(byte[] src, int off, int len, byte[] dst, int dOff, int dLen) {
    if (len <= 0) return -1;
    int ip = off;
    int ipLimit = off + len;
    int op = dOff;
    int opLimit = dOff + dLen;
    int ctrl = src[ip++] & 31;
    while (true) {
      if (ctrl >= 32) {
        int l = (ctrl >>> 5) - 1;
        int ofs = (ctrl & 31) << 8;
        int code;
        if (l == 6) {
          do {
            if (ip >= ipLimit) return -1;
            code = src[ip++] & 0xff;
            l += code;
          } while (code == 255);
        }
        if (ip >= ipLimit) return -1;
        code = src[ip++] & 0xff;
        long distance = ofs + code + 1L;
        if (code == 255 && ofs == (31 << 8)) {
          if (ip + 2 > ipLimit) return -1;
          distance = (((src[ip] & 0xff) << 8) | (src[ip + 1] & 0xff)) + MAX_DISTANCE + 1L;
          ip += 2;
        }
        l += 3;
        if (op + (long) l > opLimit || op - distance < dOff) return -1;
        int ref = (int) (op - distance);
        if (distance >= l) {
          System.arraycopy(dst, ref, dst, op, l);
          op += l;
        } else {
          // overlapping: byte by byte repeats the last `distance` bytes, as LZ77 means it
          for (int k = 0; k < l; k++) dst[op++] = dst[ref++];
        }
      } else {
        int l = ctrl + 1;
        if (op + l > opLimit || ip + l > ipLimit) return -1;
        System.arraycopy(src, ip, dst, op, l);
        ip += l;
        op += l;
      }
      if (ip >= ipLimit) break;
      ctrl = src[ip++] & 0xff;
    }
    return op - dOff;
  }
}
