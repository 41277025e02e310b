package org.atomstore.remote;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.atomstore.remote.internal.RangeReads;
import org.atomstore.remote.internal.S3Clients;
import org.atomstore.source.ByteSource;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * An S3 object as a {@link ByteSource} ({@code s3://BUCKET/KEY}), read with ranged GETs through the AWS SDK v2.
 * Opening is one HEAD (size and ETag); every later GET carries {@code If-Match} with that ETag, so an object
 * replaced meanwhile fails the read instead of mixing two versions. A batch read merges nearby ranges and keeps
 * several GETs in flight ({@link S3Options}). The SDK retries throttling, 5xx answers and connection failures; a
 * body cut short is resumed after the bytes received. Errors name the object, the range and the problem.
 *
 * <p>Thread contract: reads may run on any number of threads at once; {@link #close()} (which closes the client
 * when this source made it) must not race with reads.
 */
public final class S3ByteSource implements ByteSource {

  private static final int BUFFER = 64 << 10;

  private final S3Client client;
  private final boolean ownsClient;
  private final String bucket;
  private final String key;
  private final String name;
  private final S3Options options;
  private final long size;
  private final String etag;
  private final LongAdder requests = new LongAdder();
  private final LongAdder bytesReceived = new LongAdder();
  private volatile boolean closed;

  private S3ByteSource(S3Client client, boolean ownsClient, String bucket, String key, S3Options options, long size,
                       String etag) {
    this.client = client;
    this.ownsClient = ownsClient;
    this.bucket = bucket;
    this.key = key;
    this.name = "s3://" + bucket + "/" + key;
    this.options = options;
    this.size = size;
    this.etag = etag;
  }

  /**
   * Opens {@code s3://BUCKET/KEY}.
   *
   * @throws java.io.FileNotFoundException naming the object when there is none
   */
  public static S3ByteSource open(URI address, S3Options options) throws IOException {
    S3Address a = S3Address.parse(address);
    if (a.key().isEmpty() || a.key().endsWith("/")) throw new IllegalArgumentException("not an object address: " + address);
    S3Client client = S3Clients.create(options);
    try {
      return open(client, true, a.bucket(), a.key(), options);
    } catch (IOException | RuntimeException e) {
      client.close();
      throw e;
    }
  }

  /** Opens an object through a client owned by the caller (an {@link S3ObjectStore}) unless {@code ownsClient}. */
  static S3ByteSource open(S3Client client, boolean ownsClient, String bucket, String key, S3Options options)
      throws IOException {
    Objects.requireNonNull(options, "options");
    HeadObjectResponse head;
    try {
      head = client.headObject(b -> b.bucket(bucket).key(key));
    } catch (SdkException e) {
      throw S3Clients.io("HeadObject", "s3://" + bucket + "/" + key, e);
    }
    S3ByteSource s = new S3ByteSource(client, ownsClient, bucket, key, options, head.contentLength(), head.eTag());
    s.requests.increment();
    return s;
  }

  @Override
  public String name() { return name; }

  @Override
  public long size() { return size; }

  @Override
  public Optional<String> version() { return Optional.ofNullable(etag); }

  /** GET and HEAD requests sent so far (the SDK's own retries not counted). */
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

  private void fetch(long offset, MemorySegment dst) throws IOException {
    long len = dst.byteSize();
    long done = 0;
    int failures = 0;
    while (done < len) {
      long start = offset + done;
      long end = offset + len - 1;
      String range = "bytes=" + start + "-" + end;
      ResponseInputStream<GetObjectResponse> in;
      try {
        requests.increment();
        in = client.getObject(b -> {
          b.bucket(bucket).key(key).range(range);
          if (etag != null) b.ifMatch(etag);
        });
      } catch (SdkException e) {
        if (e instanceof SdkServiceException se && se.statusCode() == 412) {
          throw new IOException(where(offset, len) + ": the object changed since it was opened (ETag " + etag + ")", e);
        }
        throw S3Clients.io("GetObject", where(offset, len), e);
      }
      long got;
      String problem;
      try (in) {
        checkContentRange(in.response(), start, end, offset, len);
        long[] result = {0};
        problem = copyBody(in, dst.asSlice(done), end - start + 1, result);
        got = result[0];
      }
      done += got;
      if (done == len) return;
      if (got > 0) failures = 0;
      if (++failures >= options.maxAttempts()) {
        throw new IOException(where(offset, len) + ": gave up after " + failures + " attempts: " + problem);
      }
    }
  }

  private void checkContentRange(GetObjectResponse r, long start, long end, long offset, long len) throws IOException {
    String cr = r.contentRange();
    if (cr == null) {
      // A store that ignored the range sent the whole object: right only when that is what was asked for.
      if (start == 0 && end == size - 1 && r.contentLength() != null && r.contentLength() == size) return;
      throw new IOException(where(offset, len) + ": the store ignored the Range request (no Content-Range)");
    }
    String want = "bytes " + start + "-" + end + "/" + size;
    if (!cr.trim().equals(want)) {
      throw new IOException(where(offset, len) + ": the store answered '" + cr + "' to a request for '" + want + "'");
    }
  }

  /** Copies up to {@code expected} bytes; the count goes to {@code got[0]}; the problem when short, else null. */
  private String copyBody(InputStream in, MemorySegment dst, long expected, long[] got) {
    byte[] buf = new byte[(int) Math.min(BUFFER, expected)];
    long done = 0;
    String problem = null;
    try {
      while (done < expected) {
        int r = in.read(buf, 0, (int) Math.min(buf.length, expected - done));
        if (r < 0) {
          problem = "short body: the connection ended after " + done + " of " + expected + " bytes";
          break;
        }
        MemorySegment.copy(MemorySegment.ofArray(buf), 0, dst, done, r);
        done += r;
      }
    } catch (IOException | SdkException e) {
      problem = "connection failed after " + done + " of " + expected + " bytes: " + e;
    }
    bytesReceived.add(done);
    got[0] = done;
    return problem;
  }

  private String where(long offset, long len) {
    return name + " bytes " + offset + "-" + (offset + len - 1) + " (" + len + " bytes at offset " + offset + ")";
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    if (ownsClient) client.close();
  }

  @Override
  public String toString() { return "S3ByteSource[" + name + ", " + size + " bytes]"; }

  /** {@code s3://BUCKET/KEY-OR-PREFIX}, parsed. */
  record S3Address(String bucket, String key) {
    static S3Address parse(URI u) {
      Objects.requireNonNull(u, "address");
      if (!"s3".equalsIgnoreCase(u.getScheme())) throw new IllegalArgumentException("not an s3:// address: " + u);
      String bucket = u.getAuthority();
      if (bucket == null || bucket.isEmpty()) throw new IllegalArgumentException("no bucket in " + u);
      if (u.getQuery() != null || u.getFragment() != null) throw new IllegalArgumentException("query or fragment in " + u);
      String path = u.getPath() == null ? "" : u.getPath();
      return new S3Address(bucket, path.startsWith("/") ? path.substring(1) : path);
    }
  }

}
