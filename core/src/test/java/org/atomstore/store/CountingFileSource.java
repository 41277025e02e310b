package org.atomstore.store;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import org.atomstore.source.ByteSource;

/**
 * A test byte source over a local file that does not offer a mapping, so a reader must read it by ranges, as it
 * would a remote file; it counts the reads and the bytes. Named by the file's path, so its errors read as
 * {@link AtpReader}'s do.
 */
final class CountingFileSource implements ByteSource {
  private final Path path;
  private final FileChannel ch;
  private final long size;
  final AtomicLong reads = new AtomicLong();
  final AtomicLong bytes = new AtomicLong();

  CountingFileSource(Path path) throws IOException {
    this.path = path;
    this.ch = FileChannel.open(path, StandardOpenOption.READ);
    this.size = ch.size();
  }

  @Override
  public String name() { return path.toString(); }

  @Override
  public long size() { return size; }

  @Override
  public void read(long offset, MemorySegment dst) throws IOException {
    reads.incrementAndGet();
    if (offset + dst.byteSize() > size) throw new EOFException(path + ": read past end at " + offset);
    ByteBuffer b = ByteBuffer.allocate((int) dst.byteSize());
    long pos = offset;
    while (b.hasRemaining()) {
      int n = ch.read(b, pos);
      if (n < 0) throw new EOFException(path + ": unexpected end at " + pos);
      pos += n;
    }
    MemorySegment.copy(MemorySegment.ofArray(b.array()), 0, dst, 0, dst.byteSize());
    bytes.addAndGet(dst.byteSize());
  }

  @Override
  public void close() throws IOException { ch.close(); }
}
