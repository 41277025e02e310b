package org.atomstore.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Partial outputs (temporary files and staging directories) that must not outlive the process. A command
 * registers each before creating it and releases it once it was renamed into place or removed; a shutdown
 * hook removes whatever is still registered when the JVM stops, which is what SIGINT (Ctrl-C) and SIGTERM
 * lead to. A crash of the JVM itself (SIGKILL, power loss) still leaves them, under names that nothing takes
 * for a finished output ({@code .NAME.partial}).
 *
 * <p>Thread-safe: the hook runs on its own thread while the command's threads may still be writing.
 */
final class Temporaries {
  private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();
  private static volatile boolean hooked;

  private Temporaries() {}

  /** Registers {@code path} for removal at exit unless {@link #release}d first; returns it. */
  static Path register(Path path) {
    hook();
    LIVE.add(path.toAbsolutePath());
    return path;
  }

  static void release(Path path) {
    LIVE.remove(path.toAbsolutePath());
  }

  /** Removes {@code path} (a file or a directory tree) now and releases it. */
  static void discard(Path path) throws IOException {
    delete(path.toAbsolutePath());
    release(path);
  }

  private static synchronized void hook() {
    if (hooked) return;
    Runtime.getRuntime().addShutdownHook(new Thread(Temporaries::removeAll, "atomstore-remove-partial-outputs"));
    hooked = true;
  }

  private static void removeAll() {
    for (Path p : LIVE) {
      try {
        delete(p);
        System.err.println("atomstore: stopped; removed partial output " + p);
      } catch (IOException | RuntimeException e) {
        System.err.println("atomstore: stopped; could not remove partial output " + p + ": " + ExitCodes.describe(e));
      }
    }
    System.err.flush();
  }

  /**
   * Deletes a file or a directory tree. A writer still running may add a file while the tree is being deleted,
   * so a directory that is not empty yet is walked again a few times.
   */
  static void delete(Path p) throws IOException {
    for (int attempt = 0; ; attempt++) {
      try {
        if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
          }
        } else {
          Files.deleteIfExists(p);
        }
        return;
      } catch (NoSuchFileException e) {
        return;
      } catch (IOException | UncheckedIOException e) {
        if (attempt == 4) throw e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
      }
    }
  }
}
