package org.atomstore.dataset.remote;

import java.io.IOException;
import java.util.Optional;

/** A store that knows some blobs' SHA-256 without reading them (the Hub lists an LFS file's as its {@code lfs.oid}). */
public interface Checksummed {
  /** The blob's SHA-256 as lower-case hex, when the store knows it. */
  Optional<String> sha256(String name) throws IOException;
}
