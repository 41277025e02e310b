package org.atomstore.io.aselmdb;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import org.atomstore.io.ase.AseAtoms;
import org.atomstore.io.ase.PyValue;
import org.atomstore.io.ase.PyValue.NdArray;
import org.atomstore.io.ase.internal.PyText;
import org.atomstore.io.aselmdb.internal.RowDecoder;
import org.lmdbjava.ByteArrayProxy;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.LmdbException;
import org.lmdbjava.Txn;

/**
 * Writes a new {@code .aselmdb} file as fairchem's {@code LMDBDatabase.write(atoms, key_value_pairs, data)} does:
 * rows under the keys {@code "1"}, {@code "2"}, ..., {@code "nextid"} after each, {@code "metadata"} when set,
 * every value {@code zlib.compress} (level 6) of compact JSON in the key order ASE's {@code AtomsRow} gives
 * (arrays as nested lists, non-finite floats as {@code null}, as orjson writes them). The file is written under a
 * temporary name beside the target in one LMDB write transaction and renamed into place by {@link #close()}: a
 * reader never sees half a file, and a writer that fails leaves nothing ({@link #abort()}).
 *
 * <p>A writer belongs to one thread.
 */
public final class AseLmdbWriter implements AutoCloseable {

  /** fairchem's map size (2 TiB): address space only, the file holds the pages used. */
  private static final long MAP_SIZE = 2L << 40;
  /** ASE's {@code T2000}: 2000-01-01 00:00 CET, in Unix seconds. */
  private static final double T2000 = 946681200.0;
  private static final double YEAR = 31557600.0;
  private static final JsonFactory JSON = new JsonFactory();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path target;
  private final Path temp;
  private final Env<byte[]> env;
  private final Dbi<byte[]> dbi;
  private final Txn<byte[]> txn;
  private final String user = System.getenv("USER");
  private final Deflater deflater = new Deflater(6);
  private long nextId = 1;
  private boolean closed;

  private AseLmdbWriter(Path target, Path temp, Env<byte[]> env) {
    this.target = target;
    this.temp = temp;
    this.env = env;
    this.txn = env.txnWrite();
    this.dbi = env.openDbi(txn, null, null, false, DbiFlags.MDB_CREATE);
  }

  /** Starts a new file that {@link #close()} puts at {@code target} (replacing what is there). */
  public static AseLmdbWriter create(Path target) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    Files.delete(temp); // LMDB creates it
    try {
      Env<byte[]> env = Env.create(ByteArrayProxy.PROXY_BA).setMapSize(MAP_SIZE).setMaxDbs(1).setMaxReaders(1)
          .open(temp.toFile(), EnvFlags.MDB_NOSUBDIR, EnvFlags.MDB_NOLOCK);
      return new AseLmdbWriter(target, temp, env);
    } catch (LmdbException e) {
      deleteQuietly(temp);
      throw new IOException("cannot create LMDB file " + temp + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes {@code atoms} as the next row ({@code db.write(atoms, key_value_pairs, data)}) and returns its id.
   * The atoms' arrays {@code initial_magmoms, initial_charges, masses, tags, momenta}, constraints and calculator
   * results are stored, as ASE stores them; other per-atom arrays and {@code info} are not (ASE's databases keep
   * only these); put what else is needed in {@code keyValuePairs} (scalars) or {@code data}.
   */
  public long write(AseAtoms atoms, Map<String, PyValue> keyValuePairs, Map<String, PyValue> data) throws IOException {
    ensureOpen();
    long id = nextId;
    put(Long.toString(id), rowJson(atoms, keyValuePairs, data));
    nextId = id + 1;
    put("nextid", Long.toString(nextId).getBytes(StandardCharsets.US_ASCII));
    return id;
  }

  /** Sets {@code db.metadata}. */
  public void metadata(Map<String, PyValue> metadata) throws IOException {
    ensureOpen();
    var out = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      writeValue(g, new PyValue.PyDict(metadata));
    }
    put("metadata", out.toByteArray());
  }

  /** Stores {@code json} (already compact JSON) zlib-compressed under {@code key}; tests use it to craft files. */
  void put(String key, byte[] json) throws IOException {
    putRaw(key, deflate(json));
  }

  /** Stores {@code value} as it is under {@code key}. */
  void putRaw(String key, byte[] value) throws IOException {
    try {
      dbi.put(txn, key.getBytes(StandardCharsets.US_ASCII), value);
    } catch (LmdbException e) {
      throw new IOException("writing key '" + key + "' of " + temp + ": " + e.getMessage(), e);
    }
  }

  private byte[] deflate(byte[] json) {
    deflater.reset();
    deflater.setInput(json);
    deflater.finish();
    var out = new ByteArrayOutputStream(Math.max(64, json.length / 3));
    byte[] buf = new byte[8192];
    while (!deflater.finished()) {
      int n = deflater.deflate(buf);
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  private byte[] rowJson(AseAtoms a, Map<String, PyValue> kvp, Map<String, PyValue> data) throws IOException {
    var out = new ByteArrayOutputStream(256 + a.natoms() * 64);
    int n = a.natoms();
    boolean anyPbc = a.pbc()[0] || a.pbc()[1] || a.pbc()[2];
    boolean anyCell = false;
    for (double c : a.cell()) anyCell |= c != 0;
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeFieldName("numbers");
      writeValue(g, NdArray.int64(new int[] {n}, a.numbers()));
      g.writeFieldName("positions");
      writeValue(g, NdArray.float64(new int[] {n, 3}, a.positions()));
      byte[] uid = new byte[16];
      RANDOM.nextBytes(uid);
      uid[0] |= 0x10; // '%x' % randint(16**31, 16**32 - 1): 32 digits, the first not 0
      g.writeStringField("unique_id", HexFormat.of().formatHex(uid));
      if (anyPbc) writePbc(g, a.pbc());
      if (anyCell) writeCell(g, a.cell());
      for (String k : RowDecoder.ARRAY_FIELDS) {
        NdArray arr = a.arrays().get(k);
        if (arr == null) continue;
        g.writeFieldName(k);
        writeValue(g, arr);
      }
      if (a.hasCalculator()) {
        g.writeStringField("calculator", "unknown");
        g.writeFieldName("calculator_parameters");
        g.writeStartObject();
        g.writeEndObject();
        for (String p : RowDecoder.ALL_PROPERTIES) {
          PyValue v = a.results().get(p);
          if (v == null || v instanceof PyValue.PyNone) continue;
          g.writeFieldName(p);
          writeValue(g, v);
        }
      }
      if (!anyCell) writeCell(g, a.cell());
      if (!anyPbc) writePbc(g, a.pbc());
      double now = (System.currentTimeMillis() / 1000.0 - T2000) / YEAR;
      g.writeFieldName("ctime");
      writeFloat(g, now);
      if (user == null) g.writeNullField("user");
      else g.writeStringField("user", user);
      g.writeFieldName("mtime");
      writeFloat(g, now);
      if (kvp != null && !kvp.isEmpty()) {
        g.writeFieldName("key_value_pairs");
        writeValue(g, new PyValue.PyDict(kvp));
      }
      if (data != null && !data.isEmpty()) {
        g.writeFieldName("data");
        writeValue(g, new PyValue.PyDict(data));
      }
      List<PyValue> cons = a.constraints();
      if (!cons.isEmpty()) {
        g.writeFieldName("constraints");
        writeValue(g, new PyValue.PyList(cons));
      }
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  private static void writePbc(JsonGenerator g, boolean[] pbc) throws IOException {
    g.writeFieldName("pbc");
    g.writeStartArray();
    for (boolean b : pbc) g.writeBoolean(b);
    g.writeEndArray();
  }

  private static void writeCell(JsonGenerator g, double[] cell) throws IOException {
    g.writeFieldName("cell");
    writeValue(g, NdArray.float64(new int[] {3, 3}, cell));
  }

  /** orjson's spelling of a float: Python's repr; NaN and infinities as null. */
  private static void writeFloat(JsonGenerator g, double d) throws IOException {
    if (Double.isFinite(d)) g.writeNumber(PyText.repr(d));
    else g.writeNull();
  }

  /** {@code orjson.dumps(v, option=OPT_SERIALIZE_NUMPY)}. */
  private static void writeValue(JsonGenerator g, PyValue v) throws IOException {
    switch (v) {
      case PyValue.PyInt i -> g.writeNumber(i.value());
      case PyValue.PyFloat f -> writeFloat(g, f.value());
      case PyValue.PyBool b -> g.writeBoolean(b.value());
      case PyValue.PyStr s -> g.writeString(s.value());
      case PyValue.PyNone x -> g.writeNull();
      case PyValue.PyList l -> {
        g.writeStartArray();
        for (PyValue x : l.items()) writeValue(g, x);
        g.writeEndArray();
      }
      case PyValue.PyDict d -> {
        g.writeStartObject();
        for (var e : d.entries().entrySet()) {
          g.writeFieldName(e.getKey());
          writeValue(g, e.getValue());
        }
        g.writeEndObject();
      }
      case NdArray a -> {
        if (a.kind() == 'c') throw new IllegalArgumentException("orjson cannot store a complex array");
        writeNested(g, a, 0, 0);
      }
      case PyValue.PyComplex c -> throw new IllegalArgumentException("orjson cannot store a complex number");
    }
  }

  private static void writeNested(JsonGenerator g, NdArray a, int dim, int offset) throws IOException {
    int[] shape = a.shape();
    if (dim == shape.length) {
      switch (a.data()) {
        case long[] l -> g.writeNumber(l[offset]);
        case double[] d -> writeFloat(g, d[offset]);
        case boolean[] b -> g.writeBoolean(b[offset]);
        case String[] s -> g.writeString(s[offset]);
        default -> throw new IllegalArgumentException("array of " + a.dtype());
      }
      return;
    }
    int stride = 1;
    for (int k = dim + 1; k < shape.length; k++) stride *= shape[k];
    g.writeStartArray();
    for (int i = 0; i < shape[dim]; i++) writeNested(g, a, dim + 1, offset + i * stride);
    g.writeEndArray();
  }

  private void ensureOpen() {
    if (closed) throw new IllegalStateException("AseLmdbWriter is closed: " + target);
  }

  /** Commits and puts the file at its target. */
  @Override
  public void close() throws IOException {
    if (closed) return;
    closed = true;
    try {
      txn.commit();
      env.close();
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (LmdbException | IOException e) {
      abortQuietly();
      throw e instanceof IOException io ? io : new IOException("committing " + temp + ": " + e.getMessage(), e);
    } finally {
      deflater.end();
    }
  }

  /** Gives the file up: nothing appears at the target. */
  public void abort() {
    if (closed) return;
    closed = true;
    abortQuietly();
    deflater.end();
  }

  private void abortQuietly() {
    try {
      if (!txn.isReadOnly()) txn.abort();
    } catch (RuntimeException ignored) {
      // already committed or aborted
    }
    try {
      env.close();
    } catch (RuntimeException ignored) {
      // already closed
    }
    deleteQuietly(temp);
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // best effort: a leftover temporary file is harmless and named as one
    }
  }
}
