package org.atomstore.io.extxyz;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.atomstore.io.CompressedFiles;
import org.atomstore.io.extxyz.internal.FrameParser;
import org.atomstore.io.extxyz.internal.FrameScanner;
import org.atomstore.io.extxyz.internal.FrameText;

/**
 * Reads an extended XYZ file frame by frame and hands out each frame passed through a {@link FrameMapper}, with
 * scanning, parsing and mapping in parallel; {@link ExtxyzReader} is this reader with the identity mapping.
 *
 * <p>Pipeline: a scan thread reads the (decompressed) text in blocks and cuts them into chunks of whole frames
 * ({@link FrameScanner}: it only counts lines); worker threads parse each chunk ({@link FrameParser}) and map its
 * frames; results come back in file order. At most {@code 2 * threads} chunks of a few MB are in flight, so
 * memory stays bounded whatever the file size. With {@code threads <= 1} everything runs on the calling thread.
 *
 * <p>Errors are {@link ExtxyzFormatException}s naming file, line and column, raised when the reader reaches the
 * offending frame; exceptions thrown by the mapper arrive the same way. A reader belongs to one thread;
 * {@link #close()} is idempotent and closes the mappers.
 */
public final class MappedExtxyzReader<T> implements AutoCloseable {

  private static final Object END = new Object();

  private final Path file;
  private final InputStream in;
  private final FrameScanner scanner;
  private final Supplier<? extends FrameMapper<T>> mappers;
  private final ConcurrentLinkedQueue<FrameMapper<T>> idleMappers = new ConcurrentLinkedQueue<>();
  private final List<FrameMapper<T>> allMappers = new ArrayList<>();
  private final ExecutorService pool;
  private final BlockingQueue<Object> pending;
  private Thread scanThread;
  private Object[] current;
  private int currentIndex;
  private boolean finished;
  private boolean closed;
  private volatile Consumer<ExtxyzFormatException> skipHandler;
  private volatile boolean headerOnly;

  private MappedExtxyzReader(Path file, InputStream in, int threads, Supplier<? extends FrameMapper<T>> mappers,
      FrameScanner scanner) {
    this.file = file;
    this.in = in;
    this.scanner = scanner;
    this.mappers = mappers;
    this.pool = threads > 1 ? Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "extxyz-parse");
      t.setDaemon(true);
      return t;
    }) : null;
    this.pending = new ArrayBlockingQueue<>(Math.max(2, 2 * threads));
  }

  /** Opens a file ({@code .gz}, {@code .bz2}, {@code .xz} by extension); {@code threads <= 1} works on the calling thread. */
  public static <T> MappedExtxyzReader<T> open(Path file, int threads, Supplier<? extends FrameMapper<T>> mappers)
      throws IOException {
    InputStream in = CompressedFiles.open(file);
    return new MappedExtxyzReader<>(file, in, threads, mappers, new FrameScanner(in, file));
  }

  /** Reads from a stream, which this reader closes; {@code name} is used in error messages. */
  public static <T> MappedExtxyzReader<T> open(InputStream in, Path name, int threads,
      Supplier<? extends FrameMapper<T>> mappers) {
    return new MappedExtxyzReader<>(name, in, threads, mappers, new FrameScanner(in, name));
  }

  /** With the scanner's block sizes given (tests). */
  static <T> MappedExtxyzReader<T> open(InputStream in, Path name, int threads,
      Supplier<? extends FrameMapper<T>> mappers, int firstBlock, int block) {
    return new MappedExtxyzReader<>(name, in, threads, mappers, new FrameScanner(in, name, firstBlock, block));
  }

  public Path file() { return file; }

  /**
   * Skip frames that fail to parse, reporting each to {@code handler} (on the reading thread), instead of stopping
   * at the first. Errors in atom-count lines still stop the reader: after one, frame boundaries are unknown. Call
   * before the first {@link #read()}.
   */
  public MappedExtxyzReader<T> skipBadFrames(Consumer<ExtxyzFormatException> handler) {
    this.skipHandler = handler;
    return this;
  }

  /**
   * Read only the comment lines: each frame comes with its info and its columns as arrays of zero atoms (types and
   * widths as declared), atom lines are skipped unparsed and their errors not found. For a quick first pass over
   * a file's types (see {@code SchemaSurvey}). Call before the first {@link #read()}.
   */
  public MappedExtxyzReader<T> headersOnly() {
    this.headerOnly = true;
    return this;
  }

  /**
   * Read only the frames whose atom-count line starts before text offset {@code offset} (of the text this reader
   * reads), so that one file can be read as several ranges of whole frames. Call before the first {@link #read()}.
   */
  public MappedExtxyzReader<T> endBefore(long offset) {
    scanner.stopAt(offset);
    return this;
  }

  /**
   * Where reading ended, once {@link #read()} has returned null: the text offset of the first frame not read
   * (or of the end of the data), the lines before it, and whether it ended at the {@link #endBefore} offset.
   */
  public End end() {
    if (!finished) throw new IllegalStateException("the reader has not reached its end: " + file);
    return new End(scanner.position(), scanner.lines(), scanner.stoppedAtLimit());
  }

  /** See {@link #end()}. */
  public record End(long offset, long lines, boolean atLimit) {}

  /** Bytes consumed from the (decompressed) text so far; for progress reports. */
  public long bytesRead() { return scanner.bytesRead(); }

  /**
   * Bytes of the input as stored consumed so far, for progress against the file's size: for a file opened by
   * path, the file's bytes (compressed bytes for {@code .gz}, {@code .bz2}, {@code .xz}), which reach the file's
   * size when the reader has read to the end; for a stream, the same as {@link #bytesRead()}. Any thread.
   */
  public long sourceBytesRead() {
    return in instanceof CompressedFiles.Input file ? file.sourceBytesRead() : scanner.bytesRead();
  }

  /** The next frame, mapped, or null after the last one. */
  public T read() throws IOException {
    ensureOpen();
    while (true) {
      while (current == null || currentIndex >= current.length) {
        if (finished) return null;
        current = nextChunk();
        currentIndex = 0;
        if (current == null) {
          finished = true;
          return null;
        }
      }
      Object o = current[currentIndex];
      current[currentIndex++] = null;
      if (o instanceof ExtxyzFormatException e) {
        var handler = skipHandler;
        if (handler != null) {
          handler.accept(e);
          continue;
        }
        stop();
        throw e;
      }
      if (o instanceof Failure f) {
        stop();
        throw f.rethrow();
      }
      @SuppressWarnings("unchecked")
      T t = (T) o;
      return t;
    }
  }

  // The next parsed chunk, or null at the end; a scan error is thrown when reached.
  private Object[] nextChunk() throws IOException {
    Object item;
    if (pool == null) {
      List<FrameText> chunk = scanner.next();
      item = chunk.isEmpty() ? endItem() : CompletableFuture.completedFuture(parseChunk(chunk));
    } else {
      if (scanThread == null) startScan();
      try {
        item = pending.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while reading " + file);
      }
    }
    if (item == END) return null;
    if (item instanceof Failure f) {
      stop();
      throw f.rethrow();
    }
    @SuppressWarnings("unchecked")
    Future<Object[]> future = (Future<Object[]>) item;
    return await(future);
  }

  private Object endItem() {
    return scanner.error() != null ? new Failure(scanner.error()) : END;
  }

  private void startScan() {
    scanThread = new Thread(this::scanLoop, "extxyz-scan");
    scanThread.setDaemon(true);
    scanThread.start();
  }

  private void scanLoop() {
    try {
      while (true) {
        List<FrameText> chunk = scanner.next();
        if (chunk.isEmpty()) {
          pending.put(endItem());
          return;
        }
        pending.put(pool.submit(() -> parseChunk(chunk)));
      }
    } catch (InterruptedException e) {
      // closed
    } catch (IOException | RuntimeException e) {
      try {
        pending.put(new Failure(e));
      } catch (InterruptedException ignored) {
        // closed
      }
    }
  }

  private Object[] await(Future<Object[]> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while parsing " + file);
    } catch (ExecutionException e) {
      stop();
      throw new Failure(e.getCause()).rethrow();
    }
  }

  private Object[] parseChunk(List<FrameText> chunk) {
    FrameMapper<T> mapper = takeMapper();
    try {
      Object[] out = new Object[chunk.size()];
      for (int i = 0; i < out.length; i++) {
        try {
          out[i] = mapper.map(FrameParser.parse(chunk.get(i), file, headerOnly));
        } catch (ExtxyzFormatException e) {
          out[i] = e;
          if (skipHandler == null) return Arrays.copyOf(out, i + 1);
        } catch (IOException | RuntimeException e) {
          out[i] = new Failure(e);
          return Arrays.copyOf(out, i + 1);
        }
      }
      return out;
    } finally {
      idleMappers.add(mapper);
    }
  }

  private FrameMapper<T> takeMapper() {
    FrameMapper<T> m = idleMappers.poll();
    if (m != null) return m;
    m = mappers.get();
    synchronized (allMappers) {
      allMappers.add(m);
    }
    return m;
  }

  // After an error: nothing more is read.
  private void stop() {
    finished = true;
    current = new Object[0];
    shutdown();
  }

  private void shutdown() {
    if (scanThread != null) scanThread.interrupt();
    if (pool != null) pool.shutdownNow();
    Object o;
    while ((o = pending.poll()) != null) {
      if (o instanceof Future<?> f) f.cancel(true);
    }
  }

  private void ensureOpen() {
    if (closed) throw new IllegalStateException("extxyz reader is closed: " + file);
  }

  @Override
  public void close() throws IOException {
    if (closed) return;
    closed = true;
    shutdown();
    try {
      if (scanThread != null) scanThread.join(10_000);
      if (pool != null) pool.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      synchronized (allMappers) {
        allMappers.forEach(FrameMapper::close);
        allMappers.clear();
      }
      in.close();
    }
  }

  /** An exception raised off the reading thread, thrown again when its frame is reached. */
  private record Failure(Throwable cause) {
    IOException rethrow() {
      if (cause instanceof IOException e) return e;
      if (cause instanceof RuntimeException e) throw e;
      if (cause instanceof Error e) throw e;
      return new IOException(cause);
    }
  }
}
