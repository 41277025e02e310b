package org.atomstore.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.atomstore.io.extxyz.ExtxyzFormatException;
import org.atomstore.store.CorruptFileException;
import picocli.CommandLine;

/**
 * Exit codes that tell failures apart: 0 success, 1 a check failed (verify found a problem),
 * 2 usage error, 3 corrupt or unreadable input (including extended XYZ files and ASE databases that ASE would
 * refuse), 4 I/O failure, 5 internal error. A process stopped by SIGINT or SIGTERM exits as the JVM does
 * (130 or 143) after removing its partial outputs (see {@link Temporaries}).
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

  /**
   * What went wrong, in words. The JDK's file-system exceptions carry only the path as their message
   * ({@code NoSuchFileException: x.atp}); they are named here the way coreutils name them.
   */
  static String describe(Throwable t) {
    return switch (t) {
      case NoSuchFileException e -> fileProblem(e, "no such file or directory");
      case AccessDeniedException e -> fileProblem(e, "permission denied");
      case FileAlreadyExistsException e -> fileProblem(e, "already exists");
      case NotDirectoryException e -> fileProblem(e, "not a directory");
      case DirectoryNotEmptyException e -> fileProblem(e, "directory not empty");
      case FileSystemLoopException e -> fileProblem(e, "symbolic link loop");
      case FileSystemException e -> fileProblem(e, "file system error (" + e.getClass().getSimpleName() + ")");
      default -> t.getMessage() == null || t.getMessage().isBlank()
          ? t.getClass().getSimpleName() + (t.getCause() != null ? ": " + describe(t.getCause()) : "")
          : t.getMessage();
    };
  }

  /** "FILE: reason", with the exception's own reason when it has one, else {@code plain}. */
  private static String fileProblem(FileSystemException e, String plain) {
    String reason = e.getReason() != null && !e.getReason().isBlank() ? e.getReason() : plain;
    StringBuilder sb = new StringBuilder();
    if (e.getFile() != null) sb.append(e.getFile());
    if (e.getOtherFile() != null) sb.append(" -> ").append(e.getOtherFile());
    return sb.isEmpty() ? reason : sb.append(": ").append(reason).toString();
  }

  /** Prints a one-line reason instead of a stack trace; the stack trace only with ATOMSTORE_DEBUG set. */
  static final class Handler implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
      Throwable c = unwrap(ex);
      cl.getErr().println("atomstore " + cl.getCommandName() + ": " + describe(c));
      if (System.getenv("ATOMSTORE_DEBUG") != null) c.printStackTrace(cl.getErr());
      cl.getErr().flush();
      int code = forException(c);
      jsonFailure(cl, describe(c), code);
      return code;
    }
  }

  /**
   * With {@code --json}, a failure is a JSON document on stdout too ({@code "ok": false}, the reason and the
   * exit code), so a script that parses stdout always gets exactly one document.
   */
  static void jsonFailure(CommandLine cl, String reason, int code) {
    CommandLine.ParseResult parsed = cl.getParseResult();
    if (parsed == null || !parsed.hasMatchedOption("--json")) return;
    var node = new Summary(cl.getCommandName()).put("ok", false).put("error", reason).put("exit_code", code);
    try {
      node.print(cl.getOut());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree of strings and numbers cannot fail to serialize", e);
    }
  }

  /**
   * A command line that does not parse: the reason and where to read the usage, on stderr, exit 2. The whole
   * usage is not repeated, so the reason stays visible (git and curl do the same).
   */
  static final class UsageHandler implements CommandLine.IParameterExceptionHandler {
    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
      CommandLine cl = ex.getCommandLine();
      String name = cl.getCommandSpec().qualifiedName();
      var err = cl.getErr();
      err.println(name + ": " + ex.getMessage());
      CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
      err.println("Run '" + name + " --help' for usage.");
      err.flush();
      jsonFailure(cl, ex.getMessage(), USAGE);
      return USAGE;
    }
  }
}
