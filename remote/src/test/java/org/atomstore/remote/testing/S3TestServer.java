package org.atomstore.remote.testing;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import org.atomstore.remote.S3Options;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An S3-compatible server in this process (s3proxy 4.1.0) on {@code 127.0.0.1} at an ephemeral port, over an
 * in-memory store or a directory, with signature-checked static credentials. For tests only.
 *
 * <pre>{@code
 * try (S3TestServer s3 = S3TestServer.start()) {
 *   s3.createBucket("data");
 *   try (S3ObjectStore store = S3ObjectStore.open(URI.create("s3://data/sets/omat"), s3.options())) { ... }
 * }
 * }</pre>
 *
 * <p>Thread contract: the server answers any number of requests at once; {@link #close()} stops it.
 */
public final class S3TestServer implements AutoCloseable {

  public static final String ACCESS_KEY = "atomstore-test";
  public static final String SECRET_KEY = "atomstore-test-secret";

  private final S3Proxy proxy;
  private final URI endpoint;
  private S3Client client;

  private S3TestServer(BlobStore store) throws Exception {
    proxy = S3Proxy.builder()
        .blobStore(store)
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        .build();
    proxy.start();
    for (int i = 0; i < 10_000 && !"STARTED".equals(proxy.getState()); i++) Thread.sleep(1);
    if (!"STARTED".equals(proxy.getState())) throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
    endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  /** A server over an in-memory store (gone when closed). */
  public static S3TestServer start() throws Exception {
    return new S3TestServer(new TransientNio2BlobStore());
  }

  /** A server over the directory {@code dir} (one subdirectory per bucket). */
  public static S3TestServer start(Path dir) throws Exception {
    return new S3TestServer(new FilesystemNio2BlobStore(Objects.requireNonNull(dir).toAbsolutePath().toString()));
  }

  /** {@code http://127.0.0.1:PORT}. */
  public URI endpoint() { return endpoint; }

  /** Options that reach this server: its endpoint, path-style, us-east-1, its credentials. */
  public S3Options options() {
    return S3Options.forEndpoint(endpoint).withCredentials(ACCESS_KEY, SECRET_KEY);
  }

  /** A client of this server (owned by the server: do not close it). */
  public synchronized S3Client client() {
    if (client == null) {
      client = S3Client.builder()
          .httpClient(UrlConnectionHttpClient.create())
          .endpointOverride(endpoint)
          .forcePathStyle(true)
          .region(Region.US_EAST_1)
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
          .build();
    }
    return client;
  }

  /** Creates a bucket. */
  public void createBucket(String bucket) {
    client().createBucket(b -> b.bucket(bucket));
  }

  @Override
  public synchronized void close() throws Exception {
    if (client != null) client.close();
    client = null;
    proxy.stop();
  }
}
