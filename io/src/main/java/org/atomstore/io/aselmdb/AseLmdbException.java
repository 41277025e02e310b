package org.atomstore.io.aselmdb;

import java.nio.file.Path;
import org.atomstore.store.CorruptFileException;

/**
 * An {@code .aselmdb} file that cannot be read as fairchem's {@code LMDBDatabase} reads it: names the file, the
 * LMDB key (for a row, its id) and the problem: a damaged LMDB file, a value that is not zlib, inflates past the
 * limit or is not the JSON fairchem writes, a row ASE could not turn into atoms.
 */
public final class AseLmdbException extends CorruptFileException {
  private final long rowId;

  /** A problem with the value under {@code key}; {@code rowId} is the row's id, or -1 for another key. */
  public AseLmdbException(Path file, long rowId, String key, String problem) {
    super(file, -1, where(rowId, key) + problem);
    this.rowId = rowId;
  }

  public AseLmdbException(Path file, long rowId, String key, String problem, Throwable cause) {
    super(file, -1, where(rowId, key) + problem, cause);
    this.rowId = rowId;
  }

  /** A problem with the file itself (its LMDB header) at byte {@code offset}. */
  public AseLmdbException(Path file, long offset, String problem) {
    super(file, offset, problem);
    this.rowId = -1;
  }

  /** The id of the row concerned, or -1 when the problem is not in a row. */
  public long rowId() { return rowId; }

  private static String where(long rowId, String key) {
    if (rowId >= 0) return "row " + rowId + ": ";
    return key == null ? "" : "key '" + key + "': ";
  }
}
