package org.atomstore.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar with rate and ETA on stderr when it is a terminal; silent otherwise, so piped output
 * stays parseable.
 */
final class Progress implements AutoCloseable {
  private final ProgressBar bar;

  private Progress(ProgressBar bar) {
    this.bar = bar;
  }

  /** A bar for {@code max} steps, or an open-ended one (rate only) when {@code max} is -1. */
  static Progress start(String task, long max, String unit) {
    var console = System.console();
    if (console == null || !console.isTerminal()) return new Progress(null);
    ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setUnit(" " + unit, 1)
        .setStyle(ProgressBarStyle.ASCII).showSpeed().continuousUpdate().build();
    return new Progress(bar);
  }

  void step(long n) {
    if (bar != null) bar.stepBy(n);
  }

  @Override
  public void close() {
    if (bar != null) bar.close();
  }
}
