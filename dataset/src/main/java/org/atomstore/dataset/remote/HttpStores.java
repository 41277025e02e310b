package org.atomstore.dataset.remote;

import java.net.URI;
import org.atomstore.remote.HttpObjectStore;
import org.atomstore.source.ObjectStore;

/** Opens read-only {@code http(s)://HOST/.../dataset/} stores; HTTP cannot list, so a dataset there needs a manifest. */
final class HttpStores {
  private HttpStores() {}

  static ObjectStore open(String address) {
    return HttpObjectStore.open(URI.create(address.endsWith("/") ? address : address + "/"), Addresses.httpOptions());
  }
}
