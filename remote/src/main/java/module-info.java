/**
 * Atomstore remote: bytes and objects where they live. HTTP(S) range reads ({@link org.atomstore.remote.HttpByteSource}),
 * S3 through the AWS SDK v2, a read-through block cache on local disk, and object stores over HTTP (read-only) and S3.
 */
module org.atomstore.remote {
  requires transitive org.atomstore.core;
  requires java.net.http;

  exports org.atomstore.remote;
}
