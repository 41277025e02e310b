package org.atomstore.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.atomstore.io.extxyz.ExtxyzFormatException;
import org.atomstore.store.CorruptFileException;
import picocli.CommandLine;

/**
 * Exit codes that tell failures apart: 0 success, 1 a check failed (verify found a problem),
 * 2 usage error, 3 corrupt or unreadable input (including extended XYZ files and ASE databases that ASE would refuse), 4 I/O failure, 5 internal error.
 */
public final class ExitCodes {
  public static final int OK = 0;
  public static final int CHECK_FAILED = 1;
  public static final int USAGE = 2;
  public static final int CORRUPT_INPUT = 3;
  public static final int IO_ERROR = 4;
  public static final int INTERNAL = 5;

  private ExitCodes() {}

  public static int forException(Throwable t) {
    Throwable c = unwrap(t);
    if (c instanceof CommandLine.ParameterException || c instanceof IllegalArgumentException) return USAGE;
    // text formats name file, line and column instead of an offset; ASE db errors are CorruptFileExceptions
    if (c instanceof CorruptFileException || c instanceof ExtxyzFormatException) return CORRUPT_INPUT;
    if (c instanceof IOException) return IO_ERROR;
    return INTERNAL;
  }

  static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof UncheckedIOException || c instanceof CommandLine.ExecutionException) && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  /** Prints a one-line reason instead of a stack trace; the stack trace only with ATOMSTORE_DEBUG set. */
  static final class Handler implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
      Throwable c = unwrap(ex);
      String msg = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
      cl.getErr().println("atomstore " + cl.getCommandName() + ": " + msg);
      if (System.getenv("ATOMSTORE_DEBUG") != null) c.printStackTrace(cl.getErr());
      return forException(c);
    }
  }
}
