package org.atomstore.data;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The object tier (DESIGN seam 5): rows as maps with asebytes' flat keys ({@code cell}, {@code pbc},
 * {@code constraints}, {@code arrays.*}, {@code info.*}, {@code calc.*}, or any key for plain object data).
 *
 * <p>Values are Java objects of these types only: null, {@link Boolean}, {@link Long}, {@link java.math.BigInteger}
 * (integers past {@code Long.MAX_VALUE}, up to 2^64 - 1), {@link Double}, {@link String}, {@code byte[]},
 * {@link List} (of these), {@link Map} with {@link String} keys (insertion-ordered, of these),
 * {@link org.atomstore.model.NdArray}, {@link NumpyScalar} and {@link Complex}. A row's keys come in the
 * order of the table's {@link #keys()} schema (asebytes returns them so).
 *
 * <p>Thread contract: reads may run on several threads at once unless the implementation says otherwise;
 * {@link #close()} must not race with them.
 */
public interface ObjectTable extends AutoCloseable {

  /** What the table was opened from (a path or an address); named in errors. */
  String source();

  /** Number of rows, placeholders included. */
  long size() throws IOException;

  /** Row {@code index}; null for a placeholder row. */
  Map<String, Object> get(long index) throws IOException;

  /** Row {@code index} with only those of {@code keys} it has, read without touching its other fields. */
  Map<String, Object> get(long index, Collection<String> keys) throws IOException;

  /**
   * Every field name the table knows (asebytes' schema: every name ever written, sorted bytewise); a row may
   * lack some.
   */
  List<String> keys() throws IOException;

  /**
   * The fields as the schema model (DESIGN seam 3): one per key, {@code arrays.*} per atom, typed by the values of
   * the first rows; asebytes' builtin keys ({@code arrays.positions}, {@code calc.energy}, ...) name their builtin.
   */
  default org.atomstore.table.TableSchema schema() throws IOException {
    return org.atomstore.data.internal.RowSchemas.of(this);
  }

  @Override
  void close() throws IOException;
}
