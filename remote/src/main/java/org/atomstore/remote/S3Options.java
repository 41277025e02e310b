package org.atomstore.remote;

import java.net.URI;

/**
 * How S3 byte sources and object stores reach their service, through the AWS SDK v2 with the JDK's URL connection
 * as HTTP client. {@link #defaults()} is AWS itself, with the SDK's usual credentials chain (environment, system
 * properties, {@code ~/.aws}, container and instance roles) and region chain; {@link #forEndpoint(URI)} is an
 * S3-compatible store (MinIO, Ceph, s3proxy, ...): path-style addressing and region {@code us-east-1} unless given.
 *
 * @param endpoint the service's base URL, or null for AWS's own endpoints
 * @param region the signing region; null for the SDK's region chain ({@code us-east-1} where it finds none, and
 *     always when an endpoint is given)
 * @param pathStyle {@code https://HOST/BUCKET/KEY} instead of {@code https://BUCKET.HOST/KEY}
 * @param accessKeyId static credentials (with {@code secretAccessKey}); null for the SDK's credentials chain
 * @param secretAccessKey see {@code accessKeyId}
 * @param coalesceGap ranges of one batch read at most this many bytes apart are fetched by one request
 * @param maxCoalescedBytes a merged request is never longer than this
 * @param maxInFlight requests of one batch read (and parts of one upload) that run at once
 * @param maxAttempts attempts per request (the SDK's retries, and ours after a body cut short)
 * @param multipartThreshold files longer than this are uploaded in parts (one PUT holds at most 5 GiB)
 * @param partSize the size of each part of a multipart upload (at least 5 MiB)
 */
public record S3Options(URI endpoint, String region, boolean pathStyle, String accessKeyId, String secretAccessKey,
                        long coalesceGap, long maxCoalescedBytes, int maxInFlight, int maxAttempts,
                        long multipartThreshold, long partSize) {

  static final long MIN_PART = 5L << 20;

  public S3Options {
    if ((accessKeyId == null) != (secretAccessKey == null)) {
      throw new IllegalArgumentException("give both accessKeyId and secretAccessKey, or neither");
    }
    if (coalesceGap < 0) throw new IllegalArgumentException("coalesceGap < 0: " + coalesceGap);
    if (maxCoalescedBytes < 1 || maxCoalescedBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("maxCoalescedBytes out of range: " + maxCoalescedBytes);
    }
    if (maxInFlight < 1) throw new IllegalArgumentException("maxInFlight < 1: " + maxInFlight);
    if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts < 1: " + maxAttempts);
    if (partSize < MIN_PART || partSize > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("partSize must be between 5 MiB and 2 GiB: " + partSize);
    }
    if (multipartThreshold < partSize) throw new IllegalArgumentException("multipartThreshold below partSize");
  }

  /** AWS: the SDK's credentials and region chains; 64 KiB coalescing up to 8 MiB, 16 in flight, 4 attempts. */
  public static S3Options defaults() {
    return new S3Options(null, null, false, null, null, 64 << 10, 8 << 20, 16, 4, 64L << 20, 16L << 20);
  }

  /** An S3-compatible store at {@code endpoint}: path-style, region {@code us-east-1}. */
  public static S3Options forEndpoint(URI endpoint) {
    return defaults().withEndpoint(endpoint, true).withRegion("us-east-1");
  }

  public S3Options withEndpoint(URI endpoint, boolean pathStyle) {
    return new S3Options(endpoint, region, pathStyle, accessKeyId, secretAccessKey, coalesceGap, maxCoalescedBytes,
        maxInFlight, maxAttempts, multipartThreshold, partSize);
  }

  public S3Options withRegion(String region) {
    return new S3Options(endpoint, region, pathStyle, accessKeyId, secretAccessKey, coalesceGap, maxCoalescedBytes,
        maxInFlight, maxAttempts, multipartThreshold, partSize);
  }

  public S3Options withCredentials(String accessKeyId, String secretAccessKey) {
    return new S3Options(endpoint, region, pathStyle, accessKeyId, secretAccessKey, coalesceGap, maxCoalescedBytes,
        maxInFlight, maxAttempts, multipartThreshold, partSize);
  }

  public S3Options withCoalescing(long gap, long maxBytes) {
    return new S3Options(endpoint, region, pathStyle, accessKeyId, secretAccessKey, gap, maxBytes, maxInFlight,
        maxAttempts, multipartThreshold, partSize);
  }

  public S3Options withMaxInFlight(int n) {
    return new S3Options(endpoint, region, pathStyle, accessKeyId, secretAccessKey, coalesceGap, maxCoalescedBytes, n,
        maxAttempts, multipartThreshold, partSize);
  }

  public S3Options withMaxAttempts(int n) {
    return new S3Options(endpoint, region, pathStyle, accessKeyId, secretAccessKey, coalesceGap, maxCoalescedBytes,
        maxInFlight, n, multipartThreshold, partSize);
  }

  public S3Options withMultipart(long threshold, long partSize) {
    return new S3Options(endpoint, region, pathStyle, accessKeyId, secretAccessKey, coalesceGap, maxCoalescedBytes,
        maxInFlight, maxAttempts, threshold, partSize);
  }

  @Override
  public String toString() {
    // Credentials never reach a log line.
    return "S3Options[endpoint=" + endpoint + ", region=" + region + ", pathStyle=" + pathStyle + ", credentials="
        + (accessKeyId == null ? "SDK chain" : "static") + ", coalesceGap=" + coalesceGap + ", maxCoalescedBytes="
        + maxCoalescedBytes + ", maxInFlight=" + maxInFlight + ", maxAttempts=" + maxAttempts
        + ", multipartThreshold=" + multipartThreshold + ", partSize=" + partSize + "]";
  }
}
