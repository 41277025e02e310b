package org.atomstore.spark;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Finds where an extended XYZ frame starts at or after a byte offset of an uncompressed file, so that one large
 * file can be converted as several ranges of whole frames. A frame is an atom-count line, a comment line (anything)
 * and that many atom lines, then at most three {@code VEC} lines; nothing in a line says which of these it is, so
 * the rule is a guess: the first line, starting at or after the offset, that holds a bare count {@code n} and is
 * followed by a comment line and {@code n} lines of two or more fields, then by another frame of that shape, a
 * blank line or the end, {@value #FRAMES} frames in a row. A comment line holding a count is refused by this rule
 * in the usual cases (its frame's next count line would be read as an atom line of one field), but a file can be
 * written to fool it, so {@link SparkConvert} never trusts it: a range's first frame must be where the frames of the
 * range before it ended, else the rest of the file is read again from there.
 *
 * <p>Reads through a window of the file; one instance belongs to one thread.
 */
final class FrameSync {
  /** Frames checked after a candidate count line. */
  static final int FRAMES = 3;
  private static final int WINDOW = 1 << 20;

  private final FileChannel ch;
  private final long size;
  private final ByteBuffer buf = ByteBuffer.allocate(WINDOW);
  private long bufStart = -1;
  private int bufLen;

  FrameSync(FileChannel ch) throws IOException {
    this.ch = ch;
    this.size = ch.size();
  }

  /** The offset of the first frame that starts at or after {@code from}, by the rule above; the file's size when none. */
  long next(long from) throws IOException {
    if (from <= 0) return 0;
    long p = lineStartAtOrAfter(from);
    while (p < size) {
      if (frameChainAt(p)) return p;
      p = nextLine(p);
    }
    return size;
  }

  private long lineStartAtOrAfter(long from) throws IOException {
    if (from >= size) return size;
    int before = at(from - 1);
    if (before == '\n') return from;
    if (before == '\r') return at(from) == '\n' ? from + 1 : from;
    return nextLine(from);
  }

  // Where the line after the one containing p starts (\n, \r\n or a lone \r end a line); size at the end.
  private long nextLine(long p) throws IOException {
    while (p < size) {
      int c = at(p);
      if (c == '\n') return p + 1;
      if (c == '\r') return p + 1 < size && at(p + 1) == '\n' ? p + 2 : p + 1;
      p++;
    }
    return size;
  }

  private boolean frameChainAt(long p) throws IOException {
    if (count(p) < 0) return false;
    for (int f = 0; f < FRAMES; f++) {
      if (p >= size || (f > 0 && blank(p))) return f > 0;
      long n = count(p);
      if (n < 0) return false;
      p = nextLine(p); // the comment line: anything
      if (p >= size) return true; // a frame cut by the end: the reader reports it
      p = nextLine(p);
      for (long a = 0; a < n; a++) {
        if (p >= size) return true;
        if (fields(p) < 2) return false;
        p = nextLine(p);
      }
      for (int v = 0; v < 3 && p < size && startsWithVec(p); v++) p = nextLine(p);
    }
    return true;
  }

  // A line holding only digits (spaces and tabs around): the count; else -1.
  private long count(long p) throws IOException {
    while (p < size && (at(p) == ' ' || at(p) == '\t')) p++;
    long v = 0;
    int digits = 0;
    while (p < size) {
      int c = at(p);
      if (c < '0' || c > '9') break;
      if (++digits > 18) return -1;
      v = v * 10 + (c - '0');
      p++;
    }
    if (digits == 0) return -1;
    while (p < size && (at(p) == ' ' || at(p) == '\t')) p++;
    return p >= size || at(p) == '\n' || at(p) == '\r' ? v : -1;
  }

  private int fields(long p) throws IOException {
    int fields = 0;
    boolean in = false;
    for (; p < size; p++) {
      int c = at(p);
      if (c == '\n' || c == '\r') break;
      boolean space = c == ' ' || c == '\t';
      if (!space && !in) fields++;
      in = !space;
    }
    return fields;
  }

  private boolean blank(long p) throws IOException {
    for (; p < size; p++) {
      int c = at(p);
      if (c == '\n' || c == '\r') return true;
      if (c != ' ' && c != '\t') return false;
    }
    return true;
  }

  private boolean startsWithVec(long p) throws IOException {
    while (p < size && (at(p) == ' ' || at(p) == '\t')) p++;
    return p + 3 <= size && at(p) == 'V' && at(p + 1) == 'E' && at(p + 2) == 'C';
  }

  private int at(long p) throws IOException {
    if (p < bufStart || p >= bufStart + bufLen) fill(p);
    return buf.get((int) (p - bufStart));
  }

  private void fill(long p) throws IOException {
    buf.clear();
    bufStart = p;
    while (buf.hasRemaining()) {
      int r = ch.read(buf, p + buf.position());
      if (r < 0) break;
    }
    bufLen = buf.position();
    if (bufLen == 0) throw new IOException("read past the end of the file at offset " + p);
  }
}
