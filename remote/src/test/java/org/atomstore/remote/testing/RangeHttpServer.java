package org.atomstore.remote.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP/1.1 server on {@code 127.0.0.1} (an ephemeral port) that serves the files under a directory with
 * {@code Range}, {@code HEAD}, ETag and Last-Modified, and misbehaves on request ({@link Faults}). For tests only;
 * nothing is ever reachable from another address.
 *
 * <pre>{@code
 * try (RangeHttpServer server = RangeHttpServer.serve(dir)) {
 *   URI url = server.uri("data/part_0000.atp");      // http://127.0.0.1:PORT/data/part_0000.atp
 *   server.faults().failNext(2, 503);                // the next two requests answer 503
 *   ... read url ...
 *   assertThat(server.getRequests()).isEqualTo(3);
 * }
 * }</pre>
 *
 * <p>{@code /redirect/NAME} answers 302 to {@link #redirectTarget()} + NAME (this server's own {@code /NAME} unless
 * changed). Other paths can be added with {@link #createContext}, and such handlers may serve files with all the
 * above through {@link #serveFile}.
 *
 * <p>Thread contract: requests are handled on virtual threads, any number at once; the counters and faults may be
 * read and changed from any thread.
 */
public final class RangeHttpServer implements AutoCloseable {

  private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

  private final Path root;
  private final HttpServer server;
  private final ExecutorService executor;
  private final Faults faults = new Faults();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong gets = new AtomicLong();
  private final AtomicLong heads = new AtomicLong();
  private final AtomicLong bytesSent = new AtomicLong();
  private final AtomicInteger inProgress = new AtomicInteger();
  private final AtomicInteger maxInProgress = new AtomicInteger();
  private final List<String> log = new ArrayList<>();
  private volatile URI redirectTarget;

  private RangeHttpServer(Path root) throws IOException {
    this.root = root.toAbsolutePath().normalize();
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    this.executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    server.createContext("/", this::handleFile);
    server.createContext("/redirect/", this::handleRedirect);
    this.redirectTarget = baseUri();
  }

  /** Starts a server for the files under {@code root}. */
  public static RangeHttpServer serve(Path root) throws IOException {
    RangeHttpServer s = new RangeHttpServer(root);
    s.server.start();
    return s;
  }

  /** {@code http://127.0.0.1:PORT/}. */
  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  /** The URL of file {@code name} (relative to the root, {@code /}-separated). */
  public URI uri(String name) {
    return baseUri().resolve(encodePath(name));
  }

  /** A URL that answers 302 to {@link #redirectTarget()} + {@code name}. */
  public URI redirectingUri(String name) {
    return baseUri().resolve("redirect/" + encodePath(name));
  }

  /** Where {@code /redirect/NAME} points: this server's root unless changed (e.g. another server's base URI). */
  public URI redirectTarget() { return redirectTarget; }

  public void redirectTarget(URI base) { this.redirectTarget = Objects.requireNonNull(base); }

  public int port() { return server.getAddress().getPort(); }

  public Path root() { return root; }

  /** The misbehaviours to show; change them at any time. */
  public Faults faults() { return faults; }

  /** Requests received, of any kind. */
  public long requests() { return requests.get(); }

  /** GET requests received (ranged or not). */
  public long getRequests() { return gets.get(); }

  /** HEAD requests received. */
  public long headRequests() { return heads.get(); }

  /** Body bytes sent. */
  public long bytesSent() { return bytesSent.get(); }

  /** The most requests that were being handled at one time. */
  public int maxConcurrentRequests() { return maxInProgress.get(); }

  /**
   * One line per request: {@code METHOD PATH [RANGE] [auth]} ({@code auth} when it carried an Authorization header),
   * in arrival order.
   */
  public List<String> log() {
    synchronized (log) {
      return List.copyOf(log);
    }
  }

  /** Zeroes the counters and empties the log. */
  public void resetCounters() {
    requests.set(0);
    gets.set(0);
    heads.set(0);
    bytesSent.set(0);
    maxInProgress.set(0);
    synchronized (log) {
      log.clear();
    }
  }

  /** Adds a handler for paths under {@code path} (counted and logged like the others, faults not applied). */
  public void createContext(String path, HttpHandler handler) {
    server.createContext(path, ex -> {
      count(ex);
      try {
        handler.handle(ex);
      } finally {
        inProgress.decrementAndGet();
        ex.close();
      }
    });
  }

  private void handleRedirect(HttpExchange ex) throws IOException {
    count(ex);
    try {
      String name = ex.getRequestURI().getRawPath().substring("/redirect/".length());
      ex.getResponseHeaders().set("Location", redirectTarget.resolve(name).toString());
      ex.sendResponseHeaders(302, -1);
    } finally {
      inProgress.decrementAndGet();
      ex.close();
    }
  }

  private void handleFile(HttpExchange ex) throws IOException {
    count(ex);
    try {
      String name = URLDecoder.decode(ex.getRequestURI().getRawPath().substring(1), StandardCharsets.UTF_8);
      Path file = resolve(name);
      if (file == null) {
        // Faults first, as a real server under load would fail before looking.
        if (!faults.apply(ex)) sendStatus(ex, 404);
        return;
      }
      serveFile(ex, file);
    } finally {
      inProgress.decrementAndGet();
      ex.close();
    }
  }

  private void count(HttpExchange ex) {
    requests.incrementAndGet();
    if (ex.getRequestMethod().equals("GET")) gets.incrementAndGet();
    if (ex.getRequestMethod().equals("HEAD")) heads.incrementAndGet();
    int now = inProgress.incrementAndGet();
    maxInProgress.accumulateAndGet(now, Math::max);
    String range = ex.getRequestHeaders().getFirst("Range");
    String line = ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath() + (range == null ? "" : " " + range)
        + (ex.getRequestHeaders().containsKey("Authorization") ? " auth" : "");
    synchronized (log) {
      log.add(line);
    }
  }

  private Path resolve(String name) {
    if (name.isEmpty() || name.contains("\\") || name.contains("\0")) return null;
    for (String seg : name.split("/", -1)) if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) return null;
    Path p = root.resolve(name).normalize();
    return p.startsWith(root) && Files.isRegularFile(p) ? p : null;
  }

  /**
   * Answers {@code ex} with {@code file}: HEAD, GET with or without a single {@code Range}, the faults applied.
   * Does not close the exchange.
   */
  public void serveFile(HttpExchange ex, Path file) throws IOException {
    if (faults.apply(ex)) return;
    long size = Files.size(file);
    var h = ex.getResponseHeaders();
    String etag = "\"" + Long.toHexString(size) + "-" + Long.toHexString(Files.getLastModifiedTime(file).toMillis()) + "\"";
    h.set("ETag", etag);
    h.set("Last-Modified", HTTP_DATE.format(Files.getLastModifiedTime(file).toInstant()));
    h.set("Content-Type", "application/octet-stream");
    boolean ranges = !faults.ignoreRange;
    if (ranges) h.set("Accept-Ranges", "bytes");
    String method = ex.getRequestMethod();
    if (method.equals("HEAD")) {
      if (faults.refuseHead) {
        sendStatus(ex, 405);
        return;
      }
      h.set("Content-Length", Long.toString(size));
      ex.sendResponseHeaders(200, -1);
      return;
    }
    if (!method.equals("GET")) {
      sendStatus(ex, 405);
      return;
    }
    String range = ex.getRequestHeaders().getFirst("Range");
    long first = 0;
    long last = size - 1;
    int status = 200;
    if (range != null && ranges) {
      long[] r = parseRange(range, size);
      if (r == null) {
        h.set("Content-Range", "bytes */" + size);
        sendStatus(ex, 416);
        return;
      }
      if (r.length == 2) {
        first = r[0];
        last = r[1];
        status = 206;
        h.set("Content-Range", "bytes " + first + "-" + last + "/" + size);
      }
    }
    long len = last - first + 1;
    long cut = faults.takeDrop();
    ex.sendResponseHeaders(status, len == 0 ? -1 : len);
    if (len == 0) return;
    OutputStream out = ex.getResponseBody();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      InputStream in = Channels.newInputStream(ch.position(first));
      long toSend = cut >= 0 ? Math.min(cut, len) : len;
      byte[] buf = new byte[64 << 10];
      long sent = 0;
      while (sent < toSend) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, toSend - sent));
        if (n < 0) break;
        out.write(buf, 0, n);
        sent += n;
        bytesSent.addAndGet(n);
      }
      out.flush();
    }
    // Closing a fixed-length body short of its length makes the server drop the connection mid-body.
    out.close();
  }

  /** {@code [first, last]} of a single range, {@code []} for a form served whole (multiple ranges), null if unsatisfiable. */
  static long[] parseRange(String header, long size) {
    String v = header.trim();
    if (!v.startsWith("bytes=") || v.indexOf(',') >= 0) return new long[0];
    String spec = v.substring(6).trim();
    int dash = spec.indexOf('-');
    if (dash < 0) return new long[0];
    try {
      String a = spec.substring(0, dash).trim();
      String b = spec.substring(dash + 1).trim();
      if (a.isEmpty()) {
        long suffix = Long.parseLong(b);
        if (suffix <= 0 || size == 0) return null;
        return new long[] {Math.max(0, size - suffix), size - 1};
      }
      long first = Long.parseLong(a);
      long last = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
      if (first >= size || last < first) return null;
      return new long[] {first, last};
    } catch (NumberFormatException e) {
      return new long[0];
    }
  }

  private static void sendStatus(HttpExchange ex, int status) throws IOException {
    if (ex.getRequestMethod().equals("HEAD")) {
      ex.sendResponseHeaders(status, -1);
      return;
    }
    byte[] body = ("HTTP " + status + "\n").getBytes(StandardCharsets.US_ASCII);
    ex.sendResponseHeaders(status, body.length);
    ex.getResponseBody().write(body);
  }

  private static String encodePath(String name) {
    StringBuilder sb = new StringBuilder();
    for (String seg : name.split("/", -1)) {
      if (!sb.isEmpty()) sb.append('/');
      sb.append(URLEncoder.encode(seg, StandardCharsets.UTF_8).replace("+", "%20"));
    }
    return sb.toString();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Misbehaviours of a {@link RangeHttpServer}, applied to file requests (HEAD and GET). All may be set at any time,
   * from any thread; {@link #clear()} makes the server well-behaved again.
   */
  public static final class Faults {
    private final AtomicInteger failCount = new AtomicInteger();
    private volatile int failStatus = 503;
    private final AtomicInteger dropCount = new AtomicInteger();
    private volatile long dropAfter = -1;
    private volatile boolean ignoreRange;
    private volatile boolean refuseHead;
    private volatile long latencyMillis;
    private volatile String requiredToken;
    private volatile int holdUntil;
    private final Object holdLock = new Object();
    private int holding;

    /** The next {@code n} requests answer {@code status} (e.g. 500, 503, 404) before the server recovers. */
    public Faults failNext(int n, int status) {
      failStatus = status;
      failCount.set(n);
      return this;
    }

    /** The next {@code n} GETs with a body send {@code afterBytes} bytes of it, then drop the connection. */
    public Faults dropNext(int n, long afterBytes) {
      dropAfter = afterBytes;
      dropCount.set(n);
      return this;
    }

    /** Whether GETs ignore {@code Range} and answer 200 with the whole file (and HEAD omits Accept-Ranges). */
    public Faults ignoreRange(boolean ignore) {
      ignoreRange = ignore;
      return this;
    }

    /** Whether HEAD answers 405 (as servers that only allow GET do). */
    public Faults refuseHead(boolean refuse) {
      refuseHead = refuse;
      return this;
    }

    /** Waits this long before answering each request. */
    public Faults latencyMillis(long ms) {
      latencyMillis = ms;
      return this;
    }

    /** Requests without {@code Authorization: Bearer TOKEN} answer 401 (null: no check). */
    public Faults requireToken(String token) {
      requiredToken = token;
      return this;
    }

    /**
     * Each request waits until {@code n} requests are waiting together (or 10 s have passed) before it is answered:
     * a test then sees that a client keeps {@code n} requests in flight from {@link #maxConcurrentRequests()},
     * without timing anything. 0 turns it off.
     */
    public Faults holdUntilConcurrent(int n) {
      synchronized (holdLock) {
        holdUntil = n;
        holding = 0;
        holdLock.notifyAll();
      }
      return this;
    }

    /** No fault any more. */
    public Faults clear() {
      failCount.set(0);
      dropCount.set(0);
      ignoreRange = false;
      refuseHead = false;
      latencyMillis = 0;
      requiredToken = null;
      holdUntilConcurrent(0);
      return this;
    }

    long takeDrop() {
      return dropCount.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? dropAfter : -1;
    }

    /** Applies latency, holds, the token check and injected failures; true when it answered the request. */
    boolean apply(HttpExchange ex) throws IOException {
      if (latencyMillis > 0) sleep(latencyMillis);
      hold();
      String token = requiredToken;
      if (token != null && !("Bearer " + token).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
        ex.getResponseHeaders().set("X-Fault", "token");
        sendStatus(ex, 401);
        return true;
      }
      if (failCount.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        ex.getResponseHeaders().set("X-Fault", "status");
        sendStatus(ex, failStatus);
        return true;
      }
      return false;
    }

    private void hold() {
      synchronized (holdLock) {
        if (holdUntil <= 0) return;
        holding++;
        holdLock.notifyAll();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (holdUntil > 0 && holding < holdUntil) {
          long left = deadline - System.nanoTime();
          if (left <= 0) break;
          try {
            TimeUnit.NANOSECONDS.timedWait(holdLock, left);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    }

    private static void sleep(long ms) {
      try {
        Thread.sleep(ms);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
