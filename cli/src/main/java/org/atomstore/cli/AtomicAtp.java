package org.atomstore.cli;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.atomstore.codec.Compression;
import org.atomstore.store.AtpWriter;

/**
 * Writes an {@code .atp} output so that it appears only when complete: under a hidden temporary name
 * ({@code .NAME.partial}) in the same directory, flushed, then renamed atomically. On failure, or when the
 * process is stopped by a signal ({@link Temporaries}), the temporary file is removed and nothing named
 * {@code out} is created or changed. Missing parent directories are created. {@link #write(Path, Compression,
 * Body, Body)} may discard what a first attempt wrote and fill the file again from the start. Used by one thread.
 */
final class AtomicAtp {
  private AtomicAtp() {}

  /** What fills the writer; returns what the command reports (e.g. a count). */
  interface Body<T> {
    T write(AtpWriter w) throws IOException;
  }

  static Path temporaryName(Path out) {
    return out.toAbsolutePath().getParent().resolve("." + out.getFileName() + ".partial");
  }

  /**
   * Creates {@code dir} and its missing parents. {@link Files#createDirectories} reports a regular file in the
   * way as {@code FileAlreadyExistsException: PATH}; this says what is wrong with it.
   */
  static void createDirectories(Path dir) throws IOException {
    try {
      Files.createDirectories(dir);
    } catch (FileAlreadyExistsException e) {
      throw new FileSystemException(e.getFile(), null, "exists and is not a directory");
    }
  }

  static <T> T write(Path out, Compression compression, Body<T> body) throws IOException {
    return write(out, compression, w -> Optional.of(body.write(w)), body);
  }

  /**
   * Writes with {@code attempt}; when it gives up (returns empty), what it wrote is discarded, never committed,
   * and {@code again} fills the file from the start. The output appears only when one of them completes.
   */
  static <T> T write(Path out, Compression compression, Body<Optional<T>> attempt, Body<T> again) throws IOException {
    Path temp = temporaryName(out);
    createDirectories(temp.getParent());
    Temporaries.register(temp);
    try {
      Files.deleteIfExists(temp);
      Optional<T> first;
      try (AtpWriter w = AtpWriter.create(temp, compression)) {
        first = attempt.write(w);
        if (first.isPresent()) w.flush();
        else w.abandon();
      }
      T result;
      if (first.isPresent()) {
        result = first.get();
      } else {
        Files.delete(temp);
        try (AtpWriter w = AtpWriter.create(temp, compression)) {
          result = again.write(w);
          w.flush();
        }
      }
      Files.move(temp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      Temporaries.release(temp);
      return result;
    } catch (IOException | RuntimeException | Error e) {
      discardAfter(e, temp);
      throw e;
    }
  }

  /** Removes a temporary after a failure; a failure to remove it is attached to the one that caused it. */
  static void discardAfter(Throwable cause, Path temp) {
    try {
      Temporaries.discard(temp);
    } catch (IOException | RuntimeException e) {
      cause.addSuppressed(e);
    }
  }
}
