package org.atomstore.samples.index;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * A {@link DatasetIndex} in Redis with the keys of atdata's {@code RedisProvider}: hash {@code
 * LocalDatasetEntry:{cid}} (name, schema_ref, data_urls as msgpack, cid, optional metadata as msgpack) and string
 * {@code LocalSchema:{name}@{version}} (the schema JSON), so an atdata team index and Atomstore share one server.
 *
 * <p>Safe to share between threads (a pooled client).
 */
public final class RedisIndex implements DatasetIndex {
  private static final String ENTRY = "LocalDatasetEntry:";
  private static final String SCHEMA = "LocalSchema:";

  private final RedisClient redis;
  private final String where;
  private volatile boolean closed;

  private RedisIndex(RedisClient redis, String where) {
    this.redis = redis;
    this.where = where;
  }

  /** Connects to the Redis server at {@code host:port}. */
  public static RedisIndex connect(String host, int port) {
    return new RedisIndex(RedisClient.create(host, port), "redis://" + host + ":" + port);
  }

  @Override
  public String insert(DatasetEntry e) throws IOException {
    check();
    String cid = e.cid();
    Map<byte[], byte[]> h = new HashMap<>();
    h.put(b("name"), b(e.name()));
    h.put(b("schema_ref"), b(e.schemaRef()));
    h.put(b("data_urls"), org.atomstore.samples.internal.MsgpackValues.pack(e.dataUrls()));
    h.put(b("cid"), b(cid));
    if (e.metadata() != null) h.put(b("metadata"), org.atomstore.samples.internal.MsgpackValues.pack(e.metadata()));
    try {
      redis.hset(b(ENTRY + cid), h);
    } catch (JedisException x) {
      throw io(x);
    }
    return cid;
  }

  @Override
  public Optional<DatasetEntry> entryByCid(String cid) throws IOException {
    check();
    Map<byte[], byte[]> raw;
    try {
      raw = redis.hgetAll(b(ENTRY + cid));
    } catch (JedisException x) {
      throw io(x);
    }
    if (raw == null || raw.isEmpty()) return Optional.empty();
    Map<String, byte[]> h = new HashMap<>();
    raw.forEach((k, v) -> h.put(new String(k, StandardCharsets.UTF_8), v));
    return Optional.of(SqliteIndex.Entries.entry(where, cid, s(h.get("name")), s(h.get("schema_ref")), h.get("data_urls"),
        h.get("metadata")));
  }

  @Override
  public Optional<DatasetEntry> entryByName(String name) throws IOException {
    for (DatasetEntry e : entries()) if (e.name().equals(name)) return Optional.of(e);
    return Optional.empty();
  }

  @Override
  public List<DatasetEntry> entries() throws IOException {
    var out = new ArrayList<DatasetEntry>();
    for (String key : scan(ENTRY + "*")) entryByCid(key.substring(ENTRY.length())).ifPresent(out::add);
    return out;
  }

  @Override
  public void putSchema(String name, String version, String schemaJson) throws IOException {
    check();
    try {
      redis.set(SCHEMA + name + "@" + version, schemaJson);
    } catch (JedisException x) {
      throw io(x);
    }
  }

  @Override
  public Optional<String> schemaJson(String name, String version) throws IOException {
    check();
    try {
      return Optional.ofNullable(redis.get(SCHEMA + name + "@" + version));
    } catch (JedisException x) {
      throw io(x);
    }
  }

  @Override
  public List<String> schemaIds() throws IOException {
    var out = new ArrayList<String>();
    for (String key : scan(SCHEMA + "*")) {
      String id = key.substring(SCHEMA.length());
      if (id.contains("@")) out.add(id);
    }
    out.sort(null);
    return out;
  }

  private List<String> scan(String match) throws IOException {
    check();
    var out = new ArrayList<String>();
    try {
      String cursor = ScanParams.SCAN_POINTER_START;
      var params = new ScanParams().match(match).count(500);
      do {
        ScanResult<String> r = redis.scan(cursor, params);
        out.addAll(r.getResult());
        cursor = r.getCursor();
      } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    } catch (JedisException x) {
      throw io(x);
    }
    return out;
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    redis.close();
  }

  private void check() {
    if (closed) throw new IllegalStateException("index closed: " + where);
  }

  private IOException io(JedisException x) {
    return new IOException("Redis index " + where + ": " + x.getMessage(), x);
  }

  private static byte[] b(String s) { return s.getBytes(StandardCharsets.UTF_8); }

  private static String s(byte[] b) { return b == null ? null : new String(b, StandardCharsets.UTF_8); }
}
