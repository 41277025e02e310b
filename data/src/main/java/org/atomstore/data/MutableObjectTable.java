package org.atomstore.data;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * An object table that can change, with asebytes' semantics: indices shift on delete and insert, each backend's
 * internal sort keys do not; every call is one transaction where the backend has them. A null row is a
 * placeholder.
 */
public interface MutableObjectTable extends ObjectTable {

  /**
   * Replaces row {@code index} whole (keys the new row lacks are removed); {@code index == size()} or past it
   * first appends placeholders up to it.
   */
  void set(long index, Map<String, Object> row) throws IOException;

  /** Writes only the given fields of row {@code index}, adding new keys to the schema. */
  void update(long index, Map<String, Object> fields) throws IOException;

  /** Deletes row {@code index}; later rows move down by one. */
  void delete(long index) throws IOException;

  /** Deletes rows {@code [from, to)}. */
  void delete(long from, long to) throws IOException;

  /** Inserts a row before {@code index} ({@code size()} appends). */
  void insert(long index, Map<String, Object> row) throws IOException;

  /** Appends rows, in one transaction where the backend has them. */
  void extend(List<? extends Map<String, Object>> rows) throws IOException;

  /** Removes the keys from every row. */
  void dropKeys(Collection<String> keys) throws IOException;

  /** Appends {@code count} placeholder rows. */
  void reserve(long count) throws IOException;

  /** Removes every row. */
  void clear() throws IOException;
}
