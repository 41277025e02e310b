package org.atomstore.data;

import java.io.IOException;
import java.util.List;

/**
 * A blob table that can change, with asebytes' semantics (those of {@link MutableObjectTable}); a null or empty
 * row is a placeholder.
 */
public interface MutableBlobTable extends BlobTable {

  /** Replaces row {@code index} whole; past the end, placeholders are appended up to it first. */
  void set(long index, List<Field> row) throws IOException;

  /** Writes only the given fields of row {@code index}, adding new names to the schema. */
  void update(long index, List<Field> fields) throws IOException;

  /** Deletes row {@code index}; later rows move down by one. */
  void delete(long index) throws IOException;

  /** Deletes rows {@code [from, to)}. */
  void delete(long from, long to) throws IOException;

  /** Inserts a row before {@code index} ({@code size()} appends). */
  void insert(long index, List<Field> row) throws IOException;

  /** Appends rows in one transaction. */
  void extend(List<? extends List<Field>> rows) throws IOException;

  /** Appends {@code count} placeholder rows. */
  void reserve(long count) throws IOException;

  /** Removes every row. */
  void clear() throws IOException;
}
