package org.atomstore.dataset.remote;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.atomstore.dataset.StoreDataset;
import org.atomstore.remote.HttpByteSource;
import org.atomstore.remote.HttpOptions;
import org.atomstore.source.ByteSource;
import org.atomstore.source.ObjectStore;
import org.atomstore.store.RangedAtpReader;
import org.atomstore.table.Table;

/**
 * Remote addresses and what they open:
 *
 * <ul>
 *   <li>{@code http(s)://HOST/.../file.atp} one file, {@code http(s)://HOST/.../dataset/} a dataset (it needs a
 *       manifest: HTTP cannot list);</li>
 *   <li>{@code s3://BUCKET/PREFIX/file.atp} or {@code s3://BUCKET/PREFIX}: the endpoint is AWS's unless
 *       {@code AWS_ENDPOINT_URL_S3} or {@code AWS_ENDPOINT_URL} (or the system property
 *       {@code atomstore.s3.endpoint}) names another (an S3-compatible store, path-style); credentials come from the
 *       AWS SDK's usual chain;</li>
 *   <li>{@code hf://datasets/ORG/REPO[@REVISION]/PATH}: the Hugging Face Hub at {@code HF_ENDPOINT} (system property
 *       {@code atomstore.hf.endpoint}; default {@code https://huggingface.co}), with {@code HF_TOKEN}
 *       ({@code atomstore.hf.token}) as bearer token (see {@link HubObjectStore}).</li>
 * </ul>
 *
 * A path whose last segment ends in {@code .atp} is one file; anything else is a dataset (a manifest plus shards,
 * or every {@code *.atp} below it: see {@link StoreDataset}). With a cache directory configured
 * ({@link RemoteCache#configured()}), remote files are read through it.
 */
public final class Addresses {
  private Addresses() {}

  /** Whether {@code address} is one of the remote addresses above (and not a local path). */
  public static boolean isRemote(String address) {
    String a = address.toLowerCase(Locale.ROOT);
    return a.startsWith("http://") || a.startsWith("https://") || a.startsWith("s3://") || a.startsWith("hf://");
  }

  /** Whether the address names one {@code .atp} file rather than a dataset. */
  public static boolean isFile(String address) {
    String path = address.replaceFirst("[?#].*$", "");
    return !path.endsWith("/") && path.endsWith(".atp");
  }

  /** Opens the table at a remote address: a {@link RangedAtpReader} for a file, a {@link StoreDataset} otherwise. */
  public static Table openTable(String address) throws IOException {
    return isFile(address) ? openFile(address) : openDataset(address);
  }

  /** Opens one remote {@code .atp} file. */
  public static RangedAtpReader openFile(String address) throws IOException {
    return RangedAtpReader.open(openSource(address), true);
  }

  /**
   * Opens a remote dataset, read through the cache when one is configured; an address of one {@code .atp} file
   * opens as a dataset of that one shard.
   */
  public static StoreDataset openDataset(String address) throws IOException {
    if (!isFile(address)) return StoreDataset.open(cached(openStore(address)), true);
    int slash = address.lastIndexOf('/');
    return StoreDataset.openFile(cached(openStore(address.substring(0, slash))), address.substring(slash + 1), true);
  }

  private static ObjectStore cached(ObjectStore store) throws IOException {
    Optional<RemoteCache> cache;
    try {
      cache = RemoteCache.configured();
    } catch (IOException | RuntimeException e) {
      store.close();
      throw e;
    }
    return cache.map(c -> c.wrap(store)).orElse(store);
  }

  /** The bytes of one remote file, read through the cache when one is configured. */
  public static ByteSource openSource(String address) throws IOException {
    ByteSource raw = rawSource(address);
    Optional<RemoteCache> cache = RemoteCache.configured();
    if (cache.isEmpty()) return raw;
    try {
      return cache.get().wrap(raw);
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  private static ByteSource rawSource(String address) throws IOException {
    String a = address.toLowerCase(Locale.ROOT);
    if (a.startsWith("http://") || a.startsWith("https://")) return HttpByteSource.open(URI.create(address), httpOptions());
    int slash = address.lastIndexOf('/');
    String parent = address.substring(0, slash);
    String name = address.substring(slash + 1);
    ObjectStore store = openStore(parent);
    ByteSource src;
    try {
      src = store.open(name);
    } catch (IOException | RuntimeException e) {
      store.close();
      throw e;
    }
    return new OwningSource(src, store);
  }

  /** The object store whose root is the remote dataset (or directory) {@code address}; no cache (publish, pull). */
  public static ObjectStore openStore(String address) throws IOException {
    String a = address.toLowerCase(Locale.ROOT);
    ObjectStore store;
    if (a.startsWith("hf://")) {
      store = new HubObjectStore(HubAddress.parse(address), hfEndpoint(), setting("atomstore.hf.token", "HF_TOKEN"), httpOptions());
    } else if (a.startsWith("s3://")) {
      store = S3Stores.open(address);
    } else if (a.startsWith("http://") || a.startsWith("https://")) {
      store = HttpStores.open(address);
    } else {
      throw new IllegalArgumentException("not a remote address (http://, https://, s3://, hf://): " + address);
    }
    return store;
  }

  /**
   * Ranges at most this far apart are fetched by one request. Records read at random are a few kilobytes each
   * and far apart: a wide gap (the sources' default is 64 KiB) would fetch several times the bytes of the
   * records; with a cache, whole blocks are fetched anyway.
   */
  static final long COALESCE_GAP = 8 << 10;

  /** The HTTP options of remote reads: the defaults, ranges coalesced within {@link #COALESCE_GAP}. */
  static HttpOptions httpOptions() {
    HttpOptions d = HttpOptions.defaults();
    return d.withCoalescing(COALESCE_GAP, d.maxCoalescedBytes());
  }

  /** {@code HF_ENDPOINT} (or the system property {@code atomstore.hf.endpoint}), else the public Hub. */
  static String hfEndpoint() {
    String e = setting("atomstore.hf.endpoint", "HF_ENDPOINT");
    return e == null ? "https://huggingface.co" : e;
  }

  /** A system property, else an environment variable; null when neither is set or both are blank. */
  static String setting(String property, String env) {
    String v = System.getProperty(property);
    if (v == null || v.isBlank()) v = System.getenv(env);
    return v == null || v.isBlank() ? null : v.trim();
  }

  /** A source that closes the store it came from when it is closed. */
  private record OwningSource(ByteSource source, ObjectStore store) implements ByteSource {
    @Override public String name() { return source.name(); }

    @Override public long size() { return source.size(); }

    @Override public void read(long offset, MemorySegment dst) throws IOException { source.read(offset, dst); }

    @Override public void read(List<Range> ranges) throws IOException { source.read(ranges); }

    @Override public Optional<String> version() { return source.version(); }

    @Override public Optional<MemorySegment> mapped() { return source.mapped(); }

    @Override
    public void close() throws IOException {
      try {
        source.close();
      } finally {
        store.close();
      }
    }
  }
}
