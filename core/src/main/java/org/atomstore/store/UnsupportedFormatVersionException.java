package org.atomstore.store;

import java.nio.file.Path;

/** The file is an Atompack file of a format or record version this library does not read. */
public final class UnsupportedFormatVersionException extends CorruptFileException {
  public UnsupportedFormatVersionException(Path file, long offset, String problem) {
    super(file, offset, problem);
  }

  /** For input read by address (a URL, {@code s3://...}) rather than by path. */
  public UnsupportedFormatVersionException(String source, long offset, String problem) {
    super(source, offset, problem);
  }
}
