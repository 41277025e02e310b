package org.atomstore.dataset.remote;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.atomstore.remote.HttpByteSource;
import org.atomstore.remote.HttpOptions;
import org.atomstore.source.ByteSource;
import org.atomstore.source.ObjectStore;

/**
 * Opens read-only {@code http(s)://HOST/.../dataset/} stores: blob {@code NAME} is the URL {@code BASE/NAME}, its
 * size a HEAD, its bytes {@link HttpByteSource} range reads. HTTP cannot list, so such a dataset needs a manifest.
 */
final class HttpStores {
  private HttpStores() {}

  static ObjectStore open(String address) {
    String base = address.endsWith("/") ? address : address + "/";
    return new Store(URI.create(base), HttpOptions.defaults());
  }

  private record Store(URI base, HttpOptions options) implements ObjectStore {
    @Override public String address() { return base.toString(); }

    @Override
    public List<Entry> list(String prefix) {
      throw new UnsupportedOperationException("HTTP cannot list " + base + ": a dataset there needs a manifest");
    }

    @Override public boolean listable() { return false; }

    @Override
    public Optional<Long> size(String name) throws IOException {
      Optional<HttpByteSource> s = HttpByteSource.openIfExists(uri(name), options);
      if (s.isEmpty()) return Optional.empty();
      try (HttpByteSource src = s.get()) {
        return Optional.of(src.size());
      }
    }

    @Override
    public ByteSource open(String name) throws IOException {
      return HttpByteSource.open(uri(name), options);
    }

    @Override
    public InputStream read(String name) throws IOException {
      return new SourceStream(open(name));
    }

    private URI uri(String name) {
      ObjectStore.checkName(name);
      StringBuilder b = new StringBuilder();
      for (String seg : name.split("/")) {
        if (!b.isEmpty()) b.append('/');
        b.append(HubAddress.encodeSegment(seg));
      }
      return base.resolve(b.toString());
    }

    @Override public void write(String name, Path file) { throw readOnly(); }

    @Override public void write(String name, byte[] bytes) { throw readOnly(); }

    @Override public void delete(String name) { throw readOnly(); }

    private UnsupportedOperationException readOnly() {
      return new UnsupportedOperationException("HTTP stores are read-only: " + base);
    }

    @Override public boolean writable() { return false; }

    @Override public void close() { }
  }

  /** A byte source read from start to end in large ranges, as a stream; closes the source. */
  static final class SourceStream extends InputStream {
    private static final int CHUNK = 8 << 20;
    private final ByteSource source;
    private final MemorySegment buf = Arena.ofAuto().allocate(CHUNK);
    private long pos;
    private int bufLen;
    private int bufPos;

    SourceStream(ByteSource source) {
      this.source = source;
    }

    private boolean fill() throws IOException {
      if (bufPos < bufLen) return true;
      long left = source.size() - pos;
      if (left <= 0) return false;
      bufLen = (int) Math.min(CHUNK, left);
      source.read(pos, buf.asSlice(0, bufLen));
      pos += bufLen;
      bufPos = 0;
      return true;
    }

    @Override
    public int read() throws IOException {
      return fill() ? buf.get(java.lang.foreign.ValueLayout.JAVA_BYTE, bufPos++) & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) return 0;
      if (!fill()) return -1;
      int n = Math.min(len, bufLen - bufPos);
      MemorySegment.copy(buf, java.lang.foreign.ValueLayout.JAVA_BYTE, bufPos, b, off, n);
      bufPos += n;
      return n;
    }

    @Override
    public void close() throws IOException {
      source.close();
    }
  }
}
