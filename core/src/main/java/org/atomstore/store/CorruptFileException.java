package org.atomstore.store;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Corrupt, truncated or hostile input: names the file (a path, or an address such as a URL for a file read
 * remotely), the byte offset (or -1 when none applies) and what was expected and found.
 */
public class CorruptFileException extends IOException {
  private final Path file;
  private final String source;
  private final long offset;

  public CorruptFileException(Path file, long offset, String problem) {
    this(file, offset, problem, null);
  }

  public CorruptFileException(Path file, long offset, String problem, Throwable cause) {
    super(format(file == null ? null : file.toString(), offset, problem), cause);
    this.file = file;
    this.source = file == null ? null : file.toString();
    this.offset = offset;
  }

  /** For input that is not a local path: {@code source} is its address (a URL, {@code s3://...}). */
  public CorruptFileException(String source, long offset, String problem) {
    this(source, offset, problem, null);
  }

  public CorruptFileException(String source, long offset, String problem, Throwable cause) {
    super(format(source, offset, problem), cause);
    this.file = null;
    this.source = source;
    this.offset = offset;
  }

  /** The local file, or null when the input has no path (a remote address: see {@link #source()}). */
  public Path file() { return file; }

  /** The path or address of the input, as named in the message; null when none was given. */
  public String source() { return source; }

  /** Byte offset of the problem in the file, or -1. */
  public long offset() { return offset; }

  private static String format(String file, long offset, String problem) {
    String where = file == null ? "" : " (" + file + (offset >= 0 ? " at offset " + offset : "") + ")";
    if (file == null && offset >= 0) where = " (at offset " + offset + ")";
    return problem + where;
  }
}
