package org.atomstore.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.atomstore.data.Copy;
import org.atomstore.table.Table;

/**
 * Shows a {@link Copy}'s progress: one bar per source ("TASK NAME", rows), each skipped row on stderr as
 * "skipped row I of SOURCE: PROBLEM". Close it when the copy ends. Belongs to the command's thread.
 */
final class CopyProgress implements Copy.Listener, AutoCloseable {
  private final String task;
  private final PrintWriter err;
  private Progress bar;

  CopyProgress(String task, PrintWriter err) {
    this.task = task;
    this.err = err;
  }

  @Override
  public void started(Table source, long rows) {
    close();
    bar = Progress.start(task + " " + name(source.source()), rows, "mol");
  }

  @Override
  public void advanced(long rows) {
    if (bar != null) bar.step(rows);
  }

  @Override
  public void skipped(Table source, long index, String problem) {
    err.println("skipped row " + index + " of " + source.source() + ": " + problem);
  }

  /** The last part of a path or address, as the bars name files. */
  static String name(String source) {
    if (TableArgs.isAddress(source)) return source;
    Path p = Path.of(source).getFileName();
    return p == null ? source : p.toString();
  }

  @Override
  public void close() {
    if (bar != null) bar.close();
    bar = null;
    err.flush();
  }
}
