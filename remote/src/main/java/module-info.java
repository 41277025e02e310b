/**
 * Atomstore remote: bytes and objects where they live. HTTP(S) range reads ({@link org.atomstore.remote.HttpByteSource}),
 * S3 through the AWS SDK v2 ({@link org.atomstore.remote.S3ByteSource}, {@link org.atomstore.remote.S3ObjectStore}),
 * object stores over HTTP (read-only), and a read-through block cache on local disk.
 */
module org.atomstore.remote {
  requires transitive org.atomstore.core;
  requires java.net.http;
  requires software.amazon.awssdk.services.s3;
  requires software.amazon.awssdk.http.urlconnection;
  requires software.amazon.awssdk.auth;
  requires software.amazon.awssdk.regions;
  requires software.amazon.awssdk.core;
  requires software.amazon.awssdk.awscore;
  requires software.amazon.awssdk.http;
  requires software.amazon.awssdk.utils;
  requires software.amazon.awssdk.retries.api;

  exports org.atomstore.remote;
}
