package org.atomstore.dataset;

import java.nio.file.Path;
import org.atomstore.store.CorruptFileException;

/**
 * A shard path that would read outside the dataset directory: absolute, with a {@code ..} segment, or a
 * link whose target lies outside. {@link #file()} is the manifest (or the link) that named it.
 */
public final class UnsafeShardPathException extends CorruptFileException {
  private static final long serialVersionUID = 1L;
  private final String shardPath;

  public UnsafeShardPathException(Path file, String shardPath, String problem) {
    super(file, -1, "shard path '" + shardPath + "' " + problem);
    this.shardPath = shardPath;
  }

  /** For a shard path named by a manifest read by address (a URL, {@code s3://...}). */
  public UnsafeShardPathException(String source, String shardPath, String problem) {
    super(source, -1, "shard path '" + shardPath + "' " + problem);
    this.shardPath = shardPath;
  }

  public String shardPath() { return shardPath; }
}
