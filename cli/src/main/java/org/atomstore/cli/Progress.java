package org.atomstore.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on stderr when it is a terminal; silent otherwise, so piped output stays parseable. With a
 * known total it shows the percentage, the rate, the time elapsed and the time left (a compressed text input
 * counts compressed bytes against the file's size); without one, the count and the rate.
 *
 * <p>Belongs to the thread that runs the command.
 */
final class Progress implements AutoCloseable {
  private static final Progress SILENT = new Progress(null);
  private final ProgressBar bar;

  private Progress(ProgressBar bar) {
    this.bar = bar;
  }

  /** A bar for {@code max} steps of {@code unit}, or an open-ended one when {@code max} is -1. */
  static Progress start(String task, long max, String unit) {
    if (!terminal()) return SILENT;
    return new Progress(builder(task, max).setUnit(" " + unit, 1).build());
  }

  /** A bar counting bytes (shown in MiB) out of {@code totalBytes}, or open-ended when it is -1. */
  static Progress bytes(String task, long totalBytes) {
    if (!terminal()) return SILENT;
    return new Progress(builder(task, totalBytes).setUnit(" MiB", 1 << 20).build());
  }

  /** A bytes bar that renders into {@code sink} whatever stderr is (tests read what a terminal would show). */
  static Progress bytesRenderedTo(String task, long totalBytes, java.util.function.Consumer<String> sink) {
    return new Progress(new ProgressBarBuilder().setTaskName(task).setInitialMax(totalBytes)
        .setStyle(ProgressBarStyle.ASCII).showSpeed().setUnit(" MiB", 1 << 20)
        .setConsumer(new me.tongfei.progressbar.DelegatingProgressBarConsumer(sink, 120)).build());
  }

  /** Draws the bar now instead of at the next tick. */
  void refresh() {
    if (bar != null) bar.refresh();
  }

  private static ProgressBarBuilder builder(String task, long max) {
    return new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setStyle(ProgressBarStyle.ASCII)
        .showSpeed().continuousUpdate();
  }

  private static boolean terminal() {
    var console = System.console();
    return console != null && console.isTerminal();
  }

  void step(long n) {
    if (bar != null) bar.stepBy(n);
  }

  /** Sets the count done so far (for byte counts that a reader reports as a running total). */
  void stepTo(long done) {
    if (bar != null) bar.stepTo(done);
  }

  @Override
  public void close() {
    if (bar != null) bar.close();
  }
}
