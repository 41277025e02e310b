package org.atomstore.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.atomstore.codec.Compression;
import org.atomstore.store.AtpWriter;

/**
 * Writes an {@code .atp} output so that it appears only when complete: under a hidden temporary name
 * ({@code .NAME.partial}) in the same directory, flushed, then renamed atomically. On failure the temporary
 * file is removed and nothing named {@code out} is created or changed.
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

  static <T> T write(Path out, Compression compression, Body<T> body) throws IOException {
    Path temp = temporaryName(out);
    Files.createDirectories(temp.getParent());
    Files.deleteIfExists(temp);
    T result;
    boolean done = false;
    try (AtpWriter w = AtpWriter.create(temp, compression)) {
      result = body.write(w);
      w.flush();
      done = true;
    } finally {
      if (!done) Files.deleteIfExists(temp);
    }
    Files.move(temp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return result;
  }
}
