package org.atomstore.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
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

  /**
   * Whether {@link #list} works: HTTP has no listing, so an HTTP store lists only when it was given a listing
   * (such as a dataset manifest's) and otherwise throws {@link UnsupportedOperationException}.
   */
  default boolean listable() {
    return true;
  }

  @Override
  void close() throws IOException;

  /**
   * Checks that {@code name} is a relative, {@code /}-separated blob name that stays inside a store: no empty,
   * {@code .} or {@code ..} segment, no leading {@code /}, no backslash or NUL.
   *
   * @throws IllegalArgumentException naming the problem otherwise
   */
  static String checkName(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) throw new IllegalArgumentException("empty blob name");
    if (name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0) throw new IllegalArgumentException("blob name has a backslash or NUL: " + name);
    for (String seg : name.split("/", -1)) {
      if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) {
        throw new IllegalArgumentException("blob name must be relative with no empty, '.' or '..' segment: " + name);
      }
    }
    return name;
  }

  /** One listed blob. */
  record Entry(String name, long size) {}
}
