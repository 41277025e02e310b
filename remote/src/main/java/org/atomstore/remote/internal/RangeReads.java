package org.atomstore.remote.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import org.atomstore.source.ByteSource.Range;

/**
 * Batch reads over a network: ranges that lie within {@code gap} bytes of each other are merged into one request
 * (up to {@code maxGroupBytes}), and the requests run on virtual threads with at most {@code maxInFlight} at a
 * time. Stateless; safe for concurrent use.
 */
public final class RangeReads {

  /** Reads exactly {@code dst.byteSize()} bytes at {@code offset}: one request (with its retries). */
  @FunctionalInterface
  public interface Fetcher {
    void fetch(long offset, MemorySegment dst) throws IOException;
  }

  /** Ranges merged into one request of {@code length} bytes at {@code offset}. */
  public record Group(long offset, long length, List<Range> members) {}

  private RangeReads() {}

  /** The EOFException for a read past {@code size}, naming the source. */
  public static EOFException pastEnd(String name, long offset, long len, long size) {
    return new EOFException("read of " + len + " bytes at offset " + offset + " runs past the end (" + size
        + " bytes) (" + name + ")");
  }

  /** Throws {@link EOFException} when {@code [offset, offset+len)} is not inside {@code [0, size)}. */
  public static void checkBounds(String name, long offset, long len, long size) throws EOFException {
    if (offset < 0 || len < 0 || offset > size - len) throw pastEnd(name, offset, len, size);
  }

  /** The requests a batch becomes: sorted by offset, nearby and overlapping ranges merged. */
  public static List<Group> plan(List<Range> ranges, long gap, long maxGroupBytes) {
    List<Range> sorted = new ArrayList<>(ranges.size());
    for (Range r : ranges) if (r.dst().byteSize() > 0) sorted.add(r);
    sorted.sort(Comparator.comparingLong(Range::offset));
    List<Group> groups = new ArrayList<>();
    int i = 0;
    while (i < sorted.size()) {
      Range first = sorted.get(i);
      long start = first.offset();
      long end = start + first.dst().byteSize();
      int j = i + 1;
      while (j < sorted.size()) {
        Range r = sorted.get(j);
        long rEnd = r.offset() + r.dst().byteSize();
        if (r.offset() > end + gap || Math.max(end, rEnd) - start > maxGroupBytes) break;
        end = Math.max(end, rEnd);
        j++;
      }
      groups.add(new Group(start, end - start, List.copyOf(sorted.subList(i, j))));
      i = j;
    }
    return groups;
  }

  /**
   * Reads every range of a batch from a source of {@code size} bytes named {@code name}: bounds are checked
   * first (nothing is fetched when one range is out of bounds), then the planned requests run, several at once.
   * The first failure is thrown once every request started has ended.
   */
  public static void read(String name, long size, List<Range> ranges, long gap, long maxGroupBytes, int maxInFlight,
                          Fetcher fetcher) throws IOException {
    for (Range r : ranges) checkBounds(name, r.offset(), r.dst().byteSize(), size);
    List<Group> groups = plan(ranges, gap, maxGroupBytes);
    parallel(name, groups.size(), maxInFlight, i -> fetchGroup(groups.get(i), fetcher));
  }

  /** A task of a {@link #parallel} run. */
  @FunctionalInterface
  public interface Task {
    void run(int index) throws IOException;
  }

  /**
   * Runs {@code task(0..count-1)} on virtual threads, at most {@code maxInFlight} at once; after a failure no new
   * task starts, and the first failure is thrown once the tasks started have ended.
   */
  public static void parallel(String name, int count, int maxInFlight, Task task) throws IOException {
    if (count <= 1 || maxInFlight <= 1) {
      for (int i = 0; i < count; i++) task.run(i);
      return;
    }
    Semaphore permits = new Semaphore(maxInFlight);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < count; i++) {
        permits.acquire();
        if (failure.get() != null) {
          permits.release();
          break;
        }
        int index = i;
        pool.execute(() -> {
          try {
            task.run(index);
          } catch (Throwable t) {
            failure.compareAndSet(null, t);
          } finally {
            permits.release();
          }
        });
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted during parallel requests to " + name);
    }
    Throwable t = failure.get();
    if (t == null) return;
    switch (t) {
      case IOException e -> throw e;
      case UncheckedIOException e -> throw e.getCause();
      case RuntimeException e -> throw e;
      case Error e -> throw e;
      default -> throw new IOException(t);
    }
  }

  private static void fetchGroup(Group g, Fetcher fetcher) throws IOException {
    List<Range> members = g.members();
    if (members.size() == 1) {
      Range only = members.getFirst();
      fetcher.fetch(only.offset(), only.dst());
      return;
    }
    // Merged: one request into a scratch buffer, then each range copied out of it.
    MemorySegment buf = MemorySegment.ofArray(new byte[Math.toIntExact(g.length())]);
    fetcher.fetch(g.offset(), buf);
    for (Range r : members) MemorySegment.copy(buf, r.offset() - g.offset(), r.dst(), 0, r.dst().byteSize());
  }
}
