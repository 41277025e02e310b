package org.atomstore.data.lmdb.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.lmdbjava.TargetName;

/**
 * The few liblmdb read functions Atomstore's read-only LMDB path calls, bound once through
 * {@code java.lang.foreign} (no JNI layer, no copies: values are read where LMDB's map holds them). The library is
 * the one lmdbjava ships and loads: the file named by lmdbjava's {@code lmdbjava.native.lib} property when it is
 * set, else lmdbjava's embedded resource for this platform ({@link TargetName#RESOLVED_FILENAME}) extracted once
 * per JVM into {@code lmdbjava.extract.dir} (default {@code java.io.tmpdir}) and deleted on exit, as lmdbjava does.
 * The library's own copy in lmdbjava (writers) is separate; no LMDB handle crosses between the two.
 *
 * <p>Methods return liblmdb's status codes (0 = success); {@link #strerror(int)} names them. The lookups are plain
 * downcalls: {@linkplain Linker.Option#critical critical} ones measured no faster here (the time is LMDB's page
 * walk), and a page fault inside one would hold up the JVM's safepoints. Stateless and thread-safe (liblmdb's own
 * rules for its handles apply).
 */
public final class NativeLmdb {

  private NativeLmdb() {}

  public static final int MDB_RDONLY = 0x20000;
  public static final int MDB_NOTLS = 0x200000;
  public static final int MDB_NOLOCK = 0x400000;
  public static final int MDB_NOTFOUND = -30798;
  /** mdb_cursor_get ops. */
  public static final int MDB_NEXT = 8;
  public static final int MDB_SET_RANGE = 17;

  /** {@code MDB_val}: {@code size_t mv_size; void *mv_data}. */
  public static final long VAL_SIZE = 16;

  private static final ValueLayout.OfLong SIZE_T = ValueLayout.JAVA_LONG;
  private static final ValueLayout ADDR = ValueLayout.ADDRESS;
  private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;

  /** Handles made on first use (the library loads then). */
  private static final class H {
    static final MethodHandle ENV_CREATE, ENV_SET_MAPSIZE, ENV_SET_MAXDBS, ENV_OPEN, ENV_CLOSE, ENV_INFO, TXN_BEGIN,
        TXN_ABORT, VERSION, DBI_OPEN, CURSOR_OPEN, CURSOR_CLOSE, CURSOR_GET, GET, STRERROR;

    static {
      SymbolLookup lib = SymbolLookup.libraryLookup(library(), Arena.global());
      Linker l = Linker.nativeLinker();
      ENV_CREATE = h(l, lib, "mdb_env_create", FunctionDescriptor.of(INT, ADDR));
      ENV_SET_MAPSIZE = h(l, lib, "mdb_env_set_mapsize", FunctionDescriptor.of(INT, ADDR, SIZE_T));
      ENV_SET_MAXDBS = h(l, lib, "mdb_env_set_maxdbs", FunctionDescriptor.of(INT, ADDR, INT));
      ENV_OPEN = h(l, lib, "mdb_env_open", FunctionDescriptor.of(INT, ADDR, ADDR, INT, INT));
      ENV_CLOSE = h(l, lib, "mdb_env_close", FunctionDescriptor.ofVoid(ADDR));
      ENV_INFO = h(l, lib, "mdb_env_info", FunctionDescriptor.of(INT, ADDR, ADDR));
      TXN_BEGIN = h(l, lib, "mdb_txn_begin", FunctionDescriptor.of(INT, ADDR, ADDR, INT, ADDR));
      TXN_ABORT = h(l, lib, "mdb_txn_abort", FunctionDescriptor.ofVoid(ADDR));
      DBI_OPEN = h(l, lib, "mdb_dbi_open", FunctionDescriptor.of(INT, ADDR, ADDR, INT, ADDR));
      CURSOR_OPEN = h(l, lib, "mdb_cursor_open", FunctionDescriptor.of(INT, ADDR, INT, ADDR));
      CURSOR_CLOSE = h(l, lib, "mdb_cursor_close", FunctionDescriptor.ofVoid(ADDR));
      CURSOR_GET = h(l, lib, "mdb_cursor_get", FunctionDescriptor.of(INT, ADDR, ADDR, ADDR, INT));
      GET = h(l, lib, "mdb_get", FunctionDescriptor.of(INT, ADDR, INT, ADDR, ADDR));
      STRERROR = h(l, lib, "mdb_strerror", FunctionDescriptor.of(ADDR, INT));
      VERSION = h(l, lib, "mdb_version", FunctionDescriptor.of(ADDR, ADDR, ADDR, ADDR));
    }

    private static MethodHandle h(Linker l, SymbolLookup lib, String name, FunctionDescriptor d, Linker.Option... o) {
      MemorySegment f = lib.find(name).orElseThrow(() -> new UnsatisfiedLinkError("liblmdb has no " + name));
      return l.downcallHandle(f, d, o);
    }
  }

  private static volatile Path extracted;

  /** The liblmdb file lmdbjava would load (extracted once), or lmdbjava's external library setting. */
  static synchronized Path library() {
    if (TargetName.IS_EXTERNAL) {
      String name = TargetName.RESOLVED_FILENAME;
      // lmdbjava passes a bare name (e.g. "lmdb") to the system loader; a path is used as given.
      return name.indexOf('/') >= 0 || name.indexOf('\\') >= 0 ? Path.of(name) : Path.of(System.mapLibraryName(name));
    }
    if (extracted != null) return extracted;
    String resource = TargetName.RESOLVED_FILENAME;
    String ext = resource.substring(resource.lastIndexOf('.'));
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    try {
      Path dir = Path.of(System.getProperty("lmdbjava.extract.dir", System.getProperty("java.io.tmpdir")));
      Path out = Files.createTempFile(dir, "lmdbjava-native-library-", ext);
      out.toFile().deleteOnExit();
      try (InputStream in = open(cl, resource)) {
        Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
      }
      extracted = out;
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract lmdbjava's native library " + resource, e);
    }
  }

  private static InputStream open(ClassLoader cl, String resource) throws IOException {
    InputStream in = cl == null ? null : cl.getResourceAsStream(resource);
    if (in == null) in = NativeLmdb.class.getClassLoader().getResourceAsStream(resource);
    if (in == null) throw new IOException("resource " + resource + " not found (org.lmdbjava:native on the class path?)");
    return in;
  }

  // Each handle's invokeExact: a Throwable other than an Error or RuntimeException cannot come from a downcall.

  public static int envCreate(MemorySegment envOut) {
    try { return (int) H.ENV_CREATE.invokeExact(envOut); } catch (Throwable t) { throw rethrow(t); }
  }

  public static int envSetMapsize(MemorySegment env, long size) {
    try { return (int) H.ENV_SET_MAPSIZE.invokeExact(env, size); } catch (Throwable t) { throw rethrow(t); }
  }

  public static int envSetMaxdbs(MemorySegment env, int n) {
    try { return (int) H.ENV_SET_MAXDBS.invokeExact(env, n); } catch (Throwable t) { throw rethrow(t); }
  }

  public static int envOpen(MemorySegment env, MemorySegment path, int flags, int mode) {
    try { return (int) H.ENV_OPEN.invokeExact(env, path, flags, mode); } catch (Throwable t) { throw rethrow(t); }
  }

  public static void envClose(MemorySegment env) {
    try { H.ENV_CLOSE.invokeExact(env); } catch (Throwable t) { throw rethrow(t); }
  }

  /** {@code MDB_envinfo}: {@code void *me_mapaddr; size_t me_mapsize, me_last_pgno, me_last_txnid; unsigned ...}. */
  public static int envInfo(MemorySegment env, MemorySegment info) {
    try { return (int) H.ENV_INFO.invokeExact(env, info); } catch (Throwable t) { throw rethrow(t); }
  }

  public static int txnBegin(MemorySegment env, MemorySegment parent, int flags, MemorySegment txnOut) {
    try { return (int) H.TXN_BEGIN.invokeExact(env, parent, flags, txnOut); } catch (Throwable t) { throw rethrow(t); }
  }

  public static void txnAbort(MemorySegment txn) {
    try { H.TXN_ABORT.invokeExact(txn); } catch (Throwable t) { throw rethrow(t); }
  }

  public static int dbiOpen(MemorySegment txn, MemorySegment name, int flags, MemorySegment dbiOut) {
    try { return (int) H.DBI_OPEN.invokeExact(txn, name, flags, dbiOut); } catch (Throwable t) { throw rethrow(t); }
  }

  public static int cursorOpen(MemorySegment txn, int dbi, MemorySegment cursorOut) {
    try { return (int) H.CURSOR_OPEN.invokeExact(txn, dbi, cursorOut); } catch (Throwable t) { throw rethrow(t); }
  }

  public static void cursorClose(MemorySegment cursor) {
    try { H.CURSOR_CLOSE.invokeExact(cursor); } catch (Throwable t) { throw rethrow(t); }
  }

  public static int cursorGet(MemorySegment cursor, MemorySegment key, MemorySegment val, int op) {
    try { return (int) H.CURSOR_GET.invokeExact(cursor, key, val, op); } catch (Throwable t) { throw rethrow(t); }
  }

  public static int get(MemorySegment txn, int dbi, MemorySegment key, MemorySegment val) {
    try { return (int) H.GET.invokeExact(txn, dbi, key, val); } catch (Throwable t) { throw rethrow(t); }
  }

  /** liblmdb's version: major, minor and patch written to the three ints. */
  public static void version(MemorySegment major, MemorySegment minor, MemorySegment patch) {
    try {
      MemorySegment ignored = (MemorySegment) H.VERSION.invokeExact(major, minor, patch);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** liblmdb's message for a status code. */
  public static String strerror(int rc) {
    try {
      MemorySegment s = (MemorySegment) H.STRERROR.invokeExact(rc);
      return s.equals(MemorySegment.NULL) ? "error " + rc : s.reinterpret(1024).getString(0) + " (" + rc + ")";
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  private static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException r) return r;
    if (t instanceof Error e) throw e;
    return new IllegalStateException(t);
  }
}
