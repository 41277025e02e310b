package org.atomstore.store;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Corrupt, truncated or hostile input: names the file, the byte offset (or -1 when none applies) and
 * what was expected and found.
 */
public class CorruptFileException extends IOException {
  private final Path file;
  private final long offset;

  public CorruptFileException(Path file, long offset, String problem) {
    super(format(file, offset, problem));
    this.file = file;
    this.offset = offset;
  }

  public CorruptFileException(Path file, long offset, String problem, Throwable cause) {
    super(format(file, offset, problem), cause);
    this.file = file;
    this.offset = offset;
  }

  public Path file() { return file; }

  /** Byte offset of the problem in the file, or -1. */
  public long offset() { return offset; }

  private static String format(Path file, long offset, String problem) {
    String where = file == null ? "" : " (" + file + (offset >= 0 ? " at offset " + offset : "") + ")";
    if (file == null && offset >= 0) where = " (at offset " + offset + ")";
    return problem + where;
  }
}
