package org.atomstore.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** Reads this process's memory figures from {@code /proc/self/status} (Linux); empty elsewhere. */
public final class ProcStatus {
  private static final Path STATUS = Path.of("/proc/self/status");
  private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

  private ProcStatus() {}

  /** The value in kB of a line such as {@code VmRSS:} or {@code VmHWM:}. */
  public static OptionalLong kb(String key) {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith(key)) {
          String[] parts = line.substring(key.length()).trim().split("\\s+");
          return OptionalLong.of(Long.parseLong(parts[0]));
        }
      }
    } catch (IOException | RuntimeException e) {
      // no /proc: not Linux, or restricted; the figure is simply not reported
    }
    return OptionalLong.empty();
  }

  /** Resets the peak resident size ({@code VmHWM}) to the current one; false when the kernel refuses. */
  public static boolean resetPeak() {
    try {
      Files.writeString(CLEAR_REFS, "5");
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
