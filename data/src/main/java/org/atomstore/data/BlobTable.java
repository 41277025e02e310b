package org.atomstore.data;

import java.io.IOException;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The blob tier (DESIGN seam 5): rows of raw byte values under byte-string field names, as asebytes' {@code BlobIO}
 * sees them. Field names are any bytes (not necessarily UTF-8: {@code \xff\x00bin-key} is a valid name). A row
 * comes back as its fields in the order of the table's {@link #keys()} schema; null is a placeholder row.
 *
 * <p>Thread contract: reads may run on several threads at once unless the implementation says otherwise;
 * {@link #close()} must not race with them.
 */
public interface BlobTable extends AutoCloseable {

  /** One field of a row: name and value bytes (compared by content). Not copied: do not change the arrays. */
  record Field(byte[] key, byte[] value) {
    public Field {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Field f && Arrays.equals(key, f.key) && Arrays.equals(value, f.value);
    }

    @Override
    public int hashCode() { return 31 * Arrays.hashCode(key) + Arrays.hashCode(value); }

    @Override
    public String toString() { return "Field[" + HexFormat.of().formatHex(key) + ", " + value.length + " bytes]"; }
  }

  /** What the table was opened from (a path or an address); named in errors. */
  String source();

  /** Number of rows, placeholders included. */
  long size() throws IOException;

  /** Row {@code index}; null for a placeholder row. */
  List<Field> get(long index) throws IOException;

  /** Row {@code index} with only those of {@code keys} it has, read without touching its other fields. */
  List<Field> get(long index, Collection<byte[]> keys) throws IOException;

  /** Every field name the table knows (every name ever written, sorted bytewise); a row may lack some. */
  List<byte[]> keys() throws IOException;

  @Override
  void close() throws IOException;
}
