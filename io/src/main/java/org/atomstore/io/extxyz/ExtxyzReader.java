package org.atomstore.io.extxyz;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import org.atomstore.io.ase.AseAtoms;

/**
 * Reads an extended XYZ (or plain XYZ) file frame by frame, giving what ASE 3.22's
 * {@code ase.io.read(path, index=':')} gives. {@code .gz}, {@code .bz2} and {@code .xz} files are decompressed by
 * extension, as a stream (never seeking back).
 *
 * <p>Streaming and parallel, in bounded memory: see {@link MappedExtxyzReader}, which this reader is with the
 * identity mapping (use that one to run more per-frame work on the workers).
 *
 * <p>Errors are {@link ExtxyzFormatException}s naming file, line and column, raised when the reader reaches the
 * offending frame. A reader belongs to one thread; {@link #close()} is idempotent.
 */
public final class ExtxyzReader implements AutoCloseable, Iterable<AseAtoms> {

  private final MappedExtxyzReader<AseAtoms> frames;

  private ExtxyzReader(MappedExtxyzReader<AseAtoms> frames) {
    this.frames = frames;
  }

  /** Opens a file with one parse worker per available core. */
  public static ExtxyzReader open(Path file) throws IOException {
    return open(file, Runtime.getRuntime().availableProcessors());
  }

  /** Opens a file; {@code threads <= 1} parses on the calling thread. */
  public static ExtxyzReader open(Path file, int threads) throws IOException {
    return new ExtxyzReader(MappedExtxyzReader.open(file, threads, () -> a -> a));
  }

  /** Reads from a stream, which this reader closes; {@code name} is used in error messages. */
  public static ExtxyzReader open(InputStream in, Path name, int threads) {
    return new ExtxyzReader(MappedExtxyzReader.open(in, name, threads, () -> a -> a));
  }

  /** Reads every frame of a file into memory. */
  public static List<AseAtoms> readAll(Path file) throws IOException {
    try (var r = open(file)) {
      var out = new ArrayList<AseAtoms>();
      for (AseAtoms a = r.read(); a != null; a = r.read()) out.add(a);
      return out;
    }
  }

  public Path file() { return frames.file(); }

  /**
   * Skip frames that fail to parse, reporting each to {@code handler}, instead of stopping at the first. Errors
   * in atom-count lines still stop the reader: after one, frame boundaries are unknown.
   */
  public ExtxyzReader skipBadFrames(Consumer<ExtxyzFormatException> handler) {
    frames.skipBadFrames(handler);
    return this;
  }

  /** Bytes consumed from the (decompressed) text so far; for progress reports. */
  public long bytesRead() { return frames.bytesRead(); }

  /** Bytes of the file as stored consumed so far (compressed bytes for a compressed file); see {@link MappedExtxyzReader#sourceBytesRead()}. */
  public long sourceBytesRead() { return frames.sourceBytesRead(); }

  /** The next frame, or null after the last one. */
  public AseAtoms read() throws IOException {
    return frames.read();
  }

  /** Frames as an iterator; I/O and format errors arrive as {@link UncheckedIOException}. */
  @Override
  public Iterator<AseAtoms> iterator() {
    return new Iterator<>() {
      AseAtoms next;
      boolean done;

      @Override
      public boolean hasNext() {
        if (next == null && !done) {
          try {
            next = read();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          done = next == null;
        }
        return next != null;
      }

      @Override
      public AseAtoms next() {
        if (!hasNext()) throw new NoSuchElementException();
        AseAtoms a = next;
        next = null;
        return a;
      }
    };
  }

  @Override
  public void close() throws IOException {
    frames.close();
  }
}
