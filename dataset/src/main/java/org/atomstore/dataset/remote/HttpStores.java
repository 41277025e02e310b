package org.atomstore.dataset.remote;

import java.io.IOException;
import org.atomstore.source.ObjectStore;

/** Opens read-only {@code http(s)://} dataset stores. */
final class HttpStores {
  private HttpStores() {}

  static ObjectStore open(String address) throws IOException {
    throw new UnsupportedOperationException("http dataset stores are not wired yet: " + address);
  }
}
