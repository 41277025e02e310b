package org.atomstore.store;

import java.nio.file.Path;

/**
 * The last commit of a file cannot be read: no header slot is valid, or an intact slot names data past the
 * end of the file (the file was cut or damaged after that commit). Opening such a file fails rather than
 * falling back silently to an older generation. {@code verify} reports it as a failed check.
 */
public final class LostCommitException extends CorruptFileException {
  private static final long serialVersionUID = 1L;

  public LostCommitException(Path file, long offset, String problem) {
    super(file, offset, problem);
  }

  /** For input read by address (a URL, {@code s3://...}) rather than by path. */
  public LostCommitException(String source, long offset, String problem) {
    super(source, offset, problem);
  }
}
