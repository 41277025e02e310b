package org.atomstore.dataset.remote;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.atomstore.remote.BlockCache;
import org.atomstore.source.ByteSource;
import org.atomstore.source.ObjectStore;

/**
 * The local disk cache remote reads go through, when one is configured: the directory is the system property
 * {@code atomstore.cache} (the command line's {@code --cache DIR}) or {@code ATOMSTORE_CACHE}; its size limit
 * {@code atomstore.cache.size} ({@code --cache-size}) or {@code ATOMSTORE_CACHE_SIZE} in bytes, 10 GiB by default.
 * One {@link BlockCache} per directory and limit is shared by the process.
 */
final class RemoteCache {
  static final long DEFAULT_BYTES = 10L << 30;
  private static BlockCache shared;
  private static String sharedKey;
  private final BlockCache cache;

  private RemoteCache(BlockCache cache) {
    this.cache = cache;
  }

  /** The configured cache, or empty when none is. */
  static Optional<RemoteCache> configured() throws IOException {
    String dir = Addresses.setting("atomstore.cache", "ATOMSTORE_CACHE");
    if (dir == null) return Optional.empty();
    String size = Addresses.setting("atomstore.cache.size", "ATOMSTORE_CACHE_SIZE");
    long bytes;
    try {
      bytes = size == null ? DEFAULT_BYTES : Long.parseLong(size);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("ATOMSTORE_CACHE_SIZE is not a byte count: " + size);
    }
    return Optional.of(new RemoteCache(open(Path.of(dir), bytes)));
  }

  private static synchronized BlockCache open(Path dir, long bytes) throws IOException {
    String key = dir.toAbsolutePath() + "\0" + bytes;
    if (!key.equals(sharedKey)) {
      shared = BlockCache.open(dir, bytes);
      sharedKey = key;
    }
    return shared;
  }

  ByteSource wrap(ByteSource s) throws IOException {
    return cache.wrap(s);
  }

  /** The store with every blob it opens read through the cache. */
  ObjectStore wrap(ObjectStore s) {
    return new ObjectStore() {
      @Override public String address() { return s.address(); }

      @Override public List<Entry> list(String prefix) throws IOException { return s.list(prefix); }

      @Override public boolean listable() { return s.listable(); }

      @Override public Optional<Long> size(String name) throws IOException { return s.size(name); }

      @Override
      public ByteSource open(String name) throws IOException {
        ByteSource raw = s.open(name);
        try {
          return cache.wrap(raw);
        } catch (IOException | RuntimeException e) {
          raw.close();
          throw e;
        }
      }

      @Override public InputStream read(String name) throws IOException { return s.read(name); }

      @Override public void write(String name, Path file) throws IOException { s.write(name, file); }

      @Override public void write(String name, byte[] bytes) throws IOException { s.write(name, bytes); }

      @Override public void delete(String name) throws IOException { s.delete(name); }

      @Override public boolean writable() { return s.writable(); }

      @Override public void close() throws IOException { s.close(); }
    };
  }
}
