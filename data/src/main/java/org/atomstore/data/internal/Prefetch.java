package org.atomstore.data.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.LongFunction;

/**
 * Reads on virtual threads: one read as a future, and an iterator over positions {@code [0, n)} that keeps up to
 * {@code inFlight} reads running ahead of the consumer. Stateless apart from the shared executor.
 */
public final class Prefetch {
  private Prefetch() {}

  /** One virtual thread per task: reads block on I/O, which virtual threads make cheap. */
  public static final Executor VIRTUAL = Executors.newVirtualThreadPerTaskExecutor();

  /** A read that may fail with an IOException. */
  @FunctionalInterface
  public interface Read<T> {
    T read() throws IOException;
  }

  /** {@code read} on a virtual thread; an IOException completes the future exceptionally. */
  public static <T> CompletableFuture<T> async(Read<T> read) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return read.read();
      } catch (IOException e) {
        throw new CompletionException(e);
      }
    }, VIRTUAL);
  }

  /**
   * Position {@code k} of {@code [0, n)} as {@code start.apply(k)} (a future started then), in order, up to
   * {@code inFlight} started ahead. A failed read surfaces at its position: an IOException as
   * {@link UncheckedIOException}, a RuntimeException as itself.
   */
  public static <T> Iterator<T> iterate(long n, int inFlight, LongFunction<CompletableFuture<T>> start, String source) {
    if (inFlight <= 0) throw new IllegalArgumentException("inFlight must be positive: " + inFlight);
    return new Iterator<>() {
      final ArrayDeque<CompletableFuture<T>> pending = new ArrayDeque<>();
      long issued;

      private void fill() {
        while (pending.size() < inFlight && issued < n) pending.add(start.apply(issued++));
      }

      @Override
      public boolean hasNext() {
        fill();
        return !pending.isEmpty();
      }

      @Override
      public T next() {
        if (!hasNext()) throw new NoSuchElementException();
        CompletableFuture<T> f = pending.poll();
        fill();
        try {
          return f.get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while reading " + source, e);
        } catch (ExecutionException e) {
          if (e.getCause() instanceof IOException io) throw new UncheckedIOException(io);
          if (e.getCause() instanceof RuntimeException r) throw r;
          throw new IllegalStateException(e.getCause());
        }
      }
    };
  }
}
