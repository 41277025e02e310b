package org.atomstore.arrays;

import org.atomstore.store.CorruptFileException;

/**
 * Corrupt, truncated or hostile content of an array store: names the store (its address, also {@link #source()}),
 * the key (a metadata file or a chunk, relative to the store root) and what was expected and found.
 */
public class CorruptStoreException extends CorruptFileException {
  private final String store;
  private final String key;

  public CorruptStoreException(String store, String key, String problem) {
    super(store, -1, problem + " at " + key);
    this.store = store;
    this.key = key;
  }

  public CorruptStoreException(String store, String key, String problem, Throwable cause) {
    super(store, -1, problem + " at " + key, cause);
    this.store = store;
    this.key = key;
  }

  /** The store's address. */
  public String store() { return store; }

  /** The key in the store (for example {@code traj/positions/0.0.0} or {@code traj/.zarray}). */
  public String key() { return key; }
}
