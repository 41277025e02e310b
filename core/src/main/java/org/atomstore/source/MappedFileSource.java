package org.atomstore.source;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.Optional;

/**
 * A local file as a {@link ByteSource}: the file is mapped read-only once, at open, and every read is a copy
 * out of the mapping; {@link #mapped()} hands the mapping itself to readers that take the fast path. The size
 * is the file's size at open: bytes appended later are not seen (reopen to see them).
 *
 * <p>Thread contract: reads may run on any number of threads at once; {@link #close()} unmaps the file and must
 * not race with reads or with use of the segment {@link #mapped()} returned. Close is idempotent.
 */
public final class MappedFileSource implements ByteSource {

  private final String name;
  private final Arena arena;
  private final MemorySegment map;
  private volatile boolean closed;

  private MappedFileSource(String name, Arena arena, MemorySegment map) {
    this.name = name;
    this.arena = arena;
    this.map = map;
  }

  /** Maps {@code path} read-only. */
  public static MappedFileSource open(Path path) throws IOException {
    Objects.requireNonNull(path, "path");
    Arena arena = Arena.ofShared();
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      MemorySegment map = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
      return new MappedFileSource(path.toString(), arena, map);
    } catch (IOException | RuntimeException e) {
      arena.close();
      throw e;
    }
  }

  @Override
  public String name() { return name; }

  @Override
  public long size() { return map.byteSize(); }

  @Override
  public void read(long offset, MemorySegment dst) throws IOException {
    long len = dst.byteSize();
    if (offset < 0 || offset > map.byteSize() - len) throw pastEnd(offset, len);
    MemorySegment.copy(map, offset, dst, 0, len);
  }

  private EOFException pastEnd(long offset, long len) {
    if (closed) throw new IllegalStateException("closed: " + name);
    return new EOFException("read of " + len + " bytes at offset " + offset + " runs past the end of the file ("
        + map.byteSize() + " bytes) (" + name + ")");
  }

  @Override
  public Optional<MemorySegment> mapped() { return Optional.of(map); }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    arena.close();
  }

  @Override
  public String toString() { return "MappedFileSource[" + name + "]"; }
}
