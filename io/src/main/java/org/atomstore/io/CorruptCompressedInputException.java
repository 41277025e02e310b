package org.atomstore.io;

import java.nio.file.Path;
import org.atomstore.store.CorruptFileException;

/**
 * A compressed input ({@code .gz}, {@code .bz2}, {@code .xz}) whose compressed stream is damaged or cut short: names
 * the file, the offset in the compressed file up to which it was read, and the decompressor's complaint.
 */
public final class CorruptCompressedInputException extends CorruptFileException {
  public CorruptCompressedInputException(Path file, long compressedOffset, String problem, Throwable cause) {
    super(file, compressedOffset, problem, cause);
  }
}
