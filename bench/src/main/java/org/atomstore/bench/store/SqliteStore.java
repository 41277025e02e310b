package org.atomstore.bench.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import org.atomstore.bench.BenchMolecule;
import org.atomstore.bench.BenchStore;
import org.atomstore.bench.DatasetSpec;
import org.atomstore.bench.MoleculeBatch;

/**
 * SQLite through sqlite-jdbc, laid out as ASE's database ({@code ase.db}, schema version 9) stores structures:
 * one row per molecule in the {@code systems} table with little-endian array blobs ({@code numbers},
 * {@code positions}, {@code forces}), {@code energy REAL}, {@code natoms}, a {@code unique_id} with its index,
 * and custom properties in the {@code data} blob. Differences from ASE, kept so every store holds the same
 * values: blobs keep the dataset's dtypes (float32 positions/forces, uint8 numbers; ASE would widen them to
 * float64/int32), and the {@code species}/{@code keys} side tables are not filled. One transaction per batch
 * with SQLite's default journal and synchronous settings.
 */
final class SqliteStore implements BenchStore {
  private static final String FILE = "molecules.db";
  private static final String CREATE = """
      CREATE TABLE systems (
        id INTEGER PRIMARY KEY AUTOINCREMENT, unique_id TEXT UNIQUE, ctime REAL, mtime REAL, username TEXT,
        numbers BLOB, positions BLOB, cell BLOB, pbc INTEGER, initial_magmoms BLOB, initial_charges BLOB,
        masses BLOB, tags BLOB, momenta BLOB, constraints TEXT, calculator TEXT, calculator_parameters TEXT,
        energy REAL, free_energy REAL, forces BLOB, stress BLOB, dipole BLOB, magmoms BLOB, magmom REAL,
        charges BLOB, key_value_pairs TEXT, data BLOB, natoms INTEGER, fmax REAL, smax REAL, volume REAL,
        mass REAL, charge REAL)""";
  private static final String INSERT = "INSERT INTO systems (id, unique_id, ctime, mtime, username, numbers,"
      + " positions, cell, pbc, energy, forces, key_value_pairs, data, natoms) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
  private static final String SELECT = "SELECT id, natoms, numbers, positions, energy, forces, data FROM systems";
  private static final byte[] ZERO_CELL = new byte[72];

  private final Path dir;
  private final Path file;
  private Connection writer;
  private PreparedStatement insert;
  private boolean closed;

  SqliteStore(Path dir, DatasetSpec spec) {
    this.dir = dir;
    this.file = dir.resolve(FILE);
  }

  @Override public String id() { return "sqlite"; }

  @Override
  public String description() { return "SQLite (sqlite-jdbc), ASE db layout: one row per molecule, blob columns"; }

  @Override
  public void write(MoleculeBatch b) throws IOException {
    try {
      if (writer == null) openWriter();
      HexFormat hex = HexFormat.of();
      double now = System.currentTimeMillis() / 1000.0;
      int a = b.atoms();
      for (int k = 0; k < b.count(); k++) {
        long id = b.firstId() + k;
        insert.setLong(1, id + 1); // ASE ids start at 1
        insert.setString(2, hex.toHexDigits(id * 0x9E3779B97F4A7C15L) + hex.toHexDigits(id));
        insert.setDouble(3, now);
        insert.setDouble(4, now);
        insert.setString(5, "atomstore");
        insert.setBytes(6, slice(b.atomicNumbers(), k * a, a));
        insert.setBytes(7, floats(b.positions(), k * a * 3, a * 3));
        insert.setBytes(8, ZERO_CELL);
        insert.setInt(9, 0);
        if (b.hasProps()) {
          insert.setDouble(10, b.energy()[k]);
          insert.setBytes(11, floats(b.forces(), k * a * 3, a * 3));
        } else {
          insert.setNull(10, java.sql.Types.REAL);
          insert.setNull(11, java.sql.Types.BLOB);
        }
        insert.setString(12, "{}");
        if (b.hasCustom()) {
          ByteBuffer data = ByteBuffer.allocate(PackedRecord.customSize(a));
          PackedRecord.encodeCustom(b, k, data);
          insert.setBytes(13, data.array());
        } else {
          insert.setNull(13, java.sql.Types.BLOB);
        }
        insert.setInt(14, a);
        insert.addBatch();
      }
      insert.executeBatch();
      writer.commit();
    } catch (SQLException e) {
      throw new IOException("sqlite write failed (" + file + "): " + e.getMessage(), e);
    }
  }

  private void openWriter() throws IOException, SQLException {
    if (closed) throw new IllegalStateException("store closed: " + id());
    Files.createDirectories(dir);
    writer = DriverManager.getConnection("jdbc:sqlite:" + file);
    try (Statement st = writer.createStatement()) {
      st.execute(CREATE);
      st.execute("CREATE INDEX unique_id_index ON systems(unique_id)");
    }
    writer.setAutoCommit(false);
    insert = writer.prepareStatement(INSERT);
  }

  private static byte[] slice(byte[] src, int from, int n) {
    byte[] out = new byte[n];
    System.arraycopy(src, from, out, 0, n);
    return out;
  }

  private static byte[] floats(float[] src, int from, int n) {
    ByteBuffer bb = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
    bb.asFloatBuffer().put(src, from, n);
    return bb.array();
  }

  @Override
  public void commit() throws IOException {
    try {
      if (writer != null) {
        writer.commit();
        insert.close();
        writer.close();
        writer = null;
      }
    } catch (SQLException e) {
      throw new IOException("sqlite commit failed (" + file + "): " + e.getMessage(), e);
    }
  }

  @Override
  public long sizeOnDisk() throws IOException { return Stores.directorySize(dir); }

  private Connection reader() throws SQLException {
    if (closed) throw new IllegalStateException("store closed: " + id());
    var props = new org.sqlite.SQLiteConfig();
    props.setReadOnly(true);
    return DriverManager.getConnection("jdbc:sqlite:" + file, props.toProperties());
  }

  @Override
  public void readSequential(MoleculeSink sink) throws IOException {
    try (Connection c = reader(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(SELECT + " ORDER BY id")) {
      while (rs.next()) sink.accept(rs.getLong(1) - 1, decode(rs));
    } catch (SQLException e) {
      throw new IOException("sqlite read failed (" + file + "): " + e.getMessage(), e);
    }
  }

  @Override
  public void readShuffled(long[] order, int from, int to, MoleculeSink sink) throws IOException {
    try (Connection c = reader(); PreparedStatement ps = c.prepareStatement(SELECT + " WHERE id=?")) {
      for (int p = from; p < to; p++) {
        ps.setLong(1, order[p] + 1);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) throw new IOException("sqlite has no molecule " + order[p] + " in " + file);
          sink.accept(order[p], decode(rs));
        }
      }
    } catch (SQLException e) {
      throw new IOException("sqlite read failed (" + file + "): " + e.getMessage(), e);
    }
  }

  @Override
  public double readEnergy(long[] order, int from, int to) throws IOException {
    double sum = 0;
    try (Connection c = reader(); PreparedStatement ps = c.prepareStatement("SELECT energy FROM systems WHERE id=?")) {
      for (int p = from; p < to; p++) {
        ps.setLong(1, order[p] + 1);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) throw new IOException("sqlite has no molecule " + order[p] + " in " + file);
          double e = rs.getDouble(1);
          sum += rs.wasNull() ? Double.NaN : e;
        }
      }
    } catch (SQLException e) {
      throw new IOException("sqlite read failed (" + file + "): " + e.getMessage(), e);
    }
    return sum;
  }

  private BenchMolecule decode(ResultSet rs) throws SQLException, IOException {
    int a = rs.getInt(2);
    byte[] z = rs.getBytes(3);
    byte[] posBytes = rs.getBytes(4);
    if (z == null || posBytes == null || z.length != a || posBytes.length != a * 12) {
      throw new IOException("sqlite row " + rs.getLong(1) + " has blobs that do not fit natoms=" + a + " (" + file + ")");
    }
    float[] pos = toFloats(posBytes);
    double energy = rs.getDouble(5);
    if (rs.wasNull()) energy = Double.NaN;
    byte[] forceBytes = rs.getBytes(6);
    float[] forces = forceBytes == null ? null : toFloats(forceBytes);
    byte[] data = rs.getBytes(7);
    BenchMolecule.CustomProps custom = data == null ? null : PackedRecord.decodeCustom(ByteBuffer.wrap(data), a);
    return new BenchMolecule(pos, z, energy, forces, custom);
  }

  private static float[] toFloats(byte[] bytes) {
    float[] out = new float[bytes.length / 4];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    return out;
  }

  @Override
  public void close() throws IOException {
    if (closed) return;
    closed = true;
    try {
      if (writer != null) writer.close();
    } catch (SQLException e) {
      throw new IOException("sqlite close failed (" + file + "): " + e.getMessage(), e);
    }
  }
}
