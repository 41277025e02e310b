package org.atomstore.io.asedb;

import java.nio.file.Path;
import org.atomstore.store.CorruptFileException;

/** An ASE database whose content cannot be decoded as ASE 3.22 decodes it; names the file, the row id and the problem. */
public final class AseDbException extends CorruptFileException {
  public AseDbException(Path file, long rowId, String problem) {
    super(file, rowId, "row " + rowId + ": " + problem);
  }

  public AseDbException(Path file, long rowId, String problem, Throwable cause) {
    super(file, rowId, "row " + rowId + ": " + problem, cause);
  }
}
