package org.atomstore.io.extxyz.internal;

import ch.randelshofer.fastdoubleparser.JavaDoubleParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.atomstore.io.ase.internal.PyText;
import org.atomstore.io.extxyz.ExtxyzFormatException;

/**
 * Parses ASCII atom lines of one frame straight into its typed column arrays: splits on Python's ASCII whitespace,
 * floats through FastDoubleParser on the byte range, integers and bools by hand, species through
 * {@link SpeciesColumn}; no String per line or per numeric token. Lines holding non-ASCII bytes are left to the
 * general path (Unicode whitespace). Owned by the thread parsing the frame.
 */
final class AtomLineParser {

  /** The line holds non-ASCII bytes: parse it with the general path. */
  static final int NOT_ASCII = -1;
  /** A token did not parse; see {@link #error}. */
  static final int FAILED = -2;

  private static final byte REAL = 0;
  private static final byte INT = 1;
  private static final byte BOOL = 2;
  private static final byte TEXT = 3;
  private static final byte SPECIES = 4;

  private final int fields;
  private final byte[] kind;
  private final int[] stride;
  private final int[] sub;
  private final double[][] reals;
  private final long[][] ints;
  private final boolean[][] bools;
  private final String[][] texts;
  private final SpeciesColumn[] species;

  private int errorColumn;
  private String errorType;
  private String errorMessage;

  AtomLineParser(List<ColumnSpec> specs, Object[] columns, int fields) {
    this.fields = fields;
    kind = new byte[fields];
    stride = new int[fields];
    sub = new int[fields];
    reals = new double[fields][];
    ints = new long[fields][];
    bools = new boolean[fields][];
    texts = new String[fields][];
    species = new SpeciesColumn[fields];
    int t = 0;
    for (int c = 0; c < specs.size(); c++) {
      int cols = specs.get(c).cols();
      for (int k = 0; k < cols; k++, t++) {
        stride[t] = cols;
        sub[t] = k;
        // instanceof rather than a pattern switch: this runs per frame, and a type switch goes through an indy bootstrap
        Object col = columns[c];
        if (col instanceof double[] d) { kind[t] = REAL; reals[t] = d; }
        else if (col instanceof long[] l) { kind[t] = INT; ints[t] = l; }
        else if (col instanceof SpeciesColumn s) { kind[t] = SPECIES; species[t] = s; }
        else if (col instanceof boolean[] b) { kind[t] = BOOL; bools[t] = b; }
        else { kind[t] = TEXT; texts[t] = (String[]) col; }
      }
    }
  }

  /**
   * Parses the line starting at {@code s} (ending at the first line terminator before {@code limit}) as atom
   * {@code a}: the number of tokens stored (fewer than the fields when the line is short), {@link #NOT_ASCII} or
   * {@link #FAILED}. The line's terminator is found on the way (the tokens are scanned once) and left in
   * {@link #lineEnd()}, except after {@link #FAILED}.
   */
  int parseLine(byte[] b, int s, int limit, int a) {
    int i = s;
    int t = 0;
    byte c = 0;
    while (t < fields) {
      for (; i < limit; i++) {
        c = b[i];
        if (c == ' ' || c == '\t') continue;
        if (c > ' ') break;
        if (c < 0) return notAscii(b, s, limit);
        if (c == '\n' || c == '\r' || !isSpace(c)) break;
      }
      if (i >= limit || c == '\n' || c == '\r') break;
      int ts = i;
      int notPlain = 0;
      for (; i < limit; i++) {
        c = b[i];
        if (c > ' ') {
          notPlain |= NOT_PLAIN[c];
          continue;
        }
        if (c < 0) return notAscii(b, s, limit);
        if (isSpace(c)) break;
        notPlain = 1;
      }
      try {
        store(t, b, ts, i - ts, a, notPlain == 0);
      } catch (NumberFormatException ex) {
        return fail(ts - s + 1, "ValueError", ex.getMessage());
      } catch (ArithmeticException ex) {
        return fail(ts - s + 1, "OverflowError", ex.getMessage());
      }
      t++;
    }
    lineEnd = Lines.terminator(b, i, limit);
    // bytes past the last field are not read, but a file ASE cannot decode is refused whole
    for (int k = i; k < lineEnd; k++) if (b[k] < 0) return NOT_ASCII;
    return t;
  }

  /** 1 for the ASCII characters outside digits, '.', 'e', 'E', '+', '-' (where Java's and Python's floats differ). */
  private static final byte[] NOT_PLAIN = new byte[128];

  static {
    java.util.Arrays.fill(NOT_PLAIN, (byte) 1);
    for (char c : "0123456789.eE+-".toCharArray()) NOT_PLAIN[c] = 0;
  }

  /** The terminator of the line last parsed by {@link #parseLine} (or {@code limit} when it has none). */
  int lineEnd() { return lineEnd; }

  private int lineEnd;

  private int notAscii(byte[] b, int s, int limit) {
    lineEnd = Lines.terminator(b, s, limit);
    return NOT_ASCII;
  }

  private void store(int t, byte[] b, int ts, int len, int a, boolean plainDecimal) {
    int idx = a * stride[t] + sub[t];
    switch (kind[t]) {
      case REAL -> reals[t][idx] = plainDecimal ? JavaDoubleParser.parseDouble(b, ts, len) : PyText.parseFloat(b, ts, len);
      case INT -> ints[t][idx] = (int) PyText.parseLong(b, ts, len);
      case BOOL -> bools[t][idx] = parseBool(b, ts, len);
      case SPECIES -> species[t].setAscii(a, b, ts, len);
      default -> texts[t][idx] = new String(b, ts, len, StandardCharsets.ISO_8859_1);
    }
  }

  private int fail(int column, String type, String message) {
    errorColumn = column;
    errorType = type;
    errorMessage = message;
    return FAILED;
  }

  /** The error for the last {@link #FAILED} line. */
  ExtxyzFormatException error(Path file, long line) {
    return new ExtxyzFormatException(file, line, errorColumn, errorType, errorMessage);
  }

  private static boolean parseBool(byte[] b, int s, int len) {
    if (len == 1) return b[s] == 'T';
    // ASE maps anything but T/F/True/False to None, which NumPy stores as False.
    return len == 4 && b[s] == 'T' && b[s + 1] == 'r' && b[s + 2] == 'u' && b[s + 3] == 'e';
  }

  private static boolean isSpace(byte c) {
    return c == ' ' || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
  }
}
