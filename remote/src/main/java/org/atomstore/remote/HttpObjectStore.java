package org.atomstore.remote;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.atomstore.remote.internal.ByteSourceInputStream;
import org.atomstore.source.ByteSource;
import org.atomstore.source.ObjectStore;

/**
 * A read-only {@link ObjectStore} over an HTTP(S) base URL: blob {@code a/b.atp} is {@code BASE/a/b.atp}, read
 * with {@link HttpByteSource} (ranges, retries, redirects, a bearer token).
 *
 * <p><b>Listing:</b> plain HTTP has no way to list a directory, so this store lists only the entries it was
 * given with {@link #withListing} (such as the shards a dataset manifest names); without them {@link #list}
 * throws {@link UnsupportedOperationException} and {@link #listable()} is false. <b>Writing</b> and deleting
 * throw {@link UnsupportedOperationException} ({@link #writable()} is false).
 *
 * <p>Thread contract: safe for concurrent use.
 */
public final class HttpObjectStore implements ObjectStore {

  private static final int STREAM_CHUNK = 8 << 20;

  private final URI base;
  private final HttpOptions options;
  private final List<Entry> listing;

  private HttpObjectStore(URI base, HttpOptions options, List<Entry> listing) {
    this.base = base;
    this.options = options;
    this.listing = listing;
  }

  /** The store at {@code base} (a {@code /} is added when it does not end with one), without a listing. */
  public static HttpObjectStore open(URI base, HttpOptions options) {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(options, "options");
    String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(java.util.Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) throw new IllegalArgumentException("not an http(s) URL: " + base);
    String s = base.toString();
    if (base.getRawQuery() != null || base.getRawFragment() != null) {
      throw new IllegalArgumentException("a store's base URL has no query or fragment: " + base);
    }
    return new HttpObjectStore(s.endsWith("/") ? base : URI.create(s + "/"), options, null);
  }

  /** This store, listing exactly {@code entries} (names checked; sizes as given, not asked of the server). */
  public HttpObjectStore withListing(List<Entry> entries) {
    List<Entry> copy = new ArrayList<>(entries.size());
    for (Entry e : entries) {
      ObjectStore.checkName(e.name());
      copy.add(e);
    }
    copy.sort(Comparator.comparing(Entry::name));
    return new HttpObjectStore(base, options, List.copyOf(copy));
  }

  /** The URL of blob {@code name}. */
  public URI uri(String name) {
    ObjectStore.checkName(name);
    StringBuilder sb = new StringBuilder();
    for (String seg : name.split("/", -1)) {
      if (!sb.isEmpty()) sb.append('/');
      sb.append(URLEncoder.encode(seg, StandardCharsets.UTF_8).replace("+", "%20"));
    }
    return base.resolve(sb.toString());
  }

  @Override
  public String address() { return base.toString(); }

  @Override
  public boolean listable() { return listing != null; }

  @Override
  public List<Entry> list(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    if (listing == null) {
      throw new UnsupportedOperationException("HTTP has no directory listing: " + base
          + " can list only entries given to it (HttpObjectStore.withListing, e.g. from a manifest)");
    }
    List<Entry> out = new ArrayList<>();
    for (Entry e : listing) if (e.name().startsWith(prefix)) out.add(e);
    return out;
  }

  @Override
  public Optional<Long> size(String name) throws IOException {
    Optional<HttpByteSource> s = HttpByteSource.openIfExists(uri(name), options);
    if (s.isEmpty()) return Optional.empty();
    try (HttpByteSource src = s.get()) {
      return Optional.of(src.size());
    }
  }

  @Override
  public HttpByteSource open(String name) throws IOException {
    return HttpByteSource.open(uri(name), options);
  }

  @Override
  public InputStream read(String name) throws IOException {
    ByteSource src = open(name);
    return new ByteSourceInputStream(src, STREAM_CHUNK);
  }

  @Override
  public void write(String name, Path file) {
    throw readOnly();
  }

  @Override
  public void write(String name, byte[] bytes) {
    throw readOnly();
  }

  @Override
  public void delete(String name) {
    throw readOnly();
  }

  private UnsupportedOperationException readOnly() {
    return new UnsupportedOperationException("HTTP stores are read-only: " + base);
  }

  @Override
  public boolean writable() { return false; }

  @Override
  public void close() {}

  @Override
  public String toString() { return "HttpObjectStore[" + base + (listing == null ? ", no listing]" : ", " + listing.size() + " listed]"); }
}
