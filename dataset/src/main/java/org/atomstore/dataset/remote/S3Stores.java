package org.atomstore.dataset.remote;

import java.net.URI;
import org.atomstore.remote.S3ObjectStore;
import org.atomstore.remote.S3Options;
import org.atomstore.source.ObjectStore;

/**
 * Opens {@code s3://BUCKET/PREFIX} stores: AWS itself, or the S3-compatible store that {@code AWS_ENDPOINT_URL_S3},
 * {@code AWS_ENDPOINT_URL} or the system property {@code atomstore.s3.endpoint} names (path-style); credentials
 * and region come from the AWS SDK's usual chains.
 */
final class S3Stores {
  private S3Stores() {}

  static ObjectStore open(String address) {
    String endpoint = Addresses.setting("atomstore.s3.endpoint", "AWS_ENDPOINT_URL_S3");
    if (endpoint == null) endpoint = Addresses.setting("atomstore.s3.endpoint", "AWS_ENDPOINT_URL");
    S3Options options = endpoint == null ? S3Options.defaults() : S3Options.forEndpoint(URI.create(endpoint));
    options = options.withCoalescing(Addresses.COALESCE_GAP, options.maxCoalescedBytes());
    return S3ObjectStore.open(URI.create(address.replaceAll("/+$", "")), options);
  }
}
