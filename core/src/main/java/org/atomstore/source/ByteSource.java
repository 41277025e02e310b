package org.atomstore.source;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Optional;

/**
 * The bytes of one file, wherever they are (DESIGN seam 1): a local file, an HTTP(S) URL read with range
 * requests, an S3 object, or any of these behind a local read-through cache. Everything that reads a file
 * reads it through this interface; the {@code .atp} reader takes the mapped fast path when {@link #mapped()}
 * has a segment, chosen once at open.
 *
 * <p>Errors name the source by {@link #name()} (a path or a URL), the offset and the problem.
 *
 * <p>Thread contract: reads may run on any number of threads at once; {@link #close()} must not race with
 * reads.
 */
public interface ByteSource extends AutoCloseable {

  /** The path or URL, as the user gave it; named in errors. */
  String name();

  /** The size in bytes, known once the source is open. */
  long size();

  /**
   * Reads {@code dst.byteSize()} bytes at {@code offset} into {@code dst}.
   *
   * @throws java.io.EOFException (naming the source) if the range runs past {@link #size()}
   */
  void read(long offset, MemorySegment dst) throws IOException;

  /**
   * Reads many ranges at once; an implementation over a network coalesces nearby ranges and keeps several
   * requests in flight. By default, one {@link #read} after another.
   */
  default void read(List<Range> ranges) throws IOException {
    for (Range r : ranges) read(r.offset(), r.dst());
  }

  /**
   * What identifies this version of the bytes beside {@link #name()} and {@link #size()}, where the source
   * knows one (an HTTP or S3 ETag, a Last-Modified date): a cache keys its blocks by it so that a file replaced
   * under the same name is never served from stale blocks. Empty when unknown.
   */
  default Optional<String> version() {
    return Optional.empty();
  }

  /** The whole file as one read-only mapped segment, where the bytes are local and mappable. */
  default Optional<MemorySegment> mapped() {
    return Optional.empty();
  }

  @Override
  void close() throws IOException;

  /** One range of a batch read: {@code dst.byteSize()} bytes from {@code offset}. */
  record Range(long offset, MemorySegment dst) {
    public Range {
      if (offset < 0) throw new IllegalArgumentException("negative offset " + offset);
    }
  }
}
