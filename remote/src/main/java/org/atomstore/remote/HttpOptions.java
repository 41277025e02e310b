package org.atomstore.remote;

import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link HttpByteSource} talks to its server. Start from {@link #defaults()} and change what you need with
 * the {@code with*} methods.
 *
 * @param bearerToken sent as {@code Authorization: Bearer TOKEN} to the URL's own origin (never to another host a
 *     redirect leads to); null for none
 * @param coalesceGap ranges of one batch read that lie at most this many bytes apart are fetched by one request
 * @param maxCoalescedBytes a merged request is never longer than this
 * @param maxInFlight requests of one batch read that run at once
 * @param maxAttempts attempts per request, the first included, when the server answers 408/429/500/502/503/504,
 *     drops the connection or sends a short body (an attempt that made progress does not count)
 * @param initialBackoff wait before the first retry; it doubles with each retry, with jitter
 * @param maxBackoff the longest wait between two attempts
 * @param maxWholeBodyBytes a server that ignores {@code Range} (answers 200 with the whole file) is still read when
 *     the file is at most this long: the body is kept in memory and sliced; above it, reads fail naming the URL
 * @param connectTimeout time to open a connection
 * @param requestTimeout time from sending a request to its response headers
 */
public record HttpOptions(String bearerToken, long coalesceGap, long maxCoalescedBytes, int maxInFlight,
                          int maxAttempts, Duration initialBackoff, Duration maxBackoff, long maxWholeBodyBytes,
                          Duration connectTimeout, Duration requestTimeout) {

  public HttpOptions {
    if (coalesceGap < 0) throw new IllegalArgumentException("coalesceGap < 0: " + coalesceGap);
    if (maxCoalescedBytes < 1 || maxCoalescedBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("maxCoalescedBytes out of range: " + maxCoalescedBytes);
    }
    if (maxInFlight < 1) throw new IllegalArgumentException("maxInFlight < 1: " + maxInFlight);
    if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts < 1: " + maxAttempts);
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (maxWholeBodyBytes < 0 || maxWholeBodyBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("maxWholeBodyBytes out of range: " + maxWholeBodyBytes);
    }
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
  }

  /**
   * No token; ranges within 64 KiB merged up to 8 MiB; 16 requests in flight; 6 attempts with backoff from 200 ms
   * to 10 s; whole bodies kept up to 16 MiB; 10 s to connect, 60 s to the response headers.
   */
  public static HttpOptions defaults() {
    return new HttpOptions(null, 64 << 10, 8 << 20, 16, 6, Duration.ofMillis(200), Duration.ofSeconds(10), 16 << 20,
        Duration.ofSeconds(10), Duration.ofSeconds(60));
  }

  public HttpOptions withBearerToken(String token) {
    return new HttpOptions(token, coalesceGap, maxCoalescedBytes, maxInFlight, maxAttempts, initialBackoff, maxBackoff,
        maxWholeBodyBytes, connectTimeout, requestTimeout);
  }

  public HttpOptions withCoalescing(long gap, long maxBytes) {
    return new HttpOptions(bearerToken, gap, maxBytes, maxInFlight, maxAttempts, initialBackoff, maxBackoff,
        maxWholeBodyBytes, connectTimeout, requestTimeout);
  }

  public HttpOptions withMaxInFlight(int n) {
    return new HttpOptions(bearerToken, coalesceGap, maxCoalescedBytes, n, maxAttempts, initialBackoff, maxBackoff,
        maxWholeBodyBytes, connectTimeout, requestTimeout);
  }

  public HttpOptions withRetries(int attempts, Duration initial, Duration max) {
    return new HttpOptions(bearerToken, coalesceGap, maxCoalescedBytes, maxInFlight, attempts, initial, max,
        maxWholeBodyBytes, connectTimeout, requestTimeout);
  }

  public HttpOptions withMaxWholeBodyBytes(long n) {
    return new HttpOptions(bearerToken, coalesceGap, maxCoalescedBytes, maxInFlight, maxAttempts, initialBackoff,
        maxBackoff, n, connectTimeout, requestTimeout);
  }

  public HttpOptions withTimeouts(Duration connect, Duration request) {
    return new HttpOptions(bearerToken, coalesceGap, maxCoalescedBytes, maxInFlight, maxAttempts, initialBackoff,
        maxBackoff, maxWholeBodyBytes, connect, request);
  }

  @Override
  public String toString() {
    // The token never reaches a log line.
    return "HttpOptions[token=" + (bearerToken == null ? "none" : "***") + ", coalesceGap=" + coalesceGap
        + ", maxCoalescedBytes=" + maxCoalescedBytes + ", maxInFlight=" + maxInFlight + ", maxAttempts=" + maxAttempts
        + ", initialBackoff=" + initialBackoff + ", maxBackoff=" + maxBackoff + ", maxWholeBodyBytes="
        + maxWholeBodyBytes + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout + "]";
  }
}
