package org.atomstore.store;

import java.nio.file.Path;

/** The file is an Atompack file of a format or record version this library does not read. */
public final class UnsupportedFormatVersionException extends CorruptFileException {
  public UnsupportedFormatVersionException(Path file, long offset, String problem) {
    super(file, offset, problem);
  }
}
