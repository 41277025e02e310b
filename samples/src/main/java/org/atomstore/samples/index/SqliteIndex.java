package org.atomstore.samples.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.atomstore.samples.CorruptSampleException;
import org.atomstore.samples.internal.MsgpackValues;

/**
 * A {@link DatasetIndex} in a local SQLite file with the tables of atdata's {@code SqliteProvider}
 * ({@code dataset_entries}: cid, name, schema_ref, data_urls as msgpack, metadata as msgpack, legacy_uuid;
 * {@code schemas}: name, version, schema_json), so atdata and Atomstore can share one index file.
 *
 * <p>Methods are synchronized: one connection, safe to share between threads.
 */
public final class SqliteIndex implements DatasetIndex {
  private static final String CREATE = """
      CREATE TABLE IF NOT EXISTS dataset_entries (
          cid         TEXT PRIMARY KEY,
          name        TEXT NOT NULL,
          schema_ref  TEXT NOT NULL,
          data_urls   BLOB NOT NULL,
          metadata    BLOB,
          legacy_uuid TEXT,
          created_at  TEXT DEFAULT (datetime('now'))
      );
      CREATE INDEX IF NOT EXISTS idx_entries_name ON dataset_entries(name);
      CREATE TABLE IF NOT EXISTS schemas (
          name        TEXT NOT NULL,
          version     TEXT NOT NULL,
          schema_json TEXT NOT NULL,
          created_at  TEXT DEFAULT (datetime('now')),
          PRIMARY KEY (name, version)
      );
      """;

  private final Path path;
  private final Connection conn;
  private boolean closed;

  private SqliteIndex(Path path, Connection conn) {
    this.path = path;
    this.conn = conn;
  }

  /** Opens (creating when absent) the index file at {@code path}. */
  public static SqliteIndex open(Path path) throws IOException {
    try {
      Path parent = path.toAbsolutePath().getParent();
      if (parent != null) Files.createDirectories(parent);
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + path.toAbsolutePath());
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        for (String sql : CREATE.split(";")) if (!sql.isBlank()) s.execute(sql);
      } catch (SQLException e) {
        c.close();
        throw e;
      }
      return new SqliteIndex(path, c);
    } catch (SQLException e) {
      throw new IOException("cannot open SQLite index " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized String insert(DatasetEntry e) throws IOException {
    check();
    String cid = e.cid();
    try (PreparedStatement ps = conn.prepareStatement("INSERT OR REPLACE INTO dataset_entries "
        + "(cid, name, schema_ref, data_urls, metadata, legacy_uuid) VALUES (?, ?, ?, ?, ?, NULL)")) {
      ps.setString(1, cid);
      ps.setString(2, e.name());
      ps.setString(3, e.schemaRef());
      ps.setBytes(4, MsgpackValues.pack(e.dataUrls()));
      ps.setBytes(5, e.metadata() == null ? null : MsgpackValues.pack(e.metadata()));
      ps.executeUpdate();
      return cid;
    } catch (SQLException x) {
      throw io(x);
    }
  }

  @Override
  public synchronized Optional<DatasetEntry> entryByCid(String cid) throws IOException {
    List<DatasetEntry> l = query("WHERE cid = ?", cid);
    return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
  }

  @Override
  public synchronized Optional<DatasetEntry> entryByName(String name) throws IOException {
    List<DatasetEntry> l = query("WHERE name = ? LIMIT 1", name);
    return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
  }

  @Override
  public synchronized List<DatasetEntry> entries() throws IOException {
    return query("", null);
  }

  private List<DatasetEntry> query(String where, String arg) throws IOException {
    check();
    try (PreparedStatement ps = conn.prepareStatement(
        "SELECT cid, name, schema_ref, data_urls, metadata FROM dataset_entries " + where)) {
      if (arg != null) ps.setString(1, arg);
      var out = new ArrayList<DatasetEntry>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String cid = rs.getString(1);
          out.add(Entries.entry(path.toString(), cid, rs.getString(2), rs.getString(3), rs.getBytes(4), rs.getBytes(5)));
        }
      }
      return out;
    } catch (SQLException x) {
      throw io(x);
    }
  }

  @Override
  public synchronized void putSchema(String name, String version, String schemaJson) throws IOException {
    check();
    try (PreparedStatement ps = conn.prepareStatement("INSERT OR REPLACE INTO schemas (name, version, schema_json) VALUES (?, ?, ?)")) {
      ps.setString(1, name);
      ps.setString(2, version);
      ps.setString(3, schemaJson);
      ps.executeUpdate();
    } catch (SQLException x) {
      throw io(x);
    }
  }

  @Override
  public synchronized Optional<String> schemaJson(String name, String version) throws IOException {
    check();
    try (PreparedStatement ps = conn.prepareStatement("SELECT schema_json FROM schemas WHERE name = ? AND version = ?")) {
      ps.setString(1, name);
      ps.setString(2, version);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    } catch (SQLException x) {
      throw io(x);
    }
  }

  @Override
  public synchronized List<String> schemaIds() throws IOException {
    check();
    try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT name, version FROM schemas ORDER BY name, version")) {
      var out = new ArrayList<String>();
      while (rs.next()) out.add(rs.getString(1) + "@" + rs.getString(2));
      return out;
    } catch (SQLException x) {
      throw io(x);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (closed) return;
    closed = true;
    try {
      conn.close();
    } catch (SQLException x) {
      throw io(x);
    }
  }

  private void check() {
    if (closed) throw new IllegalStateException("index closed: " + path);
  }

  private IOException io(SQLException x) {
    return new IOException("SQLite index " + path + ": " + x.getMessage(), x);
  }

  /** Decoding of stored entries, shared with {@link RedisIndex}. */
  static final class Entries {
    private Entries() {}

    @SuppressWarnings("unchecked")
    static DatasetEntry entry(String where, String cid, String name, String schemaRef, byte[] urls, byte[] metadata)
        throws CorruptSampleException {
      if (name == null || schemaRef == null || urls == null) {
        throw new CorruptSampleException(where, cid, null, -1, "index entry lacks name, schema_ref or data_urls");
      }
      Object u;
      Object m = null;
      try {
        u = MsgpackValues.unpack(urls);
        if (metadata != null) m = MsgpackValues.unpack(metadata);
      } catch (IllegalArgumentException x) {
        throw new CorruptSampleException(where, cid, urls == null ? "data_urls" : "metadata", -1, x.getMessage(), x);
      }
      if (!(u instanceof List<?> l) || !l.stream().allMatch(String.class::isInstance)) {
        throw new CorruptSampleException(where, cid, "data_urls", -1, "data_urls is not a list of strings");
      }
      if (m != null && !(m instanceof Map<?, ?>)) {
        throw new CorruptSampleException(where, cid, "metadata", -1, "metadata is not a map");
      }
      return new DatasetEntry(name, schemaRef, (List<String>) l, (Map<String, Object>) m);
    }
  }
}
