package org.atomstore.format;

/**
 * A decoded record breaks the format; {@link #position()} is the byte in the decoded record. Readers turn
 * it into a {@link org.atomstore.store.CorruptFileException} that names the file and record.
 */
public final class RecordFormatException extends RuntimeException {
  private final long position;

  public RecordFormatException(String problem, long position) {
    super(problem, null, false, false);
    this.position = position;
  }

  public long position() { return position; }
}
