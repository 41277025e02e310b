package org.atomstore.io.extxyz.internal;

/**
 * Line terminators as Python's universal newlines see them ({@code \n}, {@code \r\n}, a lone {@code \r}), found in
 * byte arrays without decoding. Stateless.
 */
final class Lines {

  private Lines() {}

  /** Index of the first {@code \n} or {@code \r} in {@code b[from, limit)}, or {@code limit} when there is none. */
  static int terminator(byte[] b, int from, int limit) {
    for (int i = from; i < limit; i++) {
      byte c = b[i];
      if (c <= '\r' && (c == '\n' || c == '\r')) return i;
    }
    return limit;
  }

  /**
   * Where the next line starts after the terminator at {@code eol}, or -1 when that needs a byte beyond
   * {@code limit} (a {@code \r} at the end of the data read so far, which may be followed by {@code \n}).
   * {@code eol == limit} (no terminator) gives {@code limit}.
   */
  static int next(byte[] b, int eol, int limit, boolean atEnd) {
    if (eol >= limit) return limit;
    if (b[eol] == '\n') return eol + 1;
    if (eol + 1 < limit) return b[eol + 1] == '\n' ? eol + 2 : eol + 1;
    return atEnd ? eol + 1 : -1;
  }
}
