package org.atomstore.io.extxyz;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.atomstore.io.ase.AseAtoms;
import org.atomstore.io.ase.PyText;
import org.atomstore.io.CompressedFiles;

/**
 * Reads an extended XYZ (or plain XYZ) file frame by frame, giving what ASE 3.22's
 * {@code ase.io.read(path, index=':')} gives. {@code .gz}, {@code .bz2} and {@code .xz} files are decompressed by
 * extension, as a stream (never seeking back).
 *
 * <p>Streaming and parallel: the calling thread cuts the text into chunks of whole frames (reading an atom-count
 * line, then skipping that many lines), worker threads parse the chunks, and frames come back in file order.
 * At most {@code 2 * threads} chunks of about {@value #CHUNK_BYTES} bytes are in flight, so memory stays bounded
 * whatever the file size (a single frame is held whole, bounded by what the file really contains, never by the
 * atom count it declares).
 *
 * <p>Errors are {@link ExtxyzFormatException}s naming file, line and column, raised when the reader reaches the
 * offending frame. A reader belongs to one thread; {@link #close()} is idempotent.
 */
public final class ExtxyzReader implements AutoCloseable, Iterable<AseAtoms> {

  static final int CHUNK_BYTES = 1 << 20;
  private static final int CHUNK_FRAMES = 2048;

  private final Path file;
  private final InputStream in;
  private final ByteLines lines;
  private final ExecutorService pool;
  private final int maxPending;
  private final ArrayDeque<Future<Object[]>> pending = new ArrayDeque<>();
  private Object[] current;
  private int currentIndex;
  private boolean scanDone;
  private ExtxyzFormatException scanError;
  private boolean closed;
  private long framesReturned;
  private java.util.function.Consumer<ExtxyzFormatException> skipHandler;

  private ExtxyzReader(Path file, InputStream in, int threads) {
    this.file = file;
    this.in = in;
    this.lines = new ByteLines(in);
    this.pool = threads > 1 ? Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "extxyz-parse");
      t.setDaemon(true);
      return t;
    }) : null;
    this.maxPending = Math.max(1, 2 * threads);
  }

  /** Opens a file with one parse worker per available core. */
  public static ExtxyzReader open(Path file) throws IOException {
    return open(file, Runtime.getRuntime().availableProcessors());
  }

  /** Opens a file; {@code threads <= 1} parses on the calling thread. */
  public static ExtxyzReader open(Path file, int threads) throws IOException {
    return new ExtxyzReader(file, CompressedFiles.open(file), threads);
  }

  /** Reads from a stream (not closed by... this reader closes it); {@code name} is used in error messages. */
  public static ExtxyzReader open(InputStream in, Path name, int threads) {
    return new ExtxyzReader(name, in, threads);
  }

  /** Reads every frame of a file into memory. */
  public static List<AseAtoms> readAll(Path file) throws IOException {
    try (var r = open(file)) {
      var out = new ArrayList<AseAtoms>();
      for (AseAtoms a = r.read(); a != null; a = r.read()) out.add(a);
      return out;
    }
  }

  public Path file() { return file; }

  /**
   * Skip frames that fail to parse, reporting each to {@code handler}, instead of stopping at the first. Errors
   * in atom-count lines still stop the reader: after one, frame boundaries are unknown.
   */
  public ExtxyzReader skipBadFrames(java.util.function.Consumer<ExtxyzFormatException> handler) {
    this.skipHandler = handler;
    return this;
  }

  /** Bytes consumed from the (decompressed) text so far; for progress reports. */
  public long bytesRead() { return lines.bytesRead(); }

  /** The next frame, or null after the last one. */
  public AseAtoms read() throws IOException {
    ensureOpen();
    while (current == null || currentIndex >= current.length) {
      fillPending();
      if (pending.isEmpty()) {
        if (scanError != null) {
          var e = scanError;
          scanError = null;
          throw e;
        }
        return null;
      }
      current = await(pending.removeFirst());
      currentIndex = 0;
    }
    Object o = current[currentIndex];
    current[currentIndex++] = null;
    if (o instanceof ExtxyzFormatException e && skipHandler != null) {
      skipHandler.accept(e);
      return read();
    }
    if (o instanceof ExtxyzFormatException e) {
      current = new Object[0];
      pending.forEach(f -> f.cancel(true));
      pending.clear();
      scanDone = true;
      scanError = null;
      throw e;
    }
    framesReturned++;
    return (AseAtoms) o;
  }

  private Object[] await(Future<Object[]> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while parsing " + file);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) throw re;
      throw new IOException(e.getCause());
    }
  }

  private void fillPending() throws IOException {
    while (!scanDone && pending.size() < maxPending) {
      List<FrameText> chunk = scanChunk();
      if (chunk.isEmpty()) break;
      if (pool == null) {
        pending.add(java.util.concurrent.CompletableFuture.completedFuture(parseChunk(chunk)));
      } else {
        pending.add(pool.submit(() -> parseChunk(chunk)));
      }
    }
  }

  private Object[] parseChunk(List<FrameText> chunk) {
    Object[] out = new Object[chunk.size()];
    for (int i = 0; i < out.length; i++) {
      try {
        out[i] = FrameParser.parse(chunk.get(i), file);
      } catch (ExtxyzFormatException e) {
        out[i] = e;
        if (skipHandler == null) return Arrays.copyOf(out, i + 1);
      }
    }
    return out;
  }

  // Cuts whole frames off the input the way ASE's index scan does.
  private List<FrameText> scanChunk() throws IOException {
    var frames = new ArrayList<FrameText>();
    var text = new Growable();
    while (frames.size() < CHUNK_FRAMES && text.size < CHUNK_BYTES) {
      if (!lines.next() || blank(lines.buf, lines.start, lines.end)) {
        scanDone = true;
        break;
      }
      long headerLine = lines.lineNumber;
      long natoms;
      try {
        natoms = parseHeader(lines.buf, lines.start, lines.end);
      } catch (NumberFormatException e) {
        String raw = new String(lines.buf, lines.start, lines.end - lines.start, StandardCharsets.UTF_8)
            + (lines.terminated ? "\n" : "");
        scanError = new ExtxyzFormatException(file, headerLine, 1, "XYZError",
            "ase.io.extxyz: Expected xyz header but got: invalid literal for int() with base 10: " + PyText.repr(raw));
        scanDone = true;
        break;
      }
      int want = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(0, natoms) + 1);
      int[] starts = new int[Math.min(want, 1024)];
      int[] ends = new int[starts.length];
      int count = 0;
      while (count < want && lines.next()) {
        if (count == starts.length) {
          starts = Arrays.copyOf(starts, Math.min(want, starts.length * 2));
          ends = Arrays.copyOf(ends, starts.length);
        }
        starts[count] = text.size;
        text.append(lines.buf, lines.start, lines.end - lines.start);
        ends[count++] = text.size;
      }
      if (lines.next()) {
        if (startsWithVec(lines.buf, lines.start, lines.end)) {
          scanError = new ExtxyzFormatException(file, lines.lineNumber, 1, "NotImplementedError",
              "VEC cell lines (ASE's vec_cell format) are not supported");
          scanDone = true;
          break;
        }
        lines.pushBack();
      }
      frames.add(new FrameText(null, starts, ends, count, headerLine, natoms));
    }
    byte[] bytes = text.bytes();
    var out = new ArrayList<FrameText>(frames.size());
    for (FrameText f : frames) {
      out.add(new FrameText(bytes, f.starts(), f.ends(), f.lineCount(), f.headerLine(), f.natoms()));
    }
    return out;
  }

  private static boolean startsWithVec(byte[] b, int s, int e) {
    while (s < e && (b[s] == ' ' || b[s] == '\t')) s++;
    return e - s >= 3 && b[s] == 'V' && b[s + 1] == 'E' && b[s + 2] == 'C';
  }

  private static boolean blank(byte[] b, int s, int e) {
    for (int i = s; i < e; i++) {
      byte c = b[i];
      if (!(c == ' ' || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f))) {
        if (c >= 0) return false;
        return PyText.strip(new String(b, s, e - s, StandardCharsets.UTF_8)).isEmpty();
      }
    }
    return true;
  }

  // Python's int(line): whitespace, sign and underscores allowed; negative counts read no atom lines.
  private static long parseHeader(byte[] b, int s, int e) {
    var v = PyText.parseBigInt(new String(b, s, e - s, StandardCharsets.UTF_8));
    if (v == null) throw new NumberFormatException();
    if (v.bitLength() > 62) return v.signum() < 0 ? -1 : Long.MAX_VALUE / 2;
    return v.longValue();
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

  private void ensureOpen() {
    if (closed) throw new IllegalStateException("ExtxyzReader is closed: " + file);
  }

  @Override
  public void close() throws IOException {
    if (closed) return;
    closed = true;
    pending.forEach(f -> f.cancel(true));
    pending.clear();
    if (pool != null) pool.shutdownNow();
    in.close();
  }

  /** A byte array that grows by doubling, bounded below 2 GiB. */
  private static final class Growable {
    byte[] data = new byte[64 << 10];
    int size;

    void append(byte[] b, int off, int len) throws IOException {
      if (size + len > data.length) {
        long want = Math.max((long) data.length * 2, (long) size + len);
        if (want > Integer.MAX_VALUE - 16) throw new IOException("frame text larger than 2 GiB");
        data = Arrays.copyOf(data, (int) want);
      }
      System.arraycopy(b, off, data, size, len);
      size += len;
    }

    byte[] bytes() { return data; }
  }
}
