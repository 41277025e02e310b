package org.atomstore.dataset.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.atomstore.remote.HttpByteSource;
import org.atomstore.remote.HttpOptions;
import org.atomstore.source.ByteSource;
import org.atomstore.source.ObjectStore;

/**
 * A directory of a Hugging Face Hub dataset repository as a read-only {@link ObjectStore}, reached the way
 * {@code huggingface_hub} reaches it: the listing is {@code GET {endpoint}/api/datasets/{repo}/tree/{revision}/{path}
 * ?recursive=true}, followed page by page through its {@code Link: <...>; rel="next"} headers, and read once;
 * a file is {@code GET {endpoint}/datasets/{repo}/resolve/{revision}/{path}}, read with {@code Range} requests
 * ({@link HttpByteSource}) after the redirects. A token ({@code HF_TOKEN}) goes as {@code Authorization: Bearer}
 * to the endpoint's own origin, never to a host a redirect leads to.
 *
 * <p>Blob names are relative to the address's path. A listed LFS file's {@code lfs.oid} is its SHA-256
 * ({@link #sha256}).
 *
 * <p>Thread contract: safe for concurrent use.
 */
public final class HubObjectStore implements ObjectStore, Checksummed {
  /** Pages of a listing followed at most (the Hub sends 1,000 entries a page). */
  private static final int MAX_PAGES = 100_000;
  /** Largest listing page read. */
  private static final int MAX_PAGE_BYTES = 64 << 20;
  private static final int MAX_REDIRECTS = 10;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern NEXT = Pattern.compile("<([^>]*)>\\s*;\\s*rel=\"?next\"?");

  private final HubAddress address;
  private final String endpoint;
  private final String token;
  private final HttpOptions options;
  private final HttpClient client;
  private volatile Map<String, Listed> listing;

  /** One file of the listing: its size and, for an LFS file, its SHA-256. */
  private record Listed(long size, String sha256) {}

  /**
   * @param endpoint the Hub ({@code HF_ENDPOINT}, by default {@code https://huggingface.co})
   * @param token the bearer token ({@code HF_TOKEN}), or null
   */
  public HubObjectStore(HubAddress address, String endpoint, String token, HttpOptions options) {
    this.address = address;
    this.endpoint = endpoint.replaceAll("/+$", "");
    this.token = token == null || token.isBlank() ? null : token.trim();
    this.options = this.token == null ? options : options.withBearerToken(this.token);
    this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(options.connectTimeout()).build();
  }

  /** The store of {@code address} with the endpoint and token of the environment ({@code HF_ENDPOINT}, {@code HF_TOKEN}). */
  public static HubObjectStore fromEnvironment(HubAddress address, HttpOptions options) {
    String endpoint = System.getenv().getOrDefault("HF_ENDPOINT", "https://huggingface.co");
    return new HubObjectStore(address, endpoint.isBlank() ? "https://huggingface.co" : endpoint, System.getenv("HF_TOKEN"), options);
  }

  public HubAddress hubAddress() { return address; }

  @Override
  public String address() { return address.toString(); }

  @Override
  public List<Entry> list(String prefix) throws IOException {
    List<Entry> out = new ArrayList<>();
    for (var e : listing().entrySet()) if (e.getKey().startsWith(prefix)) out.add(new Entry(e.getKey(), e.getValue().size()));
    return out;
  }

  @Override
  public Optional<Long> size(String name) throws IOException {
    Listed l = listing().get(name);
    return l == null ? Optional.empty() : Optional.of(l.size());
  }

  /** The SHA-256 the Hub lists for an LFS file (its {@code lfs.oid}), when it lists one. */
  @Override
  public Optional<String> sha256(String name) throws IOException {
    Listed l = listing().get(name);
    return l == null ? Optional.empty() : Optional.ofNullable(l.sha256());
  }

  @Override
  public ByteSource open(String name) throws IOException {
    ObjectStore.checkName(name);
    return HttpByteSource.open(address.resolveUri(endpoint, address.inRepo(name)), options);
  }

  @Override
  public InputStream read(String name) throws IOException {
    ObjectStore.checkName(name);
    URI uri = address.resolveUri(endpoint, address.inRepo(name));
    HttpResponse<InputStream> r = get(uri);
    return r.body();
  }

  @Override
  public void write(String name, Path file) {
    throw new UnsupportedOperationException("the Hugging Face Hub store is read-only: " + address);
  }

  @Override
  public void write(String name, byte[] bytes) {
    throw new UnsupportedOperationException("the Hugging Face Hub store is read-only: " + address);
  }

  @Override
  public void delete(String name) {
    throw new UnsupportedOperationException("the Hugging Face Hub store is read-only: " + address);
  }

  @Override
  public boolean writable() { return false; }

  @Override
  public void close() {
    client.close();
  }

  /** The files below the address's path, read once, by name relative to it, sorted. */
  private Map<String, Listed> listing() throws IOException {
    Map<String, Listed> l = listing;
    if (l != null) return l;
    synchronized (this) {
      if (listing == null) listing = fetchListing();
      return listing;
    }
  }

  private Map<String, Listed> fetchListing() throws IOException {
    Map<String, Listed> files = new java.util.TreeMap<>();
    URI next = address.treeUri(endpoint);
    String base = address.path().isEmpty() ? "" : address.path() + "/";
    for (int page = 0; next != null; page++) {
      if (page == MAX_PAGES) throw new IOException(address + ": listing has more than " + MAX_PAGES + " pages");
      HttpResponse<InputStream> r = get(next);
      JsonNode items;
      try (InputStream in = r.body()) {
        byte[] body = in.readNBytes(MAX_PAGE_BYTES + 1);
        if (body.length > MAX_PAGE_BYTES) throw new IOException(next + ": listing page larger than " + MAX_PAGE_BYTES + " bytes");
        items = JSON.readTree(body);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IOException(next + ": listing is not JSON: " + e.getOriginalMessage(), e);
      }
      if (items == null || !items.isArray()) throw new IOException(next + ": listing is not a JSON array");
      for (JsonNode item : items) {
        if (!"file".equals(item.path("type").asText())) continue;
        String p = item.path("path").asText("");
        if (!p.startsWith(base) || p.length() == base.length()) continue;
        String name = p.substring(base.length());
        try {
          ObjectStore.checkName(name);
        } catch (IllegalArgumentException e) {
          throw new IOException(next + ": listing names an unsafe path '" + p + "'");
        }
        long size = item.path("size").asLong(-1);
        if (size < 0) throw new IOException(next + ": listing gives no size for '" + p + "'");
        JsonNode lfs = item.get("lfs");
        String sha = lfs == null ? null : lfs.path("oid").asText(null);
        if (sha != null && sha.startsWith("sha256:")) sha = sha.substring(7);
        if (sha != null && !sha.matches("[0-9a-f]{64}")) sha = null;
        files.put(name, new Listed(size, sha));
      }
      next = nextPage(r, next);
    }
    return Collections.unmodifiableMap(new LinkedHashMap<>(files));
  }

  /** The {@code rel="next"} link of a listing page, resolved against it; null on the last page. */
  private static URI nextPage(HttpResponse<?> r, URI at) {
    for (String link : r.headers().allValues("Link")) {
      Matcher m = NEXT.matcher(link);
      if (m.find()) return at.resolve(m.group(1));
    }
    return null;
  }

  /**
   * GET with redirects followed by hand: the token goes to the endpoint's origin only. 404 is
   * FileNotFoundException naming the URL; other failures name the URL and the status.
   */
  private HttpResponse<InputStream> get(URI uri) throws IOException {
    URI at = uri;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      HttpRequest.Builder b = HttpRequest.newBuilder(at).timeout(options.requestTimeout()).GET();
      if (token != null && sameOrigin(at, URI.create(endpoint))) b.header("Authorization", "Bearer " + token);
      HttpResponse<InputStream> r;
      try {
        r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted: GET " + at);
      }
      int s = r.statusCode();
      if (s == 200) return r;
      r.body().close();
      if (s == 301 || s == 302 || s == 303 || s == 307 || s == 308) {
        String loc = r.headers().firstValue("Location").orElseThrow(() -> new IOException("GET " + uri + ": HTTP " + s + " without Location"));
        at = at.resolve(loc);
        continue;
      }
      if (s == 404) throw new FileNotFoundException("GET " + at + ": HTTP 404 Not Found");
      if (s == 401 || s == 403) {
        throw new IOException("GET " + at + ": HTTP " + s + " access denied" + (token == null ? " (no HF_TOKEN was given)" : " (with the HF_TOKEN given)"));
      }
      throw new IOException("GET " + at + ": HTTP " + s);
    }
    throw new IOException("GET " + uri + ": more than " + MAX_REDIRECTS + " redirects");
  }

  private static boolean sameOrigin(URI a, URI b) {
    return String.valueOf(a.getScheme()).equalsIgnoreCase(String.valueOf(b.getScheme()))
        && String.valueOf(a.getHost()).equalsIgnoreCase(String.valueOf(b.getHost())) && port(a) == port(b);
  }

  private static int port(URI u) {
    return u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
  }

  @Override
  public String toString() { return "HubObjectStore[" + address + " at " + endpoint + "]"; }
}
