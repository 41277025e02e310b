package org.atomstore.samples;

import org.atomstore.store.CorruptFileException;

/**
 * A sample, shard, index or block file that cannot be decoded: names the shard (a path, URL or object name),
 * the sample key or tar member, the field where one applies, the byte offset when known, and the problem.
 */
public class CorruptSampleException extends CorruptFileException {
  private final String shard;
  private final String key;
  private final String field;

  public CorruptSampleException(String shard, String key, String field, long offset, String problem) {
    this(shard, key, field, offset, problem, null);
  }

  public CorruptSampleException(String shard, String key, String field, long offset, String problem, Throwable cause) {
    super(shard, offset, describe(key, field, problem), cause);
    this.shard = shard;
    this.key = key;
    this.field = field;
  }

  /** The shard, file or object the bad bytes came from, or null. */
  public String shard() { return shard; }

  /** The sample key or tar member name, or null. */
  public String key() { return key; }

  /** The field being decoded, or null. */
  public String field() { return field; }

  private static String describe(String key, String field, String problem) {
    if (key == null && field == null) return problem;
    return problem + ": " + (key == null ? "" : "member " + key) + (key != null && field != null ? ", " : "")
        + (field == null ? "" : "field " + field);
  }
}
