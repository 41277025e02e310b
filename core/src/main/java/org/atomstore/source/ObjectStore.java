package org.atomstore.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A store of named blobs (DESIGN seam 2) over a local directory, HTTP (read-only) or S3: datasets, publishing,
 * array stores and sample shards use it and never ask which one they have. Names are relative, {@code /}
 * separated, never {@code ..} or absolute.
 *
 * <p>Writes are atomic: {@link #write} makes the blob visible under its name complete or not at all (a
 * temporary name renamed into place on a directory; a single PUT on S3).
 *
 * <p>Thread contract: safe for concurrent use.
 */
public interface ObjectStore extends AutoCloseable {

  /** The store's root as an address ({@code /path/dir}, {@code https://...}, {@code s3://bucket/prefix}). */
  String address();

  /** Every blob whose name starts with {@code prefix} ("" for all), sorted by name. */
  List<Entry> list(String prefix) throws IOException;

  /** The blob's size, or empty when there is none. */
  Optional<Long> size(String name) throws IOException;

  /** The blob's bytes, as a random-access source. */
  ByteSource open(String name) throws IOException;

  /** The blob's bytes from the start, as a stream. */
  InputStream read(String name) throws IOException;

  /** Writes {@code file}'s bytes as blob {@code name}, atomically. */
  void write(String name, Path file) throws IOException;

  /** Writes {@code bytes} as blob {@code name}, atomically. */
  void write(String name, byte[] bytes) throws IOException;

  /** Deletes the blob; no error when there is none. */
  void delete(String name) throws IOException;

  /** Whether {@link #write} and {@link #delete} are supported (HTTP stores are read-only). */
  boolean writable();

  @Override
  void close() throws IOException;

  /** One listed blob. */
  record Entry(String name, long size) {}
}
