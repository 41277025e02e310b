package org.atomstore.io.extxyz;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An extended XYZ file that ASE would refuse: names the file, the 1-based line and column, and the problem.
 * {@link #aseError()} is the Python exception type ASE 3.22 raises for the same input ({@code XYZError},
 * {@code ValueError}, {@code KeyError}, ...) and {@link #problem()} its message where we reproduce it.
 */
public final class ExtxyzFormatException extends IOException {

  private final Path file;
  private final long line;
  private final int column;
  private final String problem;
  private final String aseError;

  public ExtxyzFormatException(Path file, long line, int column, String aseError, String problem) {
    super((file == null ? "<stream>" : file.toString()) + ":" + line + ":" + column + ": " + problem);
    this.file = file;
    this.line = line;
    this.column = column;
    this.problem = problem;
    this.aseError = aseError;
  }

  public Path file() { return file; }
  public long line() { return line; }
  public int column() { return column; }
  public String problem() { return problem; }
  public String aseError() { return aseError; }

  ExtxyzFormatException withFile(Path f) {
    var e = new ExtxyzFormatException(f, line, column, aseError, problem);
    e.setStackTrace(getStackTrace());
    return e;
  }
}
