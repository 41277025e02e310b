package org.atomstore.io.extxyz.internal;

import java.nio.file.Path;
import org.atomstore.io.extxyz.ExtxyzFormatException;

/**
 * Checks bytes as Python's strict UTF-8 decoder does when ASE reads a text file: the first byte it refuses, with
 * Python's reason ({@code invalid start byte}, {@code invalid continuation byte}, {@code unexpected end of data}).
 * Stateless.
 */
final class Utf8 {

  private Utf8() {}

  /** Whether {@code b[from, to)} holds only ASCII bytes (the common case, checked without decoding). */
  static boolean isAscii(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) if (b[i] < 0) return false;
    return true;
  }

  /**
   * Throws ASE's {@code UnicodeDecodeError} for the first malformed sequence in {@code b[from, to)}, a line of the
   * text; {@code textOffset} is the offset of {@code b[0]} in the (decompressed) text, which the message gives as the
   * position (Python gives the position within its 8 KiB decoding chunk, the same for files that small);
   * {@code followed} tells whether the text goes on after {@code to} (a line terminator), else a sequence cut by
   * {@code to} is cut by the end of the file.
   */
  static void check(byte[] b, int from, int to, boolean followed, Path file, long line, long textOffset)
      throws ExtxyzFormatException {
    int i = from;
    while (i < to) {
      int c = b[i] & 0xff;
      if (c < 0x80) {
        i++;
        continue;
      }
      int need;
      int lo = 0x80;
      int hi = 0xbf;
      if (c >= 0xc2 && c <= 0xdf) need = 1;
      else if (c >= 0xe0 && c <= 0xef) {
        need = 2;
        if (c == 0xe0) lo = 0xa0;
        if (c == 0xed) hi = 0x9f;
      } else if (c >= 0xf0 && c <= 0xf4) {
        need = 3;
        if (c == 0xf0) lo = 0x90;
        if (c == 0xf4) hi = 0x8f;
      } else {
        throw error(file, line, i - from + 1, c, textOffset + i, "invalid start byte");
      }
      for (int k = 1; k <= need; k++) {
        if (i + k >= to && followed) {
          throw error(file, line, i - from + 1, c, textOffset + i, "invalid continuation byte");
        }
        if (i + k >= to) {
          String where = k == 1 ? "byte 0x" + hex(c) + " in position " + (textOffset + i)
              : "bytes in position " + (textOffset + i) + "-" + (textOffset + i + k - 1);
          throw new ExtxyzFormatException(file, line, i - from + 1, "UnicodeDecodeError",
              "'utf-8' codec can't decode " + where + ": unexpected end of data");
        }
        int d = b[i + k] & 0xff;
        if (d < (k == 1 ? lo : 0x80) || d > (k == 1 ? hi : 0xbf)) {
          throw error(file, line, i - from + 1, c, textOffset + i, "invalid continuation byte");
        }
      }
      i += need + 1;
    }
  }

  private static ExtxyzFormatException error(Path file, long line, int column, int c, long position, String why) {
    return new ExtxyzFormatException(file, line, column, "UnicodeDecodeError",
        "'utf-8' codec can't decode byte 0x" + hex(c) + " in position " + position + ": " + why);
  }

  private static String hex(int c) {
    return String.format("%02x", c);
  }
}
