package org.atomstore.data.lmdb;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.atomstore.data.MutableObjectTable;
import org.atomstore.data.internal.AseFrameBuilder;
import org.atomstore.data.internal.MsgpackCodec;
import org.atomstore.data.internal.MsgpackFormatException;
import org.atomstore.io.ase.AseAtoms;
import org.atomstore.io.ase.PyValue;
import org.atomstore.model.NdArray;

/**
 * One group of an asebytes LMDB store as an object table: each field's value is one msgpack object with
 * msgpack-numpy's hooks ({@link MsgpackCodec}), field names are UTF-8. Reads give what asebytes' {@code ObjectIO}
 * gives (rows in schema order, null for placeholders); writes store what asebytes would, so asebytes reads them
 * back. A value or field name that does not decode is a {@link org.atomstore.store.CorruptFileException} naming
 * the store, group, row, sort key and field.
 *
 * <p>Thread contract: reads may run on any number of threads; writes are serialized; {@link #close()} must not
 * race with either. A read-only table throws {@link IllegalStateException} on writes.
 */
public final class LmdbObjectTable implements MutableObjectTable {

  private final LmdbGroup g;

  LmdbObjectTable(LmdbGroup g) { this.g = g; }

  @Override
  public String source() { return g.where(); }

  /** The group's name. */
  public String group() { return g.group(); }

  /** The group's LMDB environment directory. */
  public Path directory() { return g.dir(); }

  public boolean readOnly() { return g.readOnly(); }

  @Override
  public long size() { return g.size(); }

  @Override
  public Map<String, Object> get(long index) throws IOException {
    var row = new RowSink(index);
    return g.readRow(index, row) ? row.map : null;
  }

  /**
   * The structure of row {@code index} (null for a placeholder): what {@code AseFrames.toAtoms(get(index), index)}
   * gives, errors included, with the common float64, int64 and bool arrays decoded straight from the store into
   * ASE's arrays (no row map, no intermediate {@link org.atomstore.model.NdArray}).
   */
  public AseAtoms atoms(long index) throws IOException {
    var frame = new FrameSink(index);
    return g.readRow(index, frame) ? frame.frame.build() : null;
  }

  /**
   * Rows {@code indices} (null entries for placeholders), read in one LMDB read transaction: the way to read
   * batches.
   */
  public List<Map<String, Object>> get(long[] indices) throws IOException {
    RowSink[] sinks = new RowSink[indices.length];
    for (int k = 0; k < indices.length; k++) sinks[k] = new RowSink(indices[k]);
    boolean[] present = new boolean[indices.length];
    g.readRows(indices, k -> sinks[k], present);
    List<Map<String, Object>> out = new ArrayList<>(indices.length);
    for (int k = 0; k < indices.length; k++) out.add(present[k] ? sinks[k].map : null);
    return out;
  }

  @Override
  public Map<String, Object> get(long index, Collection<String> keys) throws IOException {
    // Only the asked fields are looked up; the row comes back in schema (bytewise) order like a whole row.
    List<byte[]> names = new ArrayList<>(keys.size());
    for (String k : keys) names.add(k.getBytes(StandardCharsets.UTF_8));
    names.sort(LmdbGroup.BYTEWISE);
    var row = new RowSink(index);
    g.readFields(index, names, row);
    return row.map;
  }

  /**
   * The values of field {@code key} for rows {@code indices}, in one read transaction; null where a row lacks the
   * field (as asebytes' {@code get_column}).
   */
  public List<Object> column(String key, long[] indices) throws IOException {
    Object[] out = new Object[indices.length];
    byte[] name = key.getBytes(StandardCharsets.UTF_8);
    g.readColumn(indices, name, k -> (n, v) -> out[k] = decode(indices[k], key, v));
    return Arrays.asList(out);
  }

  /** The values of field {@code key} for every row, in one read transaction. */
  public List<Object> column(String key) throws IOException {
    long n = size();
    long[] all = new long[(int) n];
    for (int i = 0; i < all.length; i++) all[i] = i;
    return column(key, all);
  }

  @Override
  public List<String> keys() throws IOException {
    List<String> out = new ArrayList<>();
    for (byte[] n : g.schema()) out.add(name(-1, n));
    return out;
  }

  /** The field names row {@code index} has (asebytes' {@code keys(i)}), in schema order; empty for a placeholder. */
  public List<String> keys(long index) throws IOException {
    List<String> out = new ArrayList<>();
    g.readRow(index, (n, v) -> out.add(name(index, n)));
    return out;
  }

  // ------------------------------------------------------------------ writes

  @Override
  public void set(long index, Map<String, Object> row) throws IOException {
    var enc = new Encoded(row);
    g.set(index, enc.names, enc.values);
  }

  @Override
  public void update(long index, Map<String, Object> fields) throws IOException {
    var enc = new Encoded(fields);
    g.update(index, enc.names, enc.values);
  }

  @Override
  public void delete(long index) throws IOException { g.delete(index, index + 1); }

  @Override
  public void delete(long from, long to) throws IOException { g.delete(from, to); }

  @Override
  public void insert(long index, Map<String, Object> row) throws IOException {
    var enc = new Encoded(row);
    g.insert(index, enc.names, enc.values);
  }

  @Override
  public void extend(List<? extends Map<String, Object>> rows) throws IOException {
    List<List<byte[]>> names = new ArrayList<>(rows.size());
    List<List<byte[]>> values = new ArrayList<>(rows.size());
    for (var r : rows) {
      var enc = new Encoded(r);
      names.add(enc.names);
      values.add(enc.values);
    }
    g.extend(names, values);
  }

  @Override
  public void dropKeys(Collection<String> keys) throws IOException {
    List<byte[]> names = new ArrayList<>();
    for (String k : keys) names.add(k.getBytes(StandardCharsets.UTF_8));
    g.dropFields(names);
  }

  @Override
  public void reserve(long count) throws IOException {
    if (count < 0) throw new IllegalArgumentException("negative count " + count);
    List<List<byte[]>> empty = java.util.Collections.nCopies((int) count, List.of());
    g.extend(empty, empty);
  }

  @Override
  public void clear() throws IOException { g.delete(0, g.size()); }

  @Override
  public void close() { g.close(); }

  // ------------------------------------------------------------------ codec glue

  private final class RowSink implements LmdbGroup.FieldSink {
    final long row;
    final Map<String, Object> map = new LinkedHashMap<>();

    RowSink(long row) { this.row = row; }

    @Override
    public void field(byte[] name, MemorySegment value) throws IOException {
      String key = name(row, name);
      map.put(key, decode(row, key, value));
    }

    @Override
    public void field(byte[] name, String text, MemorySegment value) throws IOException {
      String key = text != null ? text : name(row, name); // the schema's text, decoded once
      map.put(key, decode(row, key, value));
    }
  }

  /** Feeds a row's fields to an {@link AseFrameBuilder}, the common arrays decoded in place. */
  private final class FrameSink implements LmdbGroup.FieldSink {
    final long row;
    final AseFrameBuilder frame;

    FrameSink(long row) {
      this.row = row;
      this.frame = new AseFrameBuilder(row);
    }

    @Override
    public void field(byte[] name, MemorySegment value) throws IOException {
      field(name, null, value);
    }

    @Override
    public void field(byte[] name, String text, MemorySegment value) throws IOException {
      String key = text != null ? text : name(row, name);
      if (!typed(key, value)) frame.field(key, decode(row, key, value));
    }

    /** Hands the value over already converted when it is a plain float64/int64/bool array; false otherwise. */
    private boolean typed(String key, MemorySegment value) {
      boolean hot = switch (key) {
        case "arrays.numbers", "arrays.positions", "cell", "pbc" -> true;
        default -> key.startsWith("arrays.") || key.startsWith("calc.") || key.startsWith("info.");
      };
      if (!hot) return false;
      if (value.byteSize() <= 9 && (key.startsWith("calc.") || key.startsWith("info."))) return scalar(frame, key, value);
      MsgpackCodec.NdView v = MsgpackCodec.ndView(value);
      if (v == null) return false;
      String dt = v.dtype(); // one of MsgpackCodec's shared spellings
      int n = (int) (v.dataLength() / v.itemSize());
      switch (key) {
        case "arrays.numbers" -> {
          if (!dt.equals("<i8")) return false;
          frame.numbers(longs(value, v, n));
        }
        case "arrays.positions" -> {
          if (!dt.equals("<f8")) return false;
          frame.positions(doubles(value, v, n));
        }
        case "cell" -> {
          if (!dt.equals("<f8")) return false;
          frame.cell(doubles(value, v, n));
        }
        case "pbc" -> {
          if (!dt.equals("|b1")) return false;
          frame.pbc(bools(value, v, n));
        }
        default -> {
          int[] shape = new int[v.shape().length];
          for (int d = 0; d < shape.length; d++) shape[d] = (int) v.shape()[d];
          switch (dt) {
            case "<f8" -> frame.array(key, new PyValue.NdArray("float64", shape, doubles(value, v, n)));
            case "<i8" -> frame.array(key, new PyValue.NdArray("int64", shape, longs(value, v, n)));
            case "|b1" -> frame.array(key, new PyValue.NdArray("bool", shape, bools(value, v, n)));
            default -> { return false; }
          }
        }
      }
      return true;
    }
  }

  private static final ValueLayout.OfLong BE8 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

  /** A float 64 or a non-negative int of msgpack, handed over as ASE's float or int (as {@code py} makes them). */
  private static boolean scalar(AseFrameBuilder frame, String key, MemorySegment value) {
    long size = value.byteSize();
    if (size == 0) return false;
    int t = value.get(ValueLayout.JAVA_BYTE, 0) & 0xff;
    PyValue v;
    if (t == 0xcb && size == 9) v = new PyValue.PyFloat(Double.longBitsToDouble(value.get(BE8, 1)));
    else if (t <= 0x7f && size == 1) v = new PyValue.PyInt(t);
    else if (t == 0xcc && size == 2) v = new PyValue.PyInt(value.get(ValueLayout.JAVA_BYTE, 1) & 0xff);
    else if (t == 0xcd && size == 3) v = new PyValue.PyInt((value.get(ValueLayout.JAVA_BYTE, 1) & 0xff) << 8 | value.get(ValueLayout.JAVA_BYTE, 2) & 0xff);
    else return false;
    frame.value(key, v);
    return true;
  }

  private static final ValueLayout.OfDouble F8 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfLong I8 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private static double[] doubles(MemorySegment value, MsgpackCodec.NdView v, int n) {
    double[] out = new double[n];
    MemorySegment.copy(value, F8, v.dataOffset(), out, 0, n);
    return out;
  }

  private static long[] longs(MemorySegment value, MsgpackCodec.NdView v, int n) {
    long[] out = new long[n];
    MemorySegment.copy(value, I8, v.dataOffset(), out, 0, n);
    return out;
  }

  private static boolean[] bools(MemorySegment value, MsgpackCodec.NdView v, int n) {
    boolean[] out = new boolean[n];
    for (int k = 0; k < n; k++) out[k] = value.get(ValueLayout.JAVA_BYTE, v.dataOffset() + k) != 0;
    return out;
  }

  private Object decode(long row, String key, MemorySegment value) throws IOException {
    try {
      return MsgpackCodec.decode(value);
    } catch (MsgpackFormatException e) {
      throw g.corrupt(row, row >= 0 ? g.sortKey(row) : -1, key, e.getMessage(), e);
    }
  }

  private String name(long row, byte[] n) throws IOException {
    if (ascii(n)) return new String(n, StandardCharsets.ISO_8859_1); // field names are ASCII almost always
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(n)).toString();
    } catch (CharacterCodingException e) {
      throw g.corrupt(row, row >= 0 ? g.sortKey(row) : -1, java.util.HexFormat.of().formatHex(n),
          "field name is not UTF-8 (a BlobIO store? open it as blobs)", e);
    }
  }

  private static boolean ascii(byte[] n) {
    for (byte b : n) if (b < 0) return false;
    return true;
  }

  /** A row's names and msgpack values; null is a placeholder (no fields). */
  private static final class Encoded {
    final List<byte[]> names = new ArrayList<>();
    final List<byte[]> values = new ArrayList<>();

    Encoded(Map<String, Object> row) {
      if (row == null) return;
      for (var e : row.entrySet()) {
        names.add(e.getKey().getBytes(StandardCharsets.UTF_8));
        values.add(MsgpackCodec.encode(e.getValue()));
      }
    }
  }
}
