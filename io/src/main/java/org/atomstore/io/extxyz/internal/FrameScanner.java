package org.atomstore.io.extxyz.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.atomstore.io.ase.internal.PyText;
import org.atomstore.io.extxyz.ExtxyzFormatException;

/**
 * Cuts the text into chunks of whole frames the way ASE's index scan does: read an atom-count line, then skip that
 * many lines plus the comment line. Works on large byte blocks and only counts line terminators, so that the
 * thread running it has little to do; parsing is left to {@link FrameParser}. Each chunk owns its block (a fresh
 * array; the tail of a frame cut by the block end is carried into the next block).
 *
 * <p>A scanner belongs to one thread.
 */
public final class FrameScanner {

  /** Block sizes ramp up from the first to the steady size, so that workers get their first chunk early. */
  static final int FIRST_BLOCK = 256 << 10;
  static final int BLOCK = 2 << 20;
  /** Text of one frame (comment and atom lines) larger than this is refused. */
  static final int MAX_FRAME_BYTES = Integer.MAX_VALUE - 16;

  private final InputStream in;
  private final Path file;
  private byte[] buf = new byte[0];
  private int limit;
  private int carryFrom;
  private boolean eof;
  private final int block;
  private int nextBlock;
  /** Lines before {@code buf[carryFrom]}. */
  private long lineNumber;
  private long bytesRead;
  /** Offset of {@code buf[0]} in the text. */
  private long bufOffset;
  private boolean done;
  private ExtxyzFormatException error;
  /** A frame starting at or after this text offset is not read ({@link #stopAt}). */
  private long stopAt = Long.MAX_VALUE;
  private boolean stoppedAtLimit;

  public FrameScanner(InputStream in, Path file) {
    this(in, file, FIRST_BLOCK, BLOCK);
  }

  /** With other block sizes; tests use tiny ones to cut frames and lines at every position. */
  public FrameScanner(InputStream in, Path file, int firstBlock, int block) {
    if (firstBlock < 1 || block < firstBlock) throw new IllegalArgumentException("bad block sizes " + firstBlock + ", " + block);
    this.in = in;
    this.file = file;
    this.nextBlock = firstBlock;
    this.block = block;
  }

  /**
   * Ends the scan before the first frame whose atom-count line starts at or after text offset {@code offset}, so
   * that one file can be read as several ranges of whole frames (distributed conversion). Call before {@link #next()}.
   */
  public void stopAt(long offset) { this.stopAt = offset; }

  /** Text offset of the first frame not read (or where the data ended); valid once {@link #next()} gave an empty chunk. */
  public long position() { return bufOffset + carryFrom; }

  /** Lines before {@link #position()}; valid once {@link #next()} gave an empty chunk. */
  public long lines() { return lineNumber; }

  /** Whether the scan ended at the {@link #stopAt} offset, before a frame, rather than at the end of the data. */
  public boolean stoppedAtLimit() { return stoppedAtLimit; }

  /** Bytes consumed from the (decompressed) text so far. */
  public long bytesRead() { return bytesRead; }

  /** Why the scan stopped early (a bad atom-count line, a fourth VEC line), or null; valid once {@link #next()} gave an empty chunk. */
  public ExtxyzFormatException error() { return error; }

  /** The next chunk of frames, in file order; empty when there are no more. */
  public List<FrameText> next() throws IOException {
    var frames = new ArrayList<FrameText>();
    if (done) return frames;
    newBlock();
    int pos = 0;
    long line = lineNumber;
    while (true) {
      int r = scanFrame(pos, line, frames);
      if (r >= 0) { // one frame added, ends at r
        line += frames.getLast().lineCount() + frames.getLast().nvec() + 1;
        pos = r;
        continue;
      }
      if (r == STOP) break;
      // NEED_MORE: hand out what we have, or read more when the frame alone fills the block
      if (!frames.isEmpty()) break;
      fill();
    }
    carryFrom = pos;
    lineNumber = line;
    return frames;
  }

  private static final int NEED_MORE = -1;
  private static final int STOP = -2;

  // Scans one frame starting at pos; adds it and returns where the next starts, or NEED_MORE / STOP.
  private int scanFrame(int pos, long line, List<FrameText> frames) throws IOException {
    byte[] b = buf;
    if (bufOffset + pos >= stopAt && (pos < limit || !eof)) {
      stoppedAtLimit = true;
      return stop(null);
    }
    if (pos >= limit && eof) return stop(null);
    int eol = Lines.terminator(b, pos, limit);
    int next = Lines.next(b, eol, limit, eof);
    if ((eol == limit && !eof) || next < 0) return NEED_MORE;
    long headerLine = line + 1;
    if (!Utf8.isAscii(b, pos, eol)) {
      try {
        Utf8.check(b, pos, eol, eol < limit, file, headerLine, bufOffset);
      } catch (ExtxyzFormatException e) {
        return stop(e);
      }
    }
    if (blank(b, pos, eol)) return stop(null);
    long natoms = parseHeader(b, pos, eol);
    if (natoms == BAD_HEADER) {
      String raw = new String(b, pos, eol - pos, StandardCharsets.UTF_8) + (eol < limit ? "\n" : "");
      return stop(new ExtxyzFormatException(file, headerLine, 1, "XYZError",
          "ase.io.extxyz: Expected xyz header but got: invalid literal for int() with base 10: " + PyText.repr(raw)));
    }
    long want = Math.max(0, natoms) + 1;
    int from = next;
    int p = next;
    int count = 0;
    while (count < want) {
      if (p >= limit) {
        if (eof) break;
        return NEED_MORE;
      }
      eol = Lines.terminator(b, p, limit);
      next = Lines.next(b, eol, limit, eof);
      if ((eol == limit && !eof) || next < 0) return NEED_MORE;
      count++;
      p = next;
    }
    int nvec = 0;
    // ASE's scan takes the lines starting with VEC after a complete frame as its cell vectors, at most three
    while (count == want) {
      int vec = startsWithVec(b, p);
      if (vec < 0) return NEED_MORE;
      if (vec == 0) break;
      eol = Lines.terminator(b, p, limit);
      next = Lines.next(b, eol, limit, eof);
      if ((eol == limit && !eof) || next < 0) return NEED_MORE;
      if (++nvec > 3) {
        return stop(new ExtxyzFormatException(file, headerLine + count + nvec, 1, "XYZError",
            "ase.io.extxyz: More than 3 VECX entries"));
      }
      p = next;
    }
    frames.add(new FrameText(b, from, p, count, headerLine, natoms, nvec, bufOffset));
    return p;
  }

  private int stop(ExtxyzFormatException e) {
    done = true;
    error = e;
    return STOP;
  }

  // 1 when the line at p starts with VEC after Python's whitespace (str.lstrip), 0 when not, -1 when more bytes are
  // needed.
  private int startsWithVec(byte[] b, int p) {
    while (p < limit && (b[p] == ' ' || b[p] == '\t' || b[p] == 0x0b || b[p] == 0x0c || (b[p] >= 0x1c && b[p] <= 0x1f))) p++;
    if (limit - p < 3) return eof ? 0 : -1;
    return b[p] == 'V' && b[p + 1] == 'E' && b[p + 2] == 'C' ? 1 : 0;
  }

  // Starts a new block holding the carried tail of the previous one, then fills it.
  private void newBlock() throws IOException {
    int carry = limit - carryFrom;
    int size = Math.max(nextBlock, carry);
    nextBlock = (int) Math.min(block, nextBlock * 2L);
    byte[] nb = new byte[size];
    System.arraycopy(buf, carryFrom, nb, 0, carry);
    bufOffset += carryFrom;
    buf = nb;
    limit = carry;
    carryFrom = 0;
    if (!eof) fill();
  }

  // Reads until the block is full (growing it first when it already is) or the input ends.
  private void fill() throws IOException {
    if (eof) throw new IllegalStateException("fill after end of input");
    if (limit == buf.length) {
      if (buf.length >= MAX_FRAME_BYTES) {
        throw new ExtxyzFormatException(file, lineNumber + 1, 1, "MemoryError",
            "frame text larger than " + MAX_FRAME_BYTES + " bytes");
      }
      buf = Arrays.copyOf(buf, (int) Math.min(MAX_FRAME_BYTES, buf.length * 2L));
    }
    int r = in.readNBytes(buf, limit, buf.length - limit);
    limit += r;
    bytesRead += r;
    if (limit < buf.length) eof = true;
  }

  private static boolean blank(byte[] b, int s, int e) {
    for (int i = s; i < e; i++) {
      byte c = b[i];
      if (!(c == ' ' || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f))) {
        if (c >= 0) return false;
        return PyText.strip(new String(b, s, e - s, StandardCharsets.UTF_8)).isEmpty();
      }
    }
    return true;
  }

  private static final long BAD_HEADER = Long.MIN_VALUE;

  // Python's int(line): whitespace, sign and underscores allowed; negative counts read no atom lines.
  static long parseHeader(byte[] b, int s, int e) {
    int i = s;
    while (i < e && (b[i] == ' ' || b[i] == '\t')) i++;
    int j = e;
    while (j > i && (b[j - 1] == ' ' || b[j - 1] == '\t')) j--;
    if (j > i && j - i <= 18 && b[i] != '-' && b[i] != '+') {
      long v = 0;
      int k = i;
      for (; k < j; k++) {
        int d = b[k] - '0';
        if (d < 0 || d > 9) break;
        v = v * 10 + d;
      }
      if (k == j) return v;
    }
    var v = PyText.parseBigInt(new String(b, s, e - s, StandardCharsets.UTF_8));
    if (v == null) return BAD_HEADER;
    if (v.bitLength() > 62) return v.signum() < 0 ? -1 : Long.MAX_VALUE / 2;
    return v.longValue();
  }
}
