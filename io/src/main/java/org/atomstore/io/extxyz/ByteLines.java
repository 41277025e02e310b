package org.atomstore.io.extxyz;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines ({@code \n}, {@code \r\n} or a lone {@code \r}, like Python's universal
 * newlines) without decoding. After {@link #next()} the current line is {@code buf[start, end)}; it stays valid
 * until the next call. One line can be pushed back. Owned by one thread.
 */
final class ByteLines {

  private static final int INITIAL = 1 << 20;
  /** A single line longer than this is refused (it would not fit a Java array once copied). */
  static final int MAX_LINE = 1 << 30;

  private final InputStream in;
  byte[] buf = new byte[INITIAL];
  private int pos;
  private int limit;
  private boolean eof;
  int start;
  int end;
  /** True when the current line ended with a terminator (false only for a last line without one). */
  boolean terminated;
  long lineNumber;
  private boolean pushedBack;
  private long bytesRead;

  ByteLines(InputStream in) {
    this.in = in;
  }

  long bytesRead() { return bytesRead; }

  void pushBack() {
    if (pushedBack) throw new IllegalStateException("only one line can be pushed back");
    pushedBack = true;
    lineNumber--;
  }

  /** Advances to the next line; false at end of input. */
  boolean next() throws IOException {
    if (pushedBack) {
      pushedBack = false;
      lineNumber++;
      return true;
    }
    int scan = pos;
    while (true) {
      for (int i = scan; i < limit; i++) {
        byte c = buf[i];
        if (c == '\n') {
          return emit(i, i + 1, true);
        }
        if (c == '\r') {
          if (i + 1 < limit) return emit(i, buf[i + 1] == '\n' ? i + 2 : i + 1, true);
          if (eof) return emit(i, i + 1, true);
          // need one more byte to know whether \r\n
          scan = i;
          break;
        }
        scan = i + 1;
      }
      if (eof) {
        if (pos >= limit) return false;
        return emit(limit, limit, false);
      }
      int consumedScan = scan - pos;
      fill();
      scan = pos + consumedScan;
    }
  }

  private boolean emit(int lineEnd, int next, boolean term) {
    start = pos;
    end = lineEnd;
    terminated = term;
    pos = next;
    lineNumber++;
    return true;
  }

  private void fill() throws IOException {
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, limit - pos);
      limit -= pos;
      pos = 0;
    }
    if (limit == buf.length) {
      if (buf.length >= MAX_LINE) throw new IOException("line longer than " + MAX_LINE + " bytes");
      buf = Arrays.copyOf(buf, buf.length * 2);
    }
    int r = in.read(buf, limit, buf.length - limit);
    if (r < 0) {
      eof = true;
    } else {
      limit += r;
      bytesRead += r;
    }
  }
}
