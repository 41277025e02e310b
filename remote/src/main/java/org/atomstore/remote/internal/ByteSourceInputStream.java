package org.atomstore.remote.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import org.atomstore.source.ByteSource;

/**
 * A {@link ByteSource} read from start to end as a stream, one chunk per read of the source (so each chunk gets
 * the source's retries). Closing the stream closes the source. One thread at a time.
 */
public final class ByteSourceInputStream extends InputStream {
  private final ByteSource source;
  private final byte[] buf;
  private long next;
  private int pos;
  private int limit;
  private boolean closed;

  public ByteSourceInputStream(ByteSource source, int chunk) {
    this.source = Objects.requireNonNull(source);
    this.buf = new byte[(int) Math.max(1, Math.min(chunk, source.size()))];
  }

  private boolean fill() throws IOException {
    if (closed) throw new IOException("stream closed: " + source.name());
    if (pos < limit) return true;
    long left = source.size() - next;
    if (left <= 0) return false;
    int n = (int) Math.min(buf.length, left);
    source.read(next, MemorySegment.ofArray(buf).asSlice(0, n));
    next += n;
    pos = 0;
    limit = n;
    return true;
  }

  @Override
  public int read() throws IOException {
    return fill() ? buf[pos++] & 0xff : -1;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) return 0;
    if (!fill()) return -1;
    int n = Math.min(len, limit - pos);
    System.arraycopy(buf, pos, b, off, n);
    pos += n;
    return n;
  }

  @Override
  public void close() throws IOException {
    if (closed) return;
    closed = true;
    source.close();
  }
}
