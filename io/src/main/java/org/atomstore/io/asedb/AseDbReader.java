package org.atomstore.io.asedb;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Properties;
import org.atomstore.io.ase.PyValue;
import org.atomstore.io.ase.PyValue.NdArray;
import org.atomstore.io.asedb.internal.AseJsonDecoder;

/**
 * Reads an ASE SQLite database ({@code ase.db}, schema version 9 as ASE 3.22 writes it) through sqlite-jdbc,
 * read-only, decoding each row of the {@code systems} table as ASE does: int32 {@code numbers}/{@code tags}
 * blobs, float64 blobs, the {@code pbc} bitmask, JSON text columns and the binary {@code data} blob.
 *
 * <p>A reader belongs to one thread; {@link #close()} is idempotent.
 */
public final class AseDbReader implements AutoCloseable {

  private static final String[] COLUMNS = {"id", "unique_id", "ctime", "mtime", "username", "numbers", "positions",
      "cell", "pbc", "initial_magmoms", "initial_charges", "masses", "tags", "momenta", "constraints", "calculator",
      "calculator_parameters", "energy", "free_energy", "forces", "stress", "dipole", "magmoms", "magmom", "charges",
      "key_value_pairs", "data", "fmax", "smax", "volume", "mass", "charge"};

  private final Path file;
  private final Connection connection;
  private boolean closed;

  private AseDbReader(Path file, Connection connection) {
    this.file = file;
    this.connection = connection;
  }

  public static AseDbReader open(Path file) throws IOException {
    if (!Files.isRegularFile(file)) throw new java.nio.file.NoSuchFileException(file.toString());
    byte[] head = new byte[16];
    try (var in = Files.newInputStream(file)) {
      if (in.readNBytes(head, 0, 16) < 16 || !new String(head, 0, 15, java.nio.charset.StandardCharsets.US_ASCII)
          .equals("SQLite format 3")) {
        throw new AseDbException(file, 0, "not an SQLite database (no 'SQLite format 3' header)");
      }
    }
    var props = new Properties();
    props.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY
    try {
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), props);
      try (Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type='table' AND name='systems'")) {
        if (!rs.next()) {
          c.close();
          throw new AseDbException(file, 0, "no 'systems' table: not an ASE database");
        }
      }
      return new AseDbReader(file, c);
    } catch (SQLException e) {
      throw new AseDbException(file, 0, "cannot open SQLite database: " + e.getMessage(), e);
    }
  }

  public Path file() { return file; }

  /** The {@code metadata} of the {@code information} table, decoded; an empty dict when there is none. */
  public PyValue metadata() throws IOException {
    ensureOpen();
    try (Statement s = connection.createStatement();
         ResultSet rs = s.executeQuery("SELECT value FROM information WHERE name='metadata'")) {
      if (rs.next()) return AseJsonDecoder.decodeText(rs.getString(1));
      return new PyValue.PyDict(new LinkedHashMap<>());
    } catch (SQLException e) {
      return new PyValue.PyDict(new LinkedHashMap<>());
    } catch (IllegalArgumentException e) {
      throw new AseDbException(file, 0, "metadata: " + e.getMessage(), e);
    }
  }

  public long count() throws IOException {
    ensureOpen();
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM systems")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new AseDbException(file, 0, e.getMessage(), e);
    }
  }

  /** All rows in id order (as {@code db.select()}). */
  public List<AseRow> rows() throws IOException {
    var out = new ArrayList<AseRow>();
    forEach(out::add);
    return out;
  }

  /** Callback for {@link #forEach}. */
  public interface RowConsumer {
    void accept(AseRow row) throws IOException;
  }

  /** Streams the rows in id order without holding them all. */
  public void forEach(RowConsumer consumer) throws IOException {
    ensureOpen();
    try (Statement s = connection.createStatement();
         ResultSet rs = s.executeQuery("SELECT " + String.join(", ", COLUMNS) + " FROM systems ORDER BY id")) {
      while (rs.next()) consumer.accept(decode(rs));
    } catch (SQLException e) {
      throw new AseDbException(file, 0, e.getMessage(), e);
    }
  }

  /** The ids of the rows in id order ({@code db.select()} order); the count is checked before the array is made. */
  public long[] ids() throws IOException {
    long n = count();
    if (n > Integer.MAX_VALUE - 16) throw new AseDbException(file, 0, "too many rows for one reader: " + n);
    long[] out = new long[(int) n];
    int k = 0;
    ensureOpen();
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM systems ORDER BY id")) {
      while (rs.next() && k < out.length) out[k++] = rs.getLong(1);
    } catch (SQLException e) {
      throw new AseDbException(file, 0, e.getMessage(), e);
    }
    return k == out.length ? out : java.util.Arrays.copyOf(out, k);
  }

  /** The row with id {@code id}; an {@link AseDbException} when there is none. */
  public AseRow row(long id) throws IOException {
    ensureOpen();
    try (var ps = connection.prepareStatement("SELECT " + String.join(", ", COLUMNS) + " FROM systems WHERE id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) throw new AseDbException(file, id, "no such row");
        return decode(rs);
      }
    } catch (SQLException e) {
      throw new AseDbException(file, id, e.getMessage(), e);
    }
  }

  private AseRow decode(ResultSet rs) throws SQLException, IOException {
    long id = rs.getLong("id");
    try {
      long[] numbers = ints(rs.getBytes("numbers"), id, "numbers");
      int n = numbers.length;
      double[] positions = doubles(rs.getBytes("positions"), id, "positions", n * 3L);
      double[] cell = doubles(rs.getBytes("cell"), id, "cell", 9);
      boolean[] pbc = new boolean[3];
      long mask = rs.getLong("pbc");
      if (!rs.wasNull()) pbc = new boolean[] {(mask & 1) != 0, (mask & 2) != 0, (mask & 4) != 0};
      var arrays = new LinkedHashMap<String, NdArray>();
      floatArray(rs, "initial_magmoms", arrays, id, null);
      floatArray(rs, "initial_charges", arrays, id, new int[] {n});
      floatArray(rs, "masses", arrays, id, new int[] {n});
      byte[] tags = rs.getBytes("tags");
      if (tags != null) {
        long[] t = ints(tags, id, "tags");
        arrays.put("tags", NdArray.int32(new int[] {t.length}, t));
      }
      floatArray(rs, "momenta", arrays, id, new int[] {n, 3});
      String cons = rs.getString("constraints");
      List<PyValue> constraints = cons == null ? List.of() : AseRow.constraintList(AseJsonDecoder.decodeText(cons));
      String calculator = rs.getString("calculator");
      String params = rs.getString("calculator_parameters");
      PyValue calcParams = params == null ? null : AseJsonDecoder.decodeText(params);
      var results = new LinkedHashMap<String, PyValue>();
      real(rs, "energy", results);
      real(rs, "free_energy", results);
      blobResult(rs, "forces", results, id, new int[] {n, 3});
      blobResult(rs, "stress", results, id, null);
      blobResult(rs, "dipole", results, id, null);
      blobResult(rs, "magmoms", results, id, null);
      real(rs, "magmom", results);
      blobResult(rs, "charges", results, id, null);
      String kvpText = rs.getString("key_value_pairs");
      var kvp = new LinkedHashMap<String, PyValue>();
      if (kvpText != null && !kvpText.equals("{}")) {
        if (AseJsonDecoder.decodeText(kvpText) instanceof PyValue.PyDict d) kvp.putAll(d.entries());
      }
      PyValue data = decodeData(rs.getObject("data"));
      var derived = new LinkedHashMap<String, PyValue>();
      for (String k : new String[] {"fmax", "smax", "volume", "mass", "charge"}) {
        double v = rs.getDouble(k);
        derived.put(k, rs.wasNull() ? PyValue.PyNone.INSTANCE : new PyValue.PyFloat(v));
      }
      return new AseRow(id, rs.getString("unique_id"), rs.getDouble("ctime"), rs.getDouble("mtime"),
          rs.getString("username"), numbers, positions, cell, pbc, arrays, constraints, calculator, calcParams,
          results, kvp, data, derived);
    } catch (IllegalArgumentException | ClassCastException | IndexOutOfBoundsException e) {
      throw new AseDbException(file, id, e.getMessage(), e);
    }
  }

  private PyValue decodeData(Object raw) {
    return switch (raw) {
      case null -> new PyValue.PyDict(new LinkedHashMap<>());
      case String s when s.equals("null") -> new PyValue.PyDict(new LinkedHashMap<>());
      case String s -> AseJsonDecoder.decodeText(s);
      case byte[] b -> AseJsonDecoder.decodeBytes(b);
      default -> throw new IllegalArgumentException("data column of unexpected type " + raw.getClass().getSimpleName());
    };
  }

  private static void real(ResultSet rs, String col, LinkedHashMap<String, PyValue> out) throws SQLException {
    double v = rs.getDouble(col);
    if (!rs.wasNull()) out.put(col, new PyValue.PyFloat(v));
  }

  private void floatArray(ResultSet rs, String col, LinkedHashMap<String, NdArray> out, long id, int[] shape)
      throws SQLException, IOException {
    NdArray a = floatBlob(rs, col, id, shape);
    if (a != null) out.put(col, a);
  }

  private void blobResult(ResultSet rs, String col, LinkedHashMap<String, PyValue> out, long id, int[] shape)
      throws SQLException, IOException {
    NdArray a = floatBlob(rs, col, id, shape);
    if (a != null) out.put(col, a);
  }

  /** A float64 blob column as an array of the given shape (flat when the shape does not fit), or null. */
  private NdArray floatBlob(ResultSet rs, String col, long id, int[] shape) throws SQLException, IOException {
    byte[] b = rs.getBytes(col);
    if (b == null) return null;
    double[] d = doubles(b, id, col, -1);
    int[] s = shape == null || product(shape) != d.length ? new int[] {d.length} : shape;
    return NdArray.float64(s, d);
  }

  private static int product(int[] s) {
    int p = 1;
    for (int x : s) p *= x;
    return p;
  }

  private long[] ints(byte[] b, long id, String col) throws IOException {
    if (b == null) return new long[0];
    if (b.length % 4 != 0) throw new AseDbException(file, id, col + " blob of " + b.length + " bytes is not int32s");
    var bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    long[] out = new long[b.length / 4];
    for (int i = 0; i < out.length; i++) out[i] = bb.getInt();
    return out;
  }

  private double[] doubles(byte[] b, long id, String col, long expected) throws IOException {
    if (b == null) b = new byte[0];
    if (b.length % 8 != 0) throw new AseDbException(file, id, col + " blob of " + b.length + " bytes is not float64s");
    if (expected >= 0 && b.length / 8 != expected) {
      throw new AseDbException(file, id, col + " has " + b.length / 8 + " values, expected " + expected);
    }
    double[] out = new double[b.length / 8];
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(out);
    return out;
  }

  private void ensureOpen() {
    if (closed) throw new IllegalStateException("AseDbReader is closed: " + file);
  }

  @Override
  public void close() throws IOException {
    if (closed) return;
    closed = true;
    try {
      connection.close();
    } catch (SQLException e) {
      throw new IOException("closing " + file + ": " + e.getMessage(), e);
    }
  }
}
