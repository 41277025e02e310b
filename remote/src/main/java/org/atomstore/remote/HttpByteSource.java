package org.atomstore.remote;

import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.lang.foreign.MemorySegment;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import org.atomstore.remote.internal.HttpClients;
import org.atomstore.remote.internal.RangeReads;
import org.atomstore.source.ByteSource;

/**
 * An HTTP(S) URL as a {@link ByteSource}, read with {@code Range} requests ({@code java.net.http}).
 *
 * <p>Opening sends one {@code HEAD} for the size and the ETag (or, where HEAD is refused, one ranged GET of the
 * first byte). Each read is one ranged GET; a batch read ({@link #read(List)}) merges ranges that lie close
 * together and keeps several requests in flight on virtual threads ({@link HttpOptions}). Redirects are followed
 * (and remembered, so later reads go straight to where they led; a remembered target that stops answering is
 * dropped); a bearer token goes to the URL's own origin only. Connection drops, short bodies and
 * 408/429/500/502/503/504 answers are retried with exponential backoff, resuming after the bytes already
 * received. A server that ignores {@code Range} (200 with the whole body) is detected: a file up to
 * {@link HttpOptions#maxWholeBodyBytes()} is then read whole once and sliced, a larger one fails naming the URL.
 * Every {@code 206} answer's {@code Content-Range} is checked against the request and the size seen at open, so a
 * byte from the wrong place or from a replaced file is never returned. Errors name the URL, the byte range and
 * the problem.
 *
 * <p>Thread contract: reads may run on any number of threads at once; {@link #close()} must not race with reads.
 */
public final class HttpByteSource implements ByteSource {

  private static final int MAX_REDIRECTS = 10;
  private static final int BUFFER = 64 << 10;

  private final URI uri;
  private final String name;
  private final HttpOptions options;
  private final HttpClient client;
  private final long size;
  private final String version;
  private final LongAdder requests = new LongAdder();
  private final LongAdder bytesReceived = new LongAdder();
  /** Where the last redirect led; reads go there directly. */
  private volatile URI target;
  /** The whole file, once a server that ignores Range sent it. */
  private volatile byte[] wholeBody;
  private volatile boolean closed;

  private HttpByteSource(URI uri, HttpOptions options) {
    this.uri = uri;
    this.name = display(uri);
    this.options = options;
    this.client = HttpClients.shared(options.connectTimeout());
    this.target = uri;
    this.size = -1;
    this.version = null;
  }

  private HttpByteSource(HttpByteSource probe, long size, String version) {
    this.uri = probe.uri;
    this.name = probe.name;
    this.options = probe.options;
    this.client = probe.client;
    this.target = probe.target;
    this.size = size;
    this.version = version;
    this.requests.add(probe.requests.sum());
    this.bytesReceived.add(probe.bytesReceived.sum());
  }

  /** Opens {@code uri} with {@link HttpOptions#defaults()}. */
  public static HttpByteSource open(URI uri) throws IOException {
    return open(uri, HttpOptions.defaults());
  }

  /**
   * Opens {@code uri} (http or https): one request for its size.
   *
   * @throws FileNotFoundException (naming the URL) when the server answers 404 or 410
   * @throws IOException naming the URL for any other failure, after retries where retrying is right
   */
  public static HttpByteSource open(URI uri, HttpOptions options) throws IOException {
    HttpByteSource s = probe(uri, options);
    if (s == null) throw new FileNotFoundException(display(uri) + ": HTTP 404 Not Found");
    return s;
  }

  /** Like {@link #open} but empty when the server says there is no such file (404, 410). */
  public static Optional<HttpByteSource> openIfExists(URI uri, HttpOptions options) throws IOException {
    return Optional.ofNullable(probe(uri, options));
  }

  private static HttpByteSource probe(URI uri, HttpOptions options) throws IOException {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(options, "options");
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("not an http(s) URL: " + display(uri));
    }
    HttpByteSource s = new HttpByteSource(uri, options);
    for (int attempt = 1; ; attempt++) {
      try {
        return s.sizeRequest();
      } catch (Transient t) {
        if (attempt >= options.maxAttempts()) {
          throw new IOException("HEAD " + s.name + ": gave up after " + attempt + " attempts: " + t.getMessage(), t);
        }
        s.backoff(attempt);
      }
    }
  }

  /** The opened source, or null on 404/410. */
  private HttpByteSource sizeRequest() throws IOException {
    HttpResponse<InputStream> r = send("HEAD", uri, null);
    r.body().close();
    int s = r.statusCode();
    if (s == 200) {
      long len = r.headers().firstValueAsLong("Content-Length").orElse(-1);
      if (len >= 0) {
        target = r.uri();
        return new HttpByteSource(this, len, versionOf(r));
      }
    } else if (s == 404 || s == 410) {
      return null;
    } else if (transientStatus(s)) {
      throw new Transient("HTTP " + s);
    }
    // HEAD refused (405, 501, a URL signed for GET only) or without a length: the first byte tells the size.
    r = send("GET", uri, "bytes=0-0");
    try (InputStream in = r.body()) {
      s = r.statusCode();
      switch (s) {
        case 206 -> {
          long[] cr = contentRange(r);
          if (cr == null || cr[2] < 0) throw new IOException("GET " + name + " bytes=0-0: HTTP 206 without a total size in Content-Range");
          target = r.uri();
          return new HttpByteSource(this, cr[2], versionOf(r));
        }
        case 200 -> {
          long len = r.headers().firstValueAsLong("Content-Length").orElse(-1);
          if (len < 0) throw new IOException("GET " + name + ": HTTP 200 without Content-Length; the size cannot be known");
          target = r.uri();
          return new HttpByteSource(this, len, versionOf(r));
        }
        case 416 -> {
          long[] cr = contentRange(r);
          if (cr != null && cr[2] == 0) return new HttpByteSource(this, 0, versionOf(r));
          throw new IOException("GET " + name + " bytes=0-0: HTTP 416 without a size");
        }
        case 404, 410 -> {
          return null;
        }
        case 401, 403 -> throw new IOException("GET " + name + ": HTTP " + s + " access denied"
            + (options.bearerToken() == null ? " (no token was given)" : " (with the token given)"));
        default -> {
          if (transientStatus(s)) throw new Transient("HTTP " + s);
          throw new IOException("GET " + name + " bytes=0-0: unexpected HTTP " + s);
        }
      }
    }
  }

  private static String versionOf(HttpResponse<?> r) {
    return r.headers().firstValue("ETag").or(() -> r.headers().firstValue("Last-Modified")).orElse(null);
  }

  @Override
  public String name() { return name; }

  /** The URL this source reads. */
  public URI uri() { return uri; }

  @Override
  public long size() { return size; }

  @Override
  public Optional<String> version() { return Optional.ofNullable(version); }

  /** Requests sent so far (opening, retries and redirects included). */
  public long requestCount() { return requests.sum(); }

  /** Body bytes received so far. */
  public long bytesReceived() { return bytesReceived.sum(); }

  @Override
  public void read(long offset, MemorySegment dst) throws IOException {
    checkOpen();
    RangeReads.checkBounds(name, offset, dst.byteSize(), size);
    if (dst.byteSize() > 0) fetch(offset, dst);
  }

  @Override
  public void read(List<Range> ranges) throws IOException {
    checkOpen();
    RangeReads.read(name, size, ranges, options.coalesceGap(), options.maxCoalescedBytes(), options.maxInFlight(),
        this::fetch);
  }

  private void checkOpen() {
    if (closed) throw new IllegalStateException("closed: " + name);
  }

  /** One range, with retries; resumes after the bytes a failed attempt delivered. */
  private void fetch(long offset, MemorySegment dst) throws IOException {
    long len = dst.byteSize();
    long done = 0;
    int failures = 0;
    int attempts = 0;
    while (true) {
      String[] problem = {null};
      long got = 0;
      IOException failure;
      try {
        got = transfer(offset + done, len - done, dst.asSlice(done), problem);
        done += got;
        if (done == len) return;
        failure = new Transient(problem[0] != null ? problem[0] : "short body: " + got + " of " + (len - done + got) + " bytes");
      } catch (Transient t) {
        failure = t;
      } catch (FileNotFoundException e) {
        throw new FileNotFoundException(where(offset, len) + ": " + e.getMessage());
      } catch (EOFException e) {
        throw new EOFException(where(offset, len) + ": " + e.getMessage());
      } catch (InterruptedIOException e) {
        throw e;
      } catch (IOException e) {
        throw new IOException(where(offset, len) + ": " + e.getMessage(), e);
      }
      if (got > 0) failures = 0;
      failures++;
      attempts++;
      // An attempt that made progress does not count against the budget, but the total stays bounded.
      if (failures >= options.maxAttempts() || attempts >= 4 * options.maxAttempts()) {
        throw new IOException(where(offset, len) + ": gave up after " + attempts + " attempts: " + failure.getMessage(), failure);
      }
      backoff(failures);
    }
  }

  private String where(long offset, long len) {
    return "GET " + name + " bytes " + offset + "-" + (offset + len - 1) + " (" + len + " bytes at offset " + offset + ")";
  }

  /** One request for {@code [start, start+n)} into {@code dst}; the bytes delivered (fewer on a short body). */
  private long transfer(long start, long n, MemorySegment dst, String[] problem) throws IOException {
    byte[] whole = wholeBody;
    if (whole != null) {
      MemorySegment.copy(MemorySegment.ofArray(whole), start, dst, 0, n);
      return n;
    }
    URI at = target;
    long end = start + n - 1;
    HttpResponse<InputStream> r = send("GET", at, "bytes=" + start + "-" + end);
    int s = r.statusCode();
    try (InputStream in = r.body()) {
      if (s == 206) {
        long[] cr = contentRange(r);
        if (cr == null) throw new IOException("HTTP 206 without a valid Content-Range");
        if (cr[0] != start || cr[1] < start || cr[1] > end) {
          throw new IOException("server answered bytes " + cr[0] + "-" + cr[1] + " to a request for bytes " + start + "-" + end);
        }
        if (cr[2] >= 0 && cr[2] != size) {
          throw new IOException("the file changed on the server: " + cr[2] + " bytes now, " + size + " when opened");
        }
        return copyBody(in, dst, cr[1] - cr[0] + 1, problem);
      }
      if (s == 200) return wholeBody(r, in, start, n, dst, problem);
      if (!at.equals(uri) && (s == 401 || s == 403 || s == 404 || s == 410)) {
        // The remembered redirect target expired (signed CDN URLs do): go through the URL itself again.
        target = uri;
        throw new Transient("HTTP " + s + " from redirect target " + display(at));
      }
      switch (s) {
        case 404, 410 -> throw new FileNotFoundException("HTTP " + s + " (the file is gone)");
        case 401, 403 -> throw new IOException("HTTP " + s + " access denied"
            + (options.bearerToken() == null ? " (no token was given)" : " (with the token given)"));
        case 416 -> throw new EOFException("HTTP 416 range not satisfiable: the file is shorter than the " + size
            + " bytes it had when opened");
        default -> {
          if (transientStatus(s)) throw new Transient("HTTP " + s);
          throw new IOException("unexpected HTTP " + s);
        }
      }
    }
  }

  /** A 200 to a ranged GET: the server ignored Range and sends the whole file. */
  private long wholeBody(HttpResponse<InputStream> r, InputStream in, long start, long n, MemorySegment dst,
                         String[] problem) throws IOException {
    long len = r.headers().firstValueAsLong("Content-Length").orElse(-1);
    if (len >= 0 && len != size) {
      throw new IOException("the file changed on the server: " + len + " bytes now, " + size + " when opened");
    }
    if (start == 0 && n == size) return copyBody(in, dst, n, problem);
    if (size > options.maxWholeBodyBytes()) {
      throw new IOException("the server ignores Range requests (it answered 200 with the whole " + size
          + "-byte file); files above " + options.maxWholeBodyBytes() + " bytes are not read from such a server");
    }
    byte[] all = new byte[(int) size];
    long got = copyBody(in, MemorySegment.ofArray(all), size, problem);
    if (got < size) {
      throw new Transient("short body while reading the whole file from a server that ignores Range: " + got + " of "
          + size + " bytes" + (problem[0] == null ? "" : " (" + problem[0] + ")"));
    }
    wholeBody = all;
    MemorySegment.copy(MemorySegment.ofArray(all), start, dst, 0, n);
    return n;
  }

  /** Copies up to {@code expected} body bytes into {@code dst}; how many came before the body ended or failed. */
  private long copyBody(InputStream in, MemorySegment dst, long expected, String[] problem) {
    byte[] buf = new byte[(int) Math.min(BUFFER, expected)];
    long done = 0;
    try {
      while (done < expected) {
        int r = in.read(buf, 0, (int) Math.min(buf.length, expected - done));
        if (r < 0) {
          problem[0] = "short body: the connection ended after " + done + " of " + expected + " bytes";
          break;
        }
        MemorySegment.copy(MemorySegment.ofArray(buf), 0, dst, done, r);
        done += r;
      }
    } catch (IOException e) {
      problem[0] = "connection failed after " + done + " of " + expected + " bytes: " + e;
    }
    bytesReceived.add(done);
    return done;
  }

  /** Sends a request, following redirects; transport failures are {@link Transient}. */
  private HttpResponse<InputStream> send(String method, URI start, String range) throws IOException {
    URI at = start;
    for (int hop = 0; ; hop++) {
      HttpRequest.Builder b = HttpRequest.newBuilder(at)
          .timeout(options.requestTimeout())
          .method(method, HttpRequest.BodyPublishers.noBody())
          .version("https".equalsIgnoreCase(at.getScheme()) ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1);
      if (range != null) b.header("Range", range);
      if (options.bearerToken() != null && sameOrigin(at, uri)) b.header("Authorization", "Bearer " + options.bearerToken());
      requests.increment();
      HttpResponse<InputStream> r;
      try {
        r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException(method + " " + name + " interrupted");
      } catch (IOException e) {
        throw new Transient(e.toString(), e);
      }
      int s = r.statusCode();
      if (s != 301 && s != 302 && s != 303 && s != 307 && s != 308) return r;
      r.body().close();
      String location = r.headers().firstValue("Location").orElse(null);
      if (location == null) throw new IOException(method + " " + display(at) + ": HTTP " + s + " redirect without a Location");
      if (hop >= MAX_REDIRECTS) throw new IOException(method + " " + name + ": more than " + MAX_REDIRECTS + " redirects");
      try {
        at = at.resolve(location);
      } catch (IllegalArgumentException e) {
        throw new IOException(method + " " + display(at) + ": redirect to a malformed Location: " + location, e);
      }
      String scheme = at.getScheme() == null ? "" : at.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw new IOException(method + " " + name + ": redirect to a non-HTTP location: " + location);
      }
    }
  }

  private static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost() != null
        && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
  }

  private static int port(URI u) {
    if (u.getPort() >= 0) return u.getPort();
    return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
  }

  private static boolean transientStatus(int s) {
    return s == 408 || s == 429 || s == 500 || s == 502 || s == 503 || s == 504;
  }

  /** {@code Content-Range: bytes FIRST-LAST/TOTAL} (TOTAL -1 for {@code *}; FIRST, LAST -1 for {@code *}), or null. */
  static long[] contentRange(HttpResponse<?> r) {
    String v = r.headers().firstValue("Content-Range").orElse(null);
    if (v == null) return null;
    v = v.trim();
    if (!v.regionMatches(true, 0, "bytes ", 0, 6)) return null;
    String rest = v.substring(6).trim();
    int slash = rest.indexOf('/');
    if (slash < 0) return null;
    try {
      String total = rest.substring(slash + 1).trim();
      long t = total.equals("*") ? -1 : Long.parseLong(total);
      String span = rest.substring(0, slash).trim();
      if (span.equals("*")) return new long[] {-1, -1, t};
      int dash = span.indexOf('-');
      if (dash < 0) return null;
      long first = Long.parseLong(span.substring(0, dash).trim());
      long last = Long.parseLong(span.substring(dash + 1).trim());
      if (first < 0 || last < first || (t >= 0 && last >= t)) return null;
      return new long[] {first, last, t};
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private void backoff(int failures) throws InterruptedIOException {
    long initial = options.initialBackoff().toMillis();
    long max = options.maxBackoff().toMillis();
    long wait = Math.min(max, initial << Math.min(failures - 1, 20));
    // Jitter: retries of many readers do not arrive at the server together.
    wait = wait / 2 + ThreadLocalRandom.current().nextLong(wait / 2 + 1);
    if (wait <= 0) return;
    try {
      Thread.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting to retry " + name);
    }
  }

  /** The URL as shown in messages: without user info or query (which may hold credentials). */
  static String display(URI u) {
    if (u.getRawUserInfo() == null && u.getRawQuery() == null) return u.toString();
    try {
      return new URI(u.getScheme(), null, u.getHost(), u.getPort(), u.getPath(), null, null).toString();
    } catch (java.net.URISyntaxException e) {
      return u.getScheme() + "://" + u.getHost() + u.getRawPath();
    }
  }

  @Override
  public void close() {
    closed = true;
    wholeBody = null;
  }

  @Override
  public String toString() { return "HttpByteSource[" + name + ", " + size + " bytes]"; }

  /** A failure worth retrying: a transport error, a short body or a 408/429/5xx answer. */
  private static final class Transient extends IOException {
    Transient(String message) { super(message); }
    Transient(String message, Throwable cause) { super(message, cause); }
  }
}
