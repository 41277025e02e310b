package org.atomstore.data.redis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.atomstore.data.MutableObjectTable;
import org.atomstore.data.internal.MsgpackCodec;
import org.atomstore.data.internal.MsgpackFormatException;
import org.atomstore.model.Molecule;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.AbstractTransaction;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * A table of rows in a Redis database, in asebytes 0.3.2's own Redis layout ({@code asebytes.redis.RedisBlobBackend}),
 * so that asebytes reads what this writes and the other way round. Every key of a group starts with the group:
 *
 * <pre>
 * GROUP:sort_keys  --> LIST of sort keys (decimal), in row order: row i is the i-th element
 * GROUP:next_sk    --> STRING counter, the next sort key (INCR/INCRBY allocate)
 * GROUP:row:SK     --> HASH field name (UTF-8) -> value (MessagePack with msgpack-numpy's hooks, {@link MsgpackCodec})
 * </pre>
 *
 * A placeholder row ({@code None}) has its sort key in the list and no hash; so, as in asebytes, a row with no
 * fields reads back as a placeholder. Sort keys never change: a delete or insert moves the rows after it by one
 * index, not their keys. Single-row operations run as Lua scripts (one atomic step each, as asebytes'); extend
 * and reserve allocate their sort keys with one INCRBY and write in one MULTI/EXEC; ranges, drop keys and clear
 * run as one script each. A row's fields come back sorted bytewise by name ({@link #keys()}'s order): Redis
 * keeps no field order.
 *
 * <p>Thread contract: any number of threads may read and write at once (Jedis' connection pool); each call is
 * atomic on the server, a sequence of calls is not. {@link #close()} must not race with them.
 */
public final class RedisTable implements MutableObjectTable {
  private final RedisAddress address;
  private final RedisClient client;
  private final byte[] sortKeys;
  private final byte[] nextSk;
  private final byte[] rowPrefix;
  private volatile boolean closed;

  private RedisTable(RedisAddress address, RedisClient client) {
    this.address = address;
    this.client = client;
    this.sortKeys = utf8(address.group() + ":sort_keys");
    this.nextSk = utf8(address.group() + ":next_sk");
    this.rowPrefix = utf8(address.group() + ":row:");
  }

  /**
   * Opens (or, on the first write, creates) the group an address names: {@code redis://HOST[:PORT][/DB][/GROUP]}
   * ({@link RedisAddress}). Checks that the server answers.
   *
   * @throws java.net.MalformedURLException for a bad address
   * @throws IOException when the server cannot be reached
   */
  public static RedisTable open(String address) throws IOException {
    return open(RedisAddress.parse(address));
  }

  /** Opens the group of a parsed address; see {@link #open(String)}. */
  public static RedisTable open(RedisAddress address) throws IOException {
    RedisClient c = client(address);
    try {
      c.ping();
      return new RedisTable(address, c);
    } catch (JedisException e) {
      c.close();
      throw failure(address.address(), e);
    }
  }

  /**
   * The groups in the database an address names (its group part is ignored): every prefix {@code G} of a key
   * {@code G:sort_keys}, sorted, as asebytes' {@code list_groups}.
   */
  public static List<String> listGroups(String address) throws IOException {
    RedisAddress a = RedisAddress.parse(address);
    try (RedisClient c = client(a)) {
      TreeSet<String> groups = new TreeSet<>();
      ScanParams params = new ScanParams().match("*:sort_keys").count(1000);
      String cursor = ScanParams.SCAN_POINTER_START;
      do {
        ScanResult<String> page = c.scan(cursor, params);
        for (String key : page.getResult()) groups.add(key.substring(0, key.length() - ":sort_keys".length()));
        cursor = page.getCursor();
      } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
      return List.copyOf(groups);
    } catch (JedisException e) {
      throw failure(a.address(), e);
    }
  }

  private static RedisClient client(RedisAddress a) {
    return RedisClient.builder().hostAndPort(a.host(), a.port())
        .clientConfig(DefaultJedisClientConfig.builder().database(a.database()).build()).build();
  }

  /** The address this table was opened from. */
  public RedisAddress address() { return address; }

  @Override
  public String source() { return address.address(); }

  @Override
  public long size() throws IOException {
    ensureOpen();
    try {
      return client.llen(sortKeys);
    } catch (JedisException e) {
      throw failure(source(), e);
    }
  }

  @Override
  public Map<String, Object> get(long index) throws IOException {
    return decodeRow(index, script(GET, index, List.of()));
  }

  @Override
  public Map<String, Object> get(long index, Collection<String> keys) throws IOException {
    List<byte[]> names = new ArrayList<>(keys.size());
    for (String k : keys) names.add(utf8(k));
    return decodeRow(index, script(GET_WITH_KEYS, index, names));
  }

  /** Every field name of every row, sorted bytewise (the UTF-8 order asebytes' schema has). */
  @Override
  public List<String> keys() throws IOException {
    ensureOpen();
    try {
      List<byte[]> sks = client.lrange(sortKeys, 0, -1);
      TreeSet<String> names = new TreeSet<>(Molecule.UTF8_ORDER);
      for (int from = 0; from < sks.size(); from += PIPELINE) {
        List<Response<java.util.Set<byte[]>>> got = new ArrayList<>();
        try (AbstractPipeline p = client.pipelined()) {
          for (byte[] sk : sks.subList(from, Math.min(sks.size(), from + PIPELINE))) got.add(p.hkeys(rowKey(sk)));
          p.sync();
        }
        for (var r : got) for (byte[] k : r.get()) names.add(new String(k, StandardCharsets.UTF_8));
      }
      return List.copyOf(names);
    } catch (JedisException e) {
      throw failure(source(), e);
    }
  }

  @Override
  public void set(long index, Map<String, Object> row) throws IOException {
    long n = size();
    if (index >= n) {
      if (index > n) reserve(index - n);
      extend(java.util.Collections.singletonList(row)); // a null row appends a placeholder
      return;
    }
    script(SET, index, row == null ? List.of() : encodeRow(row));
  }

  @Override
  public void update(long index, Map<String, Object> fields) throws IOException {
    if (fields.isEmpty()) {
      checkIndex(index, size());
      return;
    }
    script(UPDATE, index, encodeRow(fields));
  }

  @Override
  public void delete(long index) throws IOException {
    script(DELETE, index, List.of());
  }

  @Override
  public void delete(long from, long to) throws IOException {
    if (from < 0 || from > to) throw new IndexOutOfBoundsException("rows [" + from + ", " + to + ") of " + source());
    if (from == to) return;
    ensureOpen();
    try {
      client.eval(DELETE_RANGE, List.of(sortKeys), List.of(rowPrefix, ascii(from), ascii(to)));
    } catch (JedisDataException e) {
      throw indexOrFailure(e, "rows [" + from + ", " + to + ")");
    } catch (JedisException e) {
      throw failure(source(), e);
    }
  }

  @Override
  public void insert(long index, Map<String, Object> row) throws IOException {
    List<byte[]> args = new ArrayList<>();
    args.add(rowPrefix);
    args.add(ascii(index));
    if (row != null) args.addAll(encodeRow(row));
    ensureOpen();
    try {
      client.eval(INSERT, List.of(sortKeys, nextSk), args);
    } catch (JedisDataException e) {
      throw indexOrFailure(e, "insert before row " + index);
    } catch (JedisException e) {
      throw failure(source(), e);
    }
  }

  @Override
  public void extend(List<? extends Map<String, Object>> rows) throws IOException {
    if (rows.isEmpty()) return;
    List<List<byte[]>> encoded = new ArrayList<>(rows.size());
    for (Map<String, Object> row : rows) encoded.add(row == null ? null : encodeRow(row));
    append(encoded, rows.size());
  }

  @Override
  public void reserve(long count) throws IOException {
    if (count < 0) throw new IllegalArgumentException("count must not be negative: " + count);
    if (count > Integer.MAX_VALUE) throw new IllegalArgumentException("at most " + Integer.MAX_VALUE + " rows at once, not " + count);
    if (count == 0) return;
    append(null, (int) count);
  }

  /** Appends {@code n} rows: {@code rows} (null entries placeholders), or n placeholders when rows is null. */
  private void append(List<List<byte[]>> rows, int n) throws IOException {
    ensureOpen();
    try {
      long end = client.incrBy(nextSk, n);
      long start = end - n;
      AbstractTransaction t = client.multi();
      try {
        List<byte[]> sks = new ArrayList<>(Math.min(n, PIPELINE));
        for (int i = 0; i < n; i++) {
          byte[] sk = ascii(start + i);
          List<byte[]> row = rows == null ? null : rows.get(i);
          if (row != null && !row.isEmpty()) t.hset(rowKey(sk), pairs(row));
          sks.add(sk);
          if (sks.size() == PIPELINE) {
            t.rpush(sortKeys, sks.toArray(byte[][]::new));
            sks.clear();
          }
        }
        if (!sks.isEmpty()) t.rpush(sortKeys, sks.toArray(byte[][]::new));
        t.exec();
      } finally {
        t.close();
      }
    } catch (JedisException e) {
      throw failure(source(), e);
    }
  }

  @Override
  public void dropKeys(Collection<String> keys) throws IOException {
    if (keys.isEmpty()) return;
    List<byte[]> args = new ArrayList<>();
    args.add(rowPrefix);
    for (String k : keys) args.add(utf8(k));
    ensureOpen();
    try {
      client.eval(DROP_KEYS, List.of(sortKeys), args);
    } catch (JedisException e) {
      throw failure(source(), e);
    }
  }

  /** Removes every row and resets the sort-key counter, as asebytes' {@code clear}. */
  @Override
  public void clear() throws IOException {
    ensureOpen();
    try {
      client.eval(CLEAR, List.of(sortKeys, nextSk), List.of(rowPrefix));
    } catch (JedisException e) {
      throw failure(source(), e);
    }
  }

  /** The sort keys of the rows, in row order (they never change; for checking asebytes' semantics). */
  public long[] sortKeys() throws IOException {
    ensureOpen();
    try {
      List<byte[]> sks = client.lrange(sortKeys, 0, -1);
      long[] out = new long[sks.size()];
      for (int i = 0; i < out.length; i++) out[i] = Long.parseLong(new String(sks.get(i), StandardCharsets.US_ASCII));
      return out;
    } catch (JedisException e) {
      throw failure(source(), e);
    } catch (NumberFormatException e) {
      throw new IOException(source() + ": a sort key in " + address.group() + ":sort_keys is not an integer: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    client.close();
  }

  // ------------------------------------------------------------------ helpers

  /** Runs a single-row script on row {@code index} with extra arguments; its reply. */
  private Object script(byte[] lua, long index, List<byte[]> extra) throws IOException {
    ensureOpen();
    List<byte[]> args = new ArrayList<>(2 + extra.size());
    args.add(rowPrefix);
    args.add(ascii(index));
    args.addAll(extra);
    try {
      return client.eval(lua, List.of(sortKeys), args);
    } catch (JedisDataException e) {
      throw indexOrFailure(e, "row " + index);
    } catch (JedisException e) {
      throw failure(source(), e);
    }
  }

  private IOException indexOrFailure(JedisDataException e, String what) throws IOException {
    if (String.valueOf(e.getMessage()).contains("IndexError")) {
      throw new IndexOutOfBoundsException(what + " out of range: " + size() + " rows in " + source());
    }
    return failure(source(), e);
  }

  /** A script's flat [field, value, ...] reply as a row, fields sorted bytewise; null for a placeholder. */
  private Map<String, Object> decodeRow(long index, Object reply) throws IOException {
    if (!(reply instanceof List<?> flat)) return null;
    if (flat.size() % 2 != 0) throw new IOException(source() + ": row " + index + ": odd reply of " + flat.size() + " items");
    var fields = new java.util.TreeMap<String, Object>(Molecule.UTF8_ORDER);
    for (int k = 0; k < flat.size(); k += 2) {
      String name = new String((byte[]) flat.get(k), StandardCharsets.UTF_8);
      byte[] value = (byte[]) flat.get(k + 1);
      try {
        fields.put(name, MsgpackCodec.decode(value));
      } catch (MsgpackFormatException e) {
        throw new MsgpackFormatException(e.offset(), source() + ": row " + index + ", field '" + name + "': " + e.getMessage(), e);
      }
    }
    return new LinkedHashMap<>(fields);
  }

  /** A row as flat [field, value, ...] bytes. */
  private static List<byte[]> encodeRow(Map<String, Object> row) {
    List<byte[]> out = new ArrayList<>(2 * row.size());
    for (var e : row.entrySet()) {
      out.add(utf8(Objects.requireNonNull(e.getKey(), "null field name")));
      out.add(MsgpackCodec.encode(e.getValue()));
    }
    return out;
  }

  private static Map<byte[], byte[]> pairs(List<byte[]> flat) {
    Map<byte[], byte[]> m = new HashMap<>();
    for (int k = 0; k < flat.size(); k += 2) m.put(flat.get(k), flat.get(k + 1));
    return m;
  }

  private byte[] rowKey(byte[] sk) {
    byte[] key = Arrays.copyOf(rowPrefix, rowPrefix.length + sk.length);
    System.arraycopy(sk, 0, key, rowPrefix.length, sk.length);
    return key;
  }

  private void checkIndex(long index, long n) {
    if (index < 0 || index >= n) throw new IndexOutOfBoundsException("row " + index + " of " + n + " in " + source());
  }

  private void ensureOpen() {
    if (closed) throw new IllegalStateException("Redis table is closed: " + source());
  }

  private static IOException failure(String source, JedisException e) {
    return new IOException(source + ": " + e.getMessage(), e);
  }

  private static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }

  private static byte[] ascii(long v) { return Long.toString(v).getBytes(StandardCharsets.US_ASCII); }

  /** Rows per pipeline or RPUSH. */
  private static final int PIPELINE = 1000;

  // ------------------------------------------------------------------ scripts
  // KEYS[1] = GROUP:sort_keys, ARGV[1] = GROUP:row:, ARGV[2] = index; as asebytes' _lua.py (negative indices are
  // the caller's business here: they are out of range).

  private static final String RESOLVE = """
      local n = redis.call('LLEN', KEYS[1])
      local idx = tonumber(ARGV[2])
      if idx < 0 or idx >= n then return redis.error_reply('IndexError') end
      local sk = redis.call('LINDEX', KEYS[1], idx)
      local rk = ARGV[1] .. sk
      """;

  private static final byte[] GET = utf8(RESOLVE + """
      if redis.call('EXISTS', rk) == 0 then return false end
      return redis.call('HGETALL', rk)
      """);

  private static final byte[] GET_WITH_KEYS = utf8(RESOLVE + """
      if redis.call('EXISTS', rk) == 0 then return false end
      local result = {}
      for i = 3, #ARGV do
        local v = redis.call('HGET', rk, ARGV[i])
        if v then
          result[#result + 1] = ARGV[i]
          result[#result + 1] = v
        end
      end
      return result
      """);

  private static final byte[] SET = utf8(RESOLVE + """
      redis.call('DEL', rk)
      for i = 3, #ARGV, 2 do
        redis.call('HSET', rk, ARGV[i], ARGV[i + 1])
      end
      return true
      """);

  private static final byte[] UPDATE = utf8(RESOLVE + """
      for i = 3, #ARGV, 2 do
        redis.call('HSET', rk, ARGV[i], ARGV[i + 1])
      end
      return true
      """);

  private static final byte[] DELETE = utf8(RESOLVE + """
      redis.call('DEL', rk)
      redis.call('LREM', KEYS[1], 1, sk)
      return true
      """);

  /** ARGV[2] = from, ARGV[3] = to (exclusive): the range's rows and list entries go in one step. */
  private static final byte[] DELETE_RANGE = utf8("""
      local n = redis.call('LLEN', KEYS[1])
      local from = tonumber(ARGV[2])
      local to = tonumber(ARGV[3])
      if from < 0 or to > n or from > to then return redis.error_reply('IndexError') end
      if from == to then return true end
      local sks = redis.call('LRANGE', KEYS[1], from, to - 1)
      for _, sk in ipairs(sks) do redis.call('DEL', ARGV[1] .. sk) end
      local head = {}
      if from > 0 then head = redis.call('LRANGE', KEYS[1], 0, from - 1) end
      local tail = redis.call('LRANGE', KEYS[1], to, -1)
      redis.call('DEL', KEYS[1])
      for i = 1, #head, 1000 do redis.call('RPUSH', KEYS[1], unpack(head, i, math.min(i + 999, #head))) end
      for i = 1, #tail, 1000 do redis.call('RPUSH', KEYS[1], unpack(tail, i, math.min(i + 999, #tail))) end
      return true
      """);

  /** KEYS[2] = GROUP:next_sk; ARGV[2] = index (0..n), ARGV[3..] = the row's pairs (none: a placeholder). */
  private static final byte[] INSERT = utf8("""
      local n = redis.call('LLEN', KEYS[1])
      local idx = tonumber(ARGV[2])
      if idx < 0 or idx > n then return redis.error_reply('IndexError') end
      local sk = tostring(redis.call('INCR', KEYS[2]) - 1)
      local rk = ARGV[1] .. sk
      for i = 3, #ARGV, 2 do redis.call('HSET', rk, ARGV[i], ARGV[i + 1]) end
      if idx == n then
        redis.call('RPUSH', KEYS[1], sk)
      elseif idx == 0 then
        redis.call('LPUSH', KEYS[1], sk)
      else
        local pivot = redis.call('LINDEX', KEYS[1], idx)
        redis.call('LINSERT', KEYS[1], 'BEFORE', pivot, sk)
      end
      return true
      """);

  /** ARGV[2..] = field names removed from every row. */
  private static final byte[] DROP_KEYS = utf8("""
      local sks = redis.call('LRANGE', KEYS[1], 0, -1)
      for _, sk in ipairs(sks) do
        for i = 2, #ARGV do redis.call('HDEL', ARGV[1] .. sk, ARGV[i]) end
      end
      return true
      """);

  /** KEYS[2] = GROUP:next_sk. */
  private static final byte[] CLEAR = utf8("""
      local sks = redis.call('LRANGE', KEYS[1], 0, -1)
      for _, sk in ipairs(sks) do redis.call('DEL', ARGV[1] .. sk) end
      redis.call('DEL', KEYS[1])
      redis.call('DEL', KEYS[2])
      return true
      """);
}
