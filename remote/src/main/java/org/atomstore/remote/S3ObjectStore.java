package org.atomstore.remote;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.atomstore.remote.internal.RangeReads;
import org.atomstore.remote.internal.S3Clients;
import org.atomstore.source.ByteSource;
import org.atomstore.source.ObjectStore;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * An {@link ObjectStore} over an S3 bucket and key prefix ({@code s3://BUCKET/PREFIX}), through the AWS SDK v2:
 * blob {@code a/b.atp} is the object {@code PREFIX/a/b.atp}. A write is one PUT, or for files above
 * {@link S3Options#multipartThreshold()} a multipart upload (parts in parallel); either way the object appears
 * under its name whole when the PUT or the upload's completion succeeds, and not at all otherwise (a failed
 * upload is aborted). Listing pages through {@code ListObjectsV2}.
 *
 * <p>Thread contract: safe for concurrent use; the sources {@link #open} returns share this store's client and
 * must be closed before the store.
 */
public final class S3ObjectStore implements ObjectStore {

  private final S3Client client;
  private final String bucket;
  private final String prefix;
  private final S3Options options;
  private volatile boolean closed;

  private S3ObjectStore(S3Client client, String bucket, String prefix, S3Options options) {
    this.client = client;
    this.bucket = bucket;
    this.prefix = prefix;
    this.options = options;
  }

  /** The store at {@code s3://BUCKET/PREFIX} (the prefix may be empty; a trailing {@code /} is implied). */
  public static S3ObjectStore open(URI address, S3Options options) {
    Objects.requireNonNull(options, "options");
    S3ByteSource.S3Address a = S3ByteSource.S3Address.parse(address);
    String p = a.key();
    if (!p.isEmpty() && !p.endsWith("/")) p += "/";
    if (!p.isEmpty()) ObjectStore.checkName(p.substring(0, p.length() - 1));
    return new S3ObjectStore(S3Clients.create(options), a.bucket(), p, options);
  }

  @Override
  public String address() {
    return "s3://" + bucket + "/" + prefix;
  }

  private String key(String name) {
    ObjectStore.checkName(name);
    return prefix + name;
  }

  private String where(String key) {
    return "s3://" + bucket + "/" + key;
  }

  private void checkOpen() {
    if (closed) throw new IllegalStateException("closed: " + address());
  }

  @Override
  public List<Entry> list(String namePrefix) throws IOException {
    Objects.requireNonNull(namePrefix, "prefix");
    checkOpen();
    List<Entry> out = new ArrayList<>();
    try {
      for (S3Object o : client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix + namePrefix)).contents()) {
        String name = o.key().substring(prefix.length());
        // Keys that are not valid blob names (a "dir/" marker, "a//b") cannot be read through this interface.
        if (validName(name)) out.add(new Entry(name, o.size()));
      }
    } catch (SdkException e) {
      throw S3Clients.io("ListObjectsV2", where(prefix + namePrefix), e);
    }
    out.sort(Comparator.comparing(Entry::name));
    return out;
  }

  private static boolean validName(String name) {
    try {
      ObjectStore.checkName(name);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  @Override
  public Optional<Long> size(String name) throws IOException {
    String key = key(name);
    checkOpen();
    try {
      HeadObjectResponse h = client.headObject(b -> b.bucket(bucket).key(key));
      return Optional.of(h.contentLength());
    } catch (SdkException e) {
      if (S3Clients.notFound(e)) return Optional.empty();
      throw S3Clients.io("HeadObject", where(key), e);
    }
  }

  @Override
  public ByteSource open(String name) throws IOException {
    String key = key(name);
    checkOpen();
    return S3ByteSource.open(client, false, bucket, key, options);
  }

  @Override
  public InputStream read(String name) throws IOException {
    String key = key(name);
    checkOpen();
    try {
      return client.getObject(b -> b.bucket(bucket).key(key));
    } catch (SdkException e) {
      throw S3Clients.io("GetObject", where(key), e);
    }
  }

  @Override
  public void write(String name, byte[] bytes) throws IOException {
    Objects.requireNonNull(bytes, "bytes");
    String key = key(name);
    checkOpen();
    try {
      client.putObject(b -> b.bucket(bucket).key(key).contentLength((long) bytes.length), RequestBody.fromBytes(bytes));
    } catch (SdkException e) {
      throw S3Clients.io("PutObject", where(key), e);
    }
  }

  @Override
  public void write(String name, Path file) throws IOException {
    String key = key(name);
    checkOpen();
    long size;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      size = ch.size();
    }
    if (size <= options.multipartThreshold()) {
      try {
        client.putObject(b -> b.bucket(bucket).key(key).contentLength(size), RequestBody.fromFile(file));
      } catch (SdkException e) {
        throw S3Clients.io("PutObject", where(key), e);
      }
      return;
    }
    multipart(key, file, size);
  }

  private void multipart(String key, Path file, long size) throws IOException {
    String uploadId;
    try {
      uploadId = client.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
    } catch (SdkException e) {
      throw S3Clients.io("CreateMultipartUpload", where(key), e);
    }
    long partSize = Math.max(options.partSize(), (size + 9_999) / 10_000); // S3 allows 10,000 parts
    int parts = Math.toIntExact((size + partSize - 1) / partSize);
    CompletedPart[] done = new CompletedPart[parts];
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      // Each part is held in memory while it uploads: few at once.
      RangeReads.parallel(where(key), parts, Math.min(4, options.maxInFlight()), i -> {
        long off = i * partSize;
        int len = (int) Math.min(partSize, size - off);
        byte[] buf = new byte[len];
        ByteBuffer bb = ByteBuffer.wrap(buf);
        while (bb.hasRemaining()) {
          if (ch.read(bb, off + bb.position()) < 0) throw new IOException(file + " shrank while being uploaded");
        }
        int number = i + 1;
        try {
          String etag = client.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
              .contentLength((long) len), RequestBody.fromBytes(buf)).eTag();
          done[i] = CompletedPart.builder().partNumber(number).eTag(etag).build();
        } catch (SdkException e) {
          throw S3Clients.io("UploadPart " + number + " of", where(key), e);
        }
      });
      client.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
          .multipartUpload(m -> m.parts(done)));
    } catch (IOException | RuntimeException e) {
      abort(key, uploadId, e);
      if (e instanceof SdkException se) throw S3Clients.io("CompleteMultipartUpload", where(key), se);
      throw e;
    }
  }

  private void abort(String key, String uploadId, Exception cause) {
    try {
      client.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
    } catch (SdkException e) {
      cause.addSuppressed(e);
    }
  }

  @Override
  public void delete(String name) throws IOException {
    String key = key(name);
    checkOpen();
    try {
      client.deleteObject(b -> b.bucket(bucket).key(key));
    } catch (SdkException e) {
      if (S3Clients.notFound(e)) return;
      throw S3Clients.io("DeleteObject", where(key), e);
    }
  }

  @Override
  public boolean writable() { return true; }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    client.close();
  }

  @Override
  public String toString() { return "S3ObjectStore[" + address() + "]"; }
}
