package org.atomstore.arrays;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.atomstore.arrays.internal.ArrayMeta;
import org.atomstore.arrays.internal.Blosc;
import org.atomstore.arrays.internal.ChunkCodec;
import org.atomstore.arrays.internal.ChunkFormatException;
import org.atomstore.arrays.internal.DType;
import org.atomstore.arrays.internal.DirectoryObjectStore;
import org.atomstore.arrays.internal.Grid;
import org.atomstore.arrays.internal.PyJson;
import org.atomstore.arrays.internal.Stats;
import org.atomstore.arrays.internal.Values;
import org.atomstore.model.NdArray;
import org.atomstore.source.ObjectStore;

/**
 * A store of chunked N-dimensional arrays in the Zarr v2 layout: groups ("datasets") holding named arrays with
 * dims, fill values, attributes and statistics, in a directory or any {@link ObjectStore}. Every store it
 * writes opens in zarr-python and xarray; every Zarr v2 store opens here.
 *
 * <p>Writes ({@link #defineArray}, {@link #writeArray}, {@link #setAttributes}) are buffered per chunk in
 * memory and reach storage on {@link #flush()} or {@link #close()}, the only durability boundary: chunks first,
 * then each node's {@code .zarray}/{@code .zgroup}/{@code .zattrs}, then the consolidated {@code .zmetadata},
 * written atomically last. {@link #delete} removes a node from the metadata at once and leaves a tombstone;
 * {@link #compact()} removes its chunks, after the reads in flight on this object have finished.
 *
 * <p>Thread contract: reads may run on any number of threads at once and see this object's buffered writes;
 * the writing methods are synchronized (one writer at a time). Reads of one region fetch and decode the
 * chunks they need in parallel.
 */
public final class ZarrStore implements AutoCloseable {
  /** The attribute xarray takes dimension names from. */
  public static final String DIMS_ATTR = "_ARRAY_DIMENSIONS";
  /** The attribute statistics are stored under. */
  public static final String STATS_ATTR = "statistics";
  private static final long MAX_METADATA_BYTES = 64L << 20;
  private static final String ZMETADATA = ".zmetadata";
  private static final String TOMBSTONES = "atomstore_tombstones";

  /** Decoded bytes a read must cover before its chunks are shared with the common pool's threads. */
  private static final long PARALLEL_BYTES = 512 << 10;
  /** A thread that is no arena's owner: a segment it may access is accessible from pool threads too. */
  private static final Thread ANY_THREAD = Thread.ofPlatform().unstarted(() -> {});
  private final ObjectStore store;
  private final DirectoryObjectStore dir;
  private final ArrayCodec codec;
  private final boolean consolidatedAtOpen;
  private final ReentrantReadWriteLock compactLock = new ReentrantReadWriteLock();
  private volatile Map<String, Node> nodes;
  private final Set<String> tombstones = new TreeSet<>();
  private final Map<String, Map<String, Dirty>> dirty = new java.util.concurrent.ConcurrentHashMap<>();
  private final Set<String> changed = new LinkedHashSet<>();
  /** Arrays defined since the last flush: nothing of theirs is stored yet. */
  private final Set<String> fresh = new java.util.HashSet<>();
  private boolean closed;

  sealed interface Node permits GroupNode, ArrNode {
    String path();

    ObjectNode attrs();
  }

  record GroupNode(String path, ObjectNode zgroup, ObjectNode attrs) implements Node {}

  record ArrNode(String path, ArrayMeta meta, ObjectNode attrs) implements Node {}

  private record Dirty(long[] idx, byte[] raw) {}

  private ZarrStore(ObjectStore store, ArrayCodec codec, Map<String, Node> nodes, boolean consolidated) {
    this.store = store;
    this.dir = store instanceof DirectoryObjectStore d ? d : null;
    this.codec = codec;
    this.nodes = nodes;
    this.consolidatedAtOpen = consolidated;
  }

  // ------------------------------------------------------------------------------------------------ open

  /** Opens the Zarr v2 store in directory {@code dir}. */
  public static ZarrStore open(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) throw new NoSuchFileException(dir.toString(), null, "not a directory");
    return open(new DirectoryObjectStore(dir));
  }

  /**
   * Opens a Zarr v2 store: from {@code .zmetadata} when there is one (one request), else by listing the
   * store's {@code .zgroup} and {@code .zarray} files.
   */
  public static ZarrStore open(ObjectStore store) throws IOException {
    Map<String, Node> nodes = new TreeMap<>();
    ZarrStore z;
    Optional<byte[]> zm = readOptional(store, ZMETADATA, MAX_METADATA_BYTES);
    Set<String> tomb = new TreeSet<>();
    if (zm.isPresent()) {
      JsonNode root = parseJson(store, ZMETADATA, zm.get());
      JsonNode md = root.get("metadata");
      if (!root.path("zarr_consolidated_format").isIntegralNumber() || root.path("zarr_consolidated_format").asInt() != 1 || md == null || !md.isObject()) {
        throw new CorruptStoreException(store.address(), ZMETADATA, "not consolidated metadata of format 1");
      }
      Map<String, JsonNode> files = new HashMap<>();
      md.fields().forEachRemaining(e -> files.put(e.getKey(), e.getValue()));
      for (var e : files.entrySet()) {
        String key = e.getKey();
        String path = nodePath(store, key);
        if (path == null) continue;
        if (key.endsWith(".zgroup")) addGroup(store, nodes, path, e.getValue(), files.get(metaKey(path, ".zattrs")));
        else if (key.endsWith(".zarray")) addArray(store, nodes, path, e.getValue(), files.get(metaKey(path, ".zattrs")));
      }
      for (JsonNode t : root.path(TOMBSTONES)) if (t.isTextual()) tomb.add(t.textValue());
      z = new ZarrStore(store, ArrayCodec.zstd(3), nodes, true);
    } else {
      for (ObjectStore.Entry e : store.list("")) {
        String key = e.name();
        boolean g = key.equals(".zgroup") || key.endsWith("/.zgroup");
        boolean a = key.equals(".zarray") || key.endsWith("/.zarray");
        if (!g && !a) continue;
        String path = nodePath(store, key);
        if (path == null) continue;
        JsonNode meta = parseJson(store, key, readRequired(store, key, MAX_METADATA_BYTES));
        JsonNode attrs = readOptional(store, metaKey(path, ".zattrs"), MAX_METADATA_BYTES).isPresent()
            ? parseJson(store, metaKey(path, ".zattrs"), readRequired(store, metaKey(path, ".zattrs"), MAX_METADATA_BYTES)) : null;
        if (g) addGroup(store, nodes, path, meta, attrs);
        else addArray(store, nodes, path, meta, attrs);
      }
      z = new ZarrStore(store, ArrayCodec.zstd(3), nodes, false);
    }
    if (nodes.isEmpty()) throw new CorruptStoreException(store.address(), ".zgroup", "no Zarr v2 group or array at the root");
    z.tombstones.addAll(tomb);
    return z;
  }

  /** Creates a new store in directory {@code dir} (created; must be empty or absent); {@code codec} compresses new arrays. */
  public static ZarrStore create(Path dir, ArrayCodec codec) throws IOException {
    if (Files.isDirectory(dir)) {
      try (var s = Files.list(dir)) {
        if (s.findAny().isPresent()) throw new IllegalArgumentException("directory is not empty: " + dir);
      }
    }
    Files.createDirectories(dir);
    return create(new DirectoryObjectStore(dir), codec);
  }

  /** Creates a new store in {@code store} (which must hold no Zarr metadata at its root). */
  public static ZarrStore create(ObjectStore store, ArrayCodec codec) throws IOException {
    if (!store.writable()) throw new IllegalArgumentException("store is read-only: " + store.address());
    if (store.size(".zgroup").isPresent() || store.size(".zarray").isPresent()) {
      throw new IllegalArgumentException("a Zarr store already exists at " + store.address());
    }
    Map<String, Node> nodes = new TreeMap<>();
    nodes.put("", new GroupNode("", zgroup(), JsonNodeFactory.instance.objectNode()));
    ZarrStore z = new ZarrStore(store, codec, nodes, false);
    z.changed.add("");
    z.flush();
    return z;
  }

  private static ObjectNode zgroup() {
    return JsonNodeFactory.instance.objectNode().put("zarr_format", 2);
  }

  /** The node path of a metadata key, or null when the key is not one; rejects keys that leave the store. */
  private static String nodePath(ObjectStore store, String key) throws CorruptStoreException {
    int slash = key.lastIndexOf('/');
    String file = key.substring(slash + 1);
    if (!file.equals(".zgroup") && !file.equals(".zarray") && !file.equals(".zattrs")) return null;
    String path = slash < 0 ? "" : key.substring(0, slash);
    checkPath(store.address(), key, path);
    return path;
  }

  private static void checkPath(String store, String key, String path) throws CorruptStoreException {
    if (path.isEmpty()) return;
    if (path.startsWith("/") || path.contains("\\")) throw new CorruptStoreException(store, key, "node path '" + path + "' is not relative");
    for (String seg : path.split("/", -1)) {
      if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) throw new CorruptStoreException(store, key, "node path '" + path + "' leaves the store or has an empty part");
    }
  }

  private static String metaKey(String path, String file) {
    return path.isEmpty() ? file : path + "/" + file;
  }

  private static void addGroup(ObjectStore store, Map<String, Node> nodes, String path, JsonNode zgroup, JsonNode attrs) throws CorruptStoreException {
    if (!zgroup.isObject() || zgroup.path("zarr_format").asInt(-1) != 2) {
      throw new CorruptStoreException(store.address(), metaKey(path, ".zgroup"), "zarr_format is " + zgroup.get("zarr_format") + ", expected 2");
    }
    nodes.put(path, new GroupNode(path, (ObjectNode) zgroup, attrsOf(store, path, attrs)));
  }

  private static void addArray(ObjectStore store, Map<String, Node> nodes, String path, JsonNode zarray, JsonNode attrs) throws CorruptStoreException {
    ArrayMeta m;
    try {
      m = ArrayMeta.parse(zarray);
    } catch (IllegalArgumentException e) {
      throw new CorruptStoreException(store.address(), metaKey(path, ".zarray"), "array '" + path + "': " + e.getMessage());
    }
    nodes.put(path, new ArrNode(path, m, attrsOf(store, path, attrs)));
  }

  private static ObjectNode attrsOf(ObjectStore store, String path, JsonNode attrs) throws CorruptStoreException {
    if (attrs == null) return JsonNodeFactory.instance.objectNode();
    if (!attrs.isObject()) throw new CorruptStoreException(store.address(), metaKey(path, ".zattrs"), ".zattrs is not a JSON object");
    return (ObjectNode) attrs;
  }

  private static JsonNode parseJson(ObjectStore store, String key, byte[] bytes) throws CorruptStoreException {
    try {
      return PyJson.MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw new CorruptStoreException(store.address(), key, "not valid JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
    }
  }

  private static Optional<byte[]> readOptional(ObjectStore store, String key, long max) throws IOException {
    if (store instanceof DirectoryObjectStore d) {
      Path p = d.file(key);
      if (!Files.isRegularFile(p)) return Optional.empty();
      return Optional.of(readBounded(store, key, max));
    }
    Optional<Long> size = store.size(key);
    if (size.isEmpty()) return Optional.empty();
    return Optional.of(readBounded(store, key, max));
  }

  private static byte[] readRequired(ObjectStore store, String key, long max) throws IOException {
    return readBounded(store, key, max);
  }

  /** A blob's bytes, refusing one longer than {@code max} before reading it all. */
  private static byte[] readBounded(ObjectStore store, String key, long max) throws IOException {
    if (store instanceof DirectoryObjectStore d) {
      try (var ch = java.nio.channels.FileChannel.open(d.file(key))) {
        long size = ch.size();
        if (size > max) throw new CorruptStoreException(store.address(), key, size + " bytes, more than the " + max + " it can hold");
        var buf = java.nio.ByteBuffer.allocate((int) size);
        while (buf.hasRemaining() && ch.read(buf) >= 0) { /* read fully */ }
        if (buf.hasRemaining()) throw new CorruptStoreException(store.address(), key, "truncated while reading");
        return buf.array();
      }
    }
    try (InputStream in = store.read(key)) {
      byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
      if (b.length > max) throw new CorruptStoreException(store.address(), key, "more than the " + max + " bytes it can hold");
      return b;
    }
  }

  // ------------------------------------------------------------------------------------------------ structure

  /** The store's address (a directory or URL); named in every error. */
  public String address() { return store.address(); }

  /** Whether the store had consolidated metadata ({@code .zmetadata}) when opened. */
  public boolean consolidated() { return consolidatedAtOpen; }

  /** Group paths, depth first, children sorted by name, the root ({@code ""}) first. */
  public List<String> groups() {
    List<String> g = new ArrayList<>(), a = new ArrayList<>();
    walk(g, a);
    return g;
  }

  /** Array paths in the same walk: a group's arrays, then its subgroups. */
  public List<String> arrays() {
    List<String> g = new ArrayList<>(), a = new ArrayList<>();
    walk(g, a);
    return a;
  }

  /** The datasets: groups directly under the root. */
  public List<String> datasets() {
    return children(nodes, "").stream().filter(p -> nodes.get(p) instanceof GroupNode).toList();
  }

  private void walk(List<String> groups, List<String> arrays) {
    Map<String, Node> n = nodes;
    Node root = n.get("");
    if (root instanceof ArrNode) {
      arrays.add("");
      return;
    }
    if (root == null) return;
    walkGroup(n, "", groups, arrays);
  }

  private static void walkGroup(Map<String, Node> n, String path, List<String> groups, List<String> arrays) {
    groups.add(path);
    List<String> kids = children(n, path);
    for (String k : kids) if (n.get(k) instanceof ArrNode) arrays.add(k);
    for (String k : kids) if (n.get(k) instanceof GroupNode) walkGroup(n, k, groups, arrays);
  }

  /** Direct children of a group, sorted by name. */
  private static List<String> children(Map<String, Node> n, String path) {
    List<String> out = new ArrayList<>();
    for (String p : n.keySet()) {
      if (p.isEmpty() || p.equals(path)) continue;
      String parent = p.lastIndexOf('/') < 0 ? "" : p.substring(0, p.lastIndexOf('/'));
      if (parent.equals(path)) out.add(p);
    }
    out.sort((x, y) -> name(x).compareTo(name(y)));
    return out;
  }

  private static String name(String path) { return path.substring(path.lastIndexOf('/') + 1); }

  /** The array at {@code path}, or empty. */
  public Optional<ArrayInfo> array(String path) {
    if (!(nodes.get(path) instanceof ArrNode a)) return Optional.empty();
    ArrayMeta m = a.meta();
    List<String> dims = new ArrayList<>();
    for (JsonNode d : a.attrs().path(DIMS_ATTR)) dims.add(d.asText());
    Map<String, Object> comp = m.compressor() == null ? null : PyJson.toMap(m.compressor().config());
    return Optional.of(new ArrayInfo(path, m.dtype().str(), m.shape().clone(), m.chunks().clone(), fillObject(m), m.order(), comp,
        List.copyOf(dims), PyJson.toMap(a.attrs())));
  }

  /** The attributes of a group or array ({@code ""} for the root). */
  public Map<String, Object> attributes(String path) {
    Node n = nodes.get(path);
    if (n == null) throw new IllegalArgumentException("no group or array '" + path + "' in " + address());
    return PyJson.toMap(n.attrs());
  }

  /** The statistics stored with an array at its last flush, or empty when it has none. */
  public Optional<ArrayStats> stats(String path) {
    if (!(nodes.get(path) instanceof ArrNode a)) throw new IllegalArgumentException("no array '" + path + "' in " + address());
    JsonNode s = a.attrs().get(STATS_ATTR);
    if (s == null || !s.isObject()) return Optional.empty();
    return Optional.of(new ArrayStats(s.path("rows").asLong(), s.path("count").asLong(), s.path("null_count").asLong(),
        number(s.get("min")), number(s.get("max"))));
  }

  private static Number number(JsonNode n) {
    if (n == null || n.isNull()) return null;
    if (n.isIntegralNumber()) return n.canConvertToLong() ? (Number) n.longValue() : n.bigIntegerValue();
    if (n.isNumber()) return n.doubleValue();
    if (n.isTextual()) {
      return switch (n.textValue()) {
        case "Infinity" -> Double.POSITIVE_INFINITY;
        case "-Infinity" -> Double.NEGATIVE_INFINITY;
        default -> Double.NaN;
      };
    }
    return null;
  }

  ArrNode arrayNode(String path) {
    if (!(nodes.get(path) instanceof ArrNode a)) throw new IllegalArgumentException("no array '" + path + "' in " + address());
    return a;
  }

  Node node(String path) { return nodes.get(path); }

  ObjectStore objectStore() { return store; }

  static Object fillObject(ArrayMeta m) {
    if (m.fill() == null) return null;
    MemorySegment f = MemorySegment.ofArray(m.fill());
    if (m.dtype().kind() == 'f') return Values.doubleAt(m.dtype(), f, 0);
    return PyJson.MAPPER.convertValue(Values.element(m.dtype(), f, 0), Object.class);
  }

  // ------------------------------------------------------------------------------------------------ read

  /** The whole array. */
  public NdArray read(String path) throws IOException {
    ArrayMeta m = arrayNode(path).meta();
    return read(path, new long[m.rank()], m.shape());
  }

  /** The hyper-rectangle {@code [start, start+shape)}, in C order and the array's byte order. */
  public NdArray read(String path, long[] start, long[] shape) throws IOException {
    ArrayMeta m = arrayNode(path).meta();
    long bytes = checkRegion(m, path, start, shape) * m.itemSize();
    if (bytes > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("region of " + bytes + " bytes is too large for one array; read it in parts");
    byte[] out = new byte[(int) bytes];
    read(path, start, shape, MemorySegment.ofArray(out));
    return new NdArray(m.dtype().str(), shape.clone(), out);
  }

  /**
   * Reads {@code [start, start+shape)} into {@code dst} (exactly its size), C order, in the array's byte
   * order. Only the chunks overlapping the region are fetched, several at once.
   */
  public void read(String path, long[] start, long[] shape, MemorySegment dst) throws IOException {
    checkOpen();
    ArrNode a = arrayNode(path);
    ArrayMeta m = a.meta();
    long n = checkRegion(m, path, start, shape);
    if (dst.byteSize() != n * m.itemSize()) throw new IllegalArgumentException("destination holds " + dst.byteSize() + " bytes, the region needs " + n * m.itemSize());
    if (n == 0) return;
    compactLock.readLock().lock();
    try {
      readRegion(a, start, shape, dst);
    } finally {
      compactLock.readLock().unlock();
    }
  }

  private void readRegion(ArrNode a, long[] start, long[] shape, MemorySegment dst) throws IOException {
    ArrayMeta m = a.meta();
    int r = m.rank();
    if (r == 0) {
      Grid.copy(m, new long[0], MemorySegment.ofArray(chunk(a, new long[0])), start, shape, dst, true);
      return;
    }
    long[][] ov = Grid.overlap(m, start, shape);
    long[] first = ov[0];
    long[] span = new long[r];
    long total = 1;
    for (int d = 0; d < r; d++) {
      span[d] = ov[1][d] - first[d] + 1;
      total *= span[d];
    }
    if (total > Integer.MAX_VALUE) throw new IllegalArgumentException("region overlaps " + total + " chunks");
    // Chunks are read on the pool's threads too when there is enough to share: waking a pool thread costs
    // about what decoding a small chunk does, so a read of a few small chunks stays on this thread. A confined
    // destination is writable by its owner thread only.
    boolean parallel = total > 1 && total * m.chunkBytes() >= PARALLEL_BYTES && dst.isAccessibleBy(ANY_THREAD);
    new ChunkJob(a, first, span, (int) total, start, shape, dst).run(parallel);
  }

  /**
   * The chunks of one read, claimed one at a time by the reading thread and, for a parallel read, up to the
   * common pool's parallelism of helpers: a helper that is slow to start, or descheduled on a busy machine,
   * holds up at most the one chunk it claimed, and one that starts after the last claim does nothing. The
   * reading thread waits only for claimed chunks, so a read from inside the pool cannot deadlock.
   */
  private final class ChunkJob {
    private final ArrNode a;
    private final long[] first, span, start, shape;
    private final MemorySegment dst;
    private final int total;
    private final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.CountDownLatch left;
    private volatile Throwable failure;

    ChunkJob(ArrNode a, long[] first, long[] span, int total, long[] start, long[] shape, MemorySegment dst) {
      this.a = a;
      this.first = first;
      this.span = span;
      this.total = total;
      this.start = start;
      this.shape = shape;
      this.dst = dst;
      this.left = new java.util.concurrent.CountDownLatch(total);
    }

    void run(boolean parallel) throws IOException {
      if (parallel) {
        int helpers = Math.min(total - 1, java.util.concurrent.ForkJoinPool.getCommonPoolParallelism());
        for (int h = 0; h < helpers; h++) java.util.concurrent.ForkJoinPool.commonPool().execute(this::work);
      }
      work();
      boolean interrupted = false;
      while (true) {
        try {
          left.await();
          break;
        } catch (InterruptedException e) {
          // the destination is being written by helpers: it cannot be handed back before they finish
          interrupted = true;
        }
      }
      if (interrupted) Thread.currentThread().interrupt();
      Throwable f = failure;
      if (f instanceof IOException e) throw e;
      if (f instanceof RuntimeException e) throw e;
      if (f instanceof Error e) throw e;
    }

    private void work() {
      long[] idx = new long[first.length];
      for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
        try {
          if (failure == null) {
            long rest = i;
            for (int d = idx.length - 1; d >= 0; d--) {
              idx[d] = first[d] + rest % span[d];
              rest /= span[d];
            }
            readChunkInto(a, idx, start, shape, dst);
          }
        } catch (Throwable t) {
          if (failure == null) failure = t;
        } finally {
          left.countDown();
        }
      }
    }
  }

  private long checkRegion(ArrayMeta m, String path, long[] start, long[] shape) {
    if (start.length != m.rank() || shape.length != m.rank()) {
      throw new IllegalArgumentException("array '" + path + "' has " + m.rank() + " dimensions, region has " + start.length + "/" + shape.length);
    }
    long n = 1;
    for (int d = 0; d < m.rank(); d++) {
      if (start[d] < 0 || shape[d] < 0 || start[d] + shape[d] > m.shape()[d] || start[d] + shape[d] < 0) {
        throw new IllegalArgumentException("region " + Arrays.toString(start) + "+" + Arrays.toString(shape) + " is outside array '" + path
            + "' of shape " + Arrays.toString(m.shape()));
      }
      n = Math.multiplyExact(n, shape[d]);
    }
    return n;
  }

  /** Per-thread buffers of the read path (a chunk's stored and decoded bytes), reused from chunk to chunk. */
  private static final class Scratch {
    /** Buffers larger than this are garbage after their chunk rather than kept by every reading thread. */
    static final int KEPT = 8 << 20;
    byte[] in = new byte[0];
    byte[] raw = new byte[0];
    /** The stored bytes of the chunk being read: {@code src[0, srcLen)} ({@code in} or a store's own array). */
    byte[] src;
    int srcLen;

    byte[] in(int size) {
      if (in.length >= size) return in;
      byte[] b = new byte[size];
      if (size <= KEPT) in = b;
      return b;
    }

    byte[] raw(int size) {
      if (raw.length >= size) return raw;
      byte[] b = new byte[size];
      if (size <= KEPT) raw = b;
      return b;
    }
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  /**
   * Copies chunk {@code idx}'s part of the region into {@code dst}. A compressed chunk that is one contiguous
   * run of a byte[]-backed destination (a whole C-order chunk of a whole-row region: every chunk of a whole
   * read of a tiling grid) decodes straight into it; any other decodes into this thread's reused buffer and is
   * copied from there. Nothing chunk-sized is allocated per chunk.
   */
  private void readChunkInto(ArrNode a, long[] idx, long[] start, long[] shape, MemorySegment dst) throws IOException {
    ArrayMeta m = a.meta();
    String ck = m.chunkKey(idx);
    Map<String, Dirty> d = dirty.get(a.path());
    Dirty buffered = d == null ? null : d.get(ck);
    if (buffered != null || !m.filters().isEmpty()) {
      Grid.copy(m, idx, MemorySegment.ofArray(chunk(a, idx)), start, shape, dst, true);
      return;
    }
    String key = a.path().isEmpty() ? ck : a.path() + "/" + ck;
    int size = m.chunkBytes();
    Scratch s = SCRATCH.get();
    if (!fetch(key, size + size / 8 + 4096L, s)) {
      Grid.copy(m, idx, MemorySegment.ofArray(m.fillChunk()), start, shape, dst, true);
      return;
    }
    try {
      ChunkCodec c = m.compressor();
      if (c == null) {
        if (s.srcLen != size) throw new ChunkFormatException("chunk holds " + s.srcLen + " bytes, expected " + size);
        Grid.copy(m, idx, MemorySegment.ofArray(s.src).asSlice(0, size), start, shape, dst, true);
        return;
      }
      long off = Grid.contiguousOffset(m, idx, start, shape);
      if (off >= 0 && c instanceof ChunkCodec.BloscCodec) {
        // Blosc unshuffles into any segment: a float[] read's output too, without a copy
        Blosc.decode(s.src, s.srcLen, dst.asSlice(off, size));
        return;
      }
      if (off >= 0 && dst.heapBase().orElse(null) instanceof byte[] out) {
        c.decodeInto(s.src, s.srcLen, out, Math.toIntExact(dst.address() + off), size);
        return;
      }
      byte[] raw = s.raw(size);
      c.decodeInto(s.src, s.srcLen, raw, 0, size);
      MemorySegment chunk = MemorySegment.ofArray(raw).asSlice(0, size);
      if (off >= 0) MemorySegment.copy(chunk, 0, dst, off, size);
      else Grid.copy(m, idx, chunk, start, shape, dst, true);
    } catch (ChunkFormatException e) {
      throw new CorruptStoreException(address(), key, "array '" + a.path() + "' chunk " + ck + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads blob {@code key} (at most {@code max} bytes) into {@code s.src[0, s.srcLen)}: a local file into the
   * thread's reused buffer. False when there is no such blob (Zarr's rule: the chunk is the fill value).
   */
  private boolean fetch(String key, long max, Scratch s) throws IOException {
    if (store instanceof DirectoryObjectStore dir) {
      java.nio.channels.FileChannel ch;
      try {
        ch = java.nio.channels.FileChannel.open(dir.file(key));
      } catch (NoSuchFileException e) {
        return false;
      }
      try (ch) {
        long size = ch.size();
        if (size > max) throw new CorruptStoreException(store.address(), key, size + " bytes, more than the " + max + " it can hold");
        byte[] b = s.in((int) size);
        var buf = java.nio.ByteBuffer.wrap(b, 0, (int) size);
        while (buf.hasRemaining() && ch.read(buf) >= 0) { /* read fully */ }
        if (buf.hasRemaining()) throw new CorruptStoreException(store.address(), key, "truncated while reading");
        s.src = b;
        s.srcLen = (int) size;
        return true;
      }
    }
    try {
      byte[] b = readBounded(store, key, max);
      s.src = b;
      s.srcLen = b.length;
      return true;
    } catch (NoSuchFileException | FileNotFoundException e) {
      return false;
    }
  }

  /** One chunk's decoded bytes (buffered ones included); the fill value where none is stored. */
  private byte[] chunk(ArrNode a, long[] idx) throws IOException {
    ArrayMeta m = a.meta();
    String ck = m.chunkKey(idx);
    Map<String, Dirty> d = dirty.get(a.path());
    if (d != null) {
      Dirty b = d.get(ck);
      if (b != null) return b.raw;
    }
    byte[] c = storedChunk(a, ck);
    return c != null ? c : m.fillChunk();
  }

  private byte[] storedChunk(ArrNode a, String ck) throws IOException {
    ArrayMeta m = a.meta();
    String key = a.path().isEmpty() ? ck : a.path() + "/" + ck;
    int n = m.chunkElements();
    int encSize = n * (m.filters().isEmpty() ? m.itemSize() : m.filters().getLast().encoded().itemSize());
    long max = encSize + encSize / 8 + 4096L;
    byte[] bytes;
    try {
      bytes = readBounded(store, key, max);
    } catch (NoSuchFileException | FileNotFoundException e) {
      // the ObjectStore interface has no "read if present": a missing chunk is the fill value, by Zarr's rules
      return null;
    }
    try {
      byte[] raw;
      ChunkCodec c = m.compressor();
      if (c == null) {
        if (bytes.length != encSize) throw new ChunkFormatException("chunk holds " + bytes.length + " bytes, expected " + encSize);
        raw = bytes;
      } else {
        raw = c.decode(bytes, encSize);
      }
      for (int i = m.filters().size() - 1; i >= 0; i--) raw = m.filters().get(i).decode(raw, n);
      return raw;
    } catch (ChunkFormatException e) {
      throw new CorruptStoreException(address(), key, "array '" + a.path() + "' chunk " + ck + ": " + e.getMessage(), e);
    }
  }

  /** The whole array as floats ({@code f4} only). */
  public float[] readFloats(String path) throws IOException {
    ArrayMeta m = arrayNode(path).meta();
    return readFloats(path, new long[m.rank()], m.shape());
  }

  /** A region as floats ({@code f4} only), in C order. */
  public float[] readFloats(String path, long[] start, long[] shape) throws IOException {
    float[] out = new float[(int) primitive(path, start, shape, 'f', 4)];
    readPrimitive(path, start, shape, MemorySegment.ofArray(out), ValueLayout.JAVA_FLOAT);
    return out;
  }

  /** A region as doubles ({@code f8} only). */
  public double[] readDoubles(String path, long[] start, long[] shape) throws IOException {
    double[] out = new double[(int) primitive(path, start, shape, 'f', 8)];
    readPrimitive(path, start, shape, MemorySegment.ofArray(out), ValueLayout.JAVA_DOUBLE);
    return out;
  }

  /** A region as ints ({@code i4} only). */
  public int[] readInts(String path, long[] start, long[] shape) throws IOException {
    int[] out = new int[(int) primitive(path, start, shape, 'i', 4)];
    readPrimitive(path, start, shape, MemorySegment.ofArray(out), ValueLayout.JAVA_INT);
    return out;
  }

  /** A region as longs ({@code i8}, {@code u8}, datetime64 and timedelta64). */
  public long[] readLongs(String path, long[] start, long[] shape) throws IOException {
    long[] out = new long[(int) primitive(path, start, shape, 'i', 8)];
    readPrimitive(path, start, shape, MemorySegment.ofArray(out), ValueLayout.JAVA_LONG);
    return out;
  }

  private long primitive(String path, long[] start, long[] shape, char kind, int size) {
    ArrayMeta m = arrayNode(path).meta();
    DType t = m.dtype();
    boolean ok = t.itemSize() == size && (t.kind() == kind || (kind == 'i' && size == 8 && "uMm".indexOf(t.kind()) >= 0));
    if (!ok) throw new IllegalArgumentException("array '" + path + "' is " + t.str() + ", not " + kind + size);
    long n = checkRegion(m, path, start, shape);
    if (n > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("region of " + n + " elements is too large for one Java array");
    return n;
  }

  private void readPrimitive(String path, long[] start, long[] shape, MemorySegment dst, ValueLayout unit) throws IOException {
    read(path, start, shape, dst);
    // the heap segment's elements are in native order; the chunk bytes were in the array's order
    if (arrayNode(path).meta().dtype().byteOrder() != ByteOrder.nativeOrder()) Values.swap(dst, (int) unit.byteSize());
  }

  /**
   * One array stacked from many datasets: {@code datasets[i]/array} for each i, all of one dtype and shape,
   * gives shape {@code [datasets.size(), ...shape]}.
   */
  public NdArray readAcross(List<String> datasets, String array) throws IOException {
    if (datasets.isEmpty()) throw new IllegalArgumentException("no datasets");
    ArrayMeta m0 = arrayNode(datasets.getFirst() + "/" + array).meta();
    for (String ds : datasets) {
      ArrayMeta m = arrayNode(ds + "/" + array).meta();
      if (!m.dtype().str().equals(m0.dtype().str()) || !Arrays.equals(m.shape(), m0.shape())) {
        throw new IllegalArgumentException("'" + ds + "/" + array + "' is " + m.dtype().str() + Arrays.toString(m.shape()) + ", '"
            + datasets.getFirst() + "/" + array + "' is " + m0.dtype().str() + Arrays.toString(m0.shape()) + ": they do not stack");
      }
    }
    long one = m0.elements() * m0.itemSize();
    long total = Math.multiplyExact(one, (long) datasets.size());
    if (total > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("stack of " + total + " bytes is too large for one array");
    byte[] out = new byte[(int) total];
    MemorySegment seg = MemorySegment.ofArray(out);
    for (int i = 0; i < datasets.size(); i++) {
      read(datasets.get(i) + "/" + array, new long[m0.rank()], m0.shape(), seg.asSlice(i * one, one));
    }
    long[] shape = new long[m0.rank() + 1];
    shape[0] = datasets.size();
    System.arraycopy(m0.shape(), 0, shape, 1, m0.rank());
    return new NdArray(m0.dtype().str(), shape, out);
  }

  // ------------------------------------------------------------------------------------------------ write

  /** Creates a group (a dataset), and the groups above it. */
  public synchronized void createDataset(String name) {
    checkWritable();
    checkNewPath(name);
    if (nodes.get(name) instanceof ArrNode) throw new IllegalArgumentException("'" + name + "' is an array");
    if (nodes.containsKey(name)) return;
    checkNotTombstoned(name);
    Map<String, Node> n = new TreeMap<>(nodes);
    ensureGroups(n, name);
    nodes = n;
  }

  private void ensureGroups(Map<String, Node> n, String path) {
    String[] parts = path.split("/");
    String p = "";
    for (String part : parts) {
      p = p.isEmpty() ? part : p + "/" + part;
      Node existing = n.get(p);
      if (existing instanceof ArrNode) throw new IllegalArgumentException("'" + p + "' is an array, not a group");
      if (existing == null) {
        n.put(p, new GroupNode(p, zgroup(), JsonNodeFactory.instance.objectNode()));
        changed.add(p);
      }
    }
  }

  private void checkNotTombstoned(String name) {
    for (String t : tombstones) {
      if (name.equals(t) || name.startsWith(t + "/") || t.startsWith(name + "/")) {
        throw new IllegalStateException("'" + t + "' was deleted and its chunks are still stored: compact() before defining '" + name + "'");
      }
    }
  }

  private void checkNewPath(String name) {
    if (name == null || name.isEmpty()) throw new IllegalArgumentException("empty name");
    try {
      checkPath(address(), name, name);
    } catch (CorruptStoreException e) {
      throw new IllegalArgumentException("bad name '" + name + "': parts must be non-empty and not . or ..");
    }
    for (String seg : name.split("/")) {
      if (seg.startsWith(".")) throw new IllegalArgumentException("bad name '" + name + "': parts may not start with '.'");
    }
  }

  /**
   * Defines an array with the store's codec, C order and the "." separator; see
   * {@link #defineArray(String, String, List, long[], int[], Object, ArrayCodec, char, char)}.
   */
  public void defineArray(String name, String dtype, List<String> dims, long[] shape, int[] chunkShape, Object fillValue) {
    defineArray(name, dtype, dims, shape, chunkShape, fillValue, codec, 'C', '.');
  }

  /**
   * Defines array {@code name} (a path: {@code "traj1/positions"}; missing groups are created) of NumPy
   * {@code dtype} ({@code <f4}, {@code >i8}, {@code |b1}, {@code <U8}, {@code |S4}, {@code <M8[ns]}), with
   * dimension names {@code dims} (stored in {@code _ARRAY_DIMENSIONS}; null for none), shape, chunk shape and
   * fill value (a Number, Boolean, String, byte[] for {@code S}, or null for none). Visible to readers of this
   * object at once, to the store at the next flush.
   */
  public synchronized void defineArray(String name, String dtype, List<String> dims, long[] shape, int[] chunkShape, Object fillValue,
                                       ArrayCodec codec, char order, char separator) {
    checkWritable();
    checkNewPath(name);
    if (nodes.containsKey(name)) throw new IllegalArgumentException("'" + name + "' already exists in " + address());
    DType dt = DType.parse(dtype);
    if (dt == null) throw new IllegalArgumentException("dtype '" + dtype + "' is not supported");
    if (shape.length != chunkShape.length) throw new IllegalArgumentException("shape and chunk shape differ in rank");
    if (dims != null && dims.size() != shape.length) throw new IllegalArgumentException(dims.size() + " dimension names for " + shape.length + " dimensions");
    if (order != 'C' && order != 'F') throw new IllegalArgumentException("order must be C or F");
    if (separator != '.' && separator != '/') throw new IllegalArgumentException("separator must be . or /");
    JsonNode fv = fillJson(dt, fillValue);
    // zarr 2.13 writes no compressor for 0-d arrays; do the same so both read the same metadata
    ChunkCodec cc = shape.length == 0 || codec == null || codec.config() == null ? null : ChunkCodec.fromConfig(PyJson.toTree(codec.config()));
    ObjectNode z = ArrayMeta.zarray(dt, shape, chunkShape, fv, order, cc, separator);
    ArrayMeta m;
    try {
      m = ArrayMeta.parse(z);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("array '" + name + "': " + e.getMessage(), e);
    }
    checkNotTombstoned(name);
    Map<String, Node> n = new TreeMap<>(nodes);
    int slash = name.lastIndexOf('/');
    if (slash > 0) ensureGroups(n, name.substring(0, slash));
    ObjectNode attrs = JsonNodeFactory.instance.objectNode();
    if (dims != null) {
      ArrayNode d = attrs.putArray(DIMS_ATTR);
      dims.forEach(d::add);
    }
    n.put(name, new ArrNode(name, m, attrs));
    changed.add(name);
    fresh.add(name);
    dirty.put(name, new java.util.concurrent.ConcurrentHashMap<>());
    nodes = n;
  }

  private static JsonNode fillJson(DType dt, Object v) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (v == null) return f.nullNode();
    return switch (dt.kind()) {
      case 'c' -> {
        // zarr encodes a complex fill value as [real, imag]
        if (!(v instanceof Number num)) throw new IllegalArgumentException("fill value " + v + " for " + dt.str() + " is not a number");
        yield f.arrayNode().add(fillJson(DType.parse("<f8"), num)).add(f.numberNode(0.0));
      }
      case 'f' -> {
        if (!(v instanceof Number num)) throw new IllegalArgumentException("fill value " + v + " for " + dt.str() + " is not a number");
        double d = num.doubleValue();
        yield Double.isNaN(d) ? f.textNode("NaN") : Double.isInfinite(d) ? f.textNode(d > 0 ? "Infinity" : "-Infinity")
            : (num instanceof Double || num instanceof Float) ? f.numberNode(d) : f.numberNode(num.longValue());
      }
      case 'b' -> {
        if (!(v instanceof Boolean b)) throw new IllegalArgumentException("fill value " + v + " for " + dt.str() + " is not a Boolean");
        yield f.booleanNode(b);
      }
      case 'i', 'u', 'M', 'm' -> {
        if (v instanceof java.math.BigInteger bi) yield f.numberNode(bi);
        if (!(v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte)) {
          throw new IllegalArgumentException("fill value " + v + " for " + dt.str() + " is not an integer");
        }
        yield f.numberNode(((Number) v).longValue());
      }
      case 'S', 'V' -> {
        byte[] b = v instanceof byte[] bytes ? bytes : v instanceof String s ? s.getBytes(StandardCharsets.ISO_8859_1) : null;
        if (b == null) throw new IllegalArgumentException("fill value " + v + " for " + dt.str() + " is not bytes");
        yield f.textNode(Base64.getEncoder().encodeToString(b));
      }
      case 'U' -> {
        if (!(v instanceof String s)) throw new IllegalArgumentException("fill value " + v + " for " + dt.str() + " is not a String");
        yield f.textNode(s);
      }
      default -> throw new IllegalArgumentException("fill value for " + dt.str());
    };
  }

  /** Sets (adds or replaces) attributes of a group or array ({@code ""} for the root). */
  public synchronized void setAttributes(String path, Map<String, ?> attributes) {
    checkWritable();
    Node node = nodes.get(path);
    if (node == null) throw new IllegalArgumentException("no group or array '" + path + "' in " + address());
    ObjectNode a = node.attrs().deepCopy();
    for (var e : attributes.entrySet()) a.set(e.getKey(), PyJson.toTree(e.getValue()));
    Map<String, Node> n = new TreeMap<>(nodes);
    n.put(path, node instanceof ArrNode an ? new ArrNode(path, an.meta(), a) : new GroupNode(path, ((GroupNode) node).zgroup(), a));
    changed.add(path);
    nodes = n;
  }

  /**
   * Writes {@code data} into array {@code name} at {@code start}: any hyper-rectangle inside the array. The
   * dtype must be the array's (either byte order). Buffered until {@link #flush()}.
   */
  public synchronized void writeArray(String name, long[] start, NdArray data) throws IOException {
    checkWritable();
    ArrNode a = arrayNode(name);
    ArrayMeta m = a.meta();
    DType dt = DType.parse(data.dtype());
    if (dt == null || dt.kind() != m.dtype().kind() || dt.itemSize() != m.itemSize() || !java.util.Objects.equals(dt.unit(), m.dtype().unit())) {
      throw new IllegalArgumentException("data of " + data.dtype() + " for array '" + name + "' of " + m.dtype().str());
    }
    long[] shape = data.shape();
    long n = checkRegion(m, name, start, shape);
    if (n == 0) return;
    byte[] bytes = data.data();
    if (dt.byteOrder() != m.dtype().byteOrder() && m.dtype().swapUnit() > 1) {
      bytes = bytes.clone();
      Values.swap(MemorySegment.ofArray(bytes), m.dtype().swapUnit());
    }
    MemorySegment src = MemorySegment.ofArray(bytes);
    Map<String, Dirty> d = dirty.computeIfAbsent(name, k -> new java.util.concurrent.ConcurrentHashMap<>());
    int r = m.rank();
    if (r == 0) {
      byte[] c = bufferFor(a, d, new long[0]);
      Grid.copy(m, new long[0], MemorySegment.ofArray(c), start, shape, src, false);
    } else {
      long[][] ov = Grid.overlap(m, start, shape);
      long[] idx = ov[0].clone();
      while (true) {
        byte[] c = bufferFor(a, d, idx);
        Grid.copy(m, idx, MemorySegment.ofArray(c), start, shape, src, false);
        int k = r - 1;
        while (k >= 0) {
          if (++idx[k] <= ov[1][k]) break;
          idx[k] = ov[0][k];
          k--;
        }
        if (k < 0) break;
      }
    }
  }

  private byte[] bufferFor(ArrNode a, Map<String, Dirty> d, long[] idx) throws IOException {
    String ck = a.meta().chunkKey(idx);
    Dirty b = d.get(ck);
    if (b == null) {
      byte[] stored = fresh.contains(a.path()) ? null : storedChunk(a, ck);
      b = new Dirty(idx.clone(), stored != null ? stored : a.meta().fillChunk());
      d.put(ck, b);
    }
    return b.raw;
  }

  /** Writes {@code data} (C order, {@code shape}) into an {@code f4} array. */
  public void writeArray(String name, long[] start, long[] shape, float[] data) throws IOException {
    writeArray(name, start, typed(name, shape, MemorySegment.ofArray(data), 'f', 4));
  }

  /** Writes {@code data} (C order, {@code shape}) into an {@code f8} array. */
  public void writeArray(String name, long[] start, long[] shape, double[] data) throws IOException {
    writeArray(name, start, typed(name, shape, MemorySegment.ofArray(data), 'f', 8));
  }

  /** Writes {@code data} (C order, {@code shape}) into an {@code i4} array. */
  public void writeArray(String name, long[] start, long[] shape, int[] data) throws IOException {
    writeArray(name, start, typed(name, shape, MemorySegment.ofArray(data), 'i', 4));
  }

  /** Writes {@code data} (C order, {@code shape}) into an {@code i8} (or {@code u8}, datetime64) array. */
  public void writeArray(String name, long[] start, long[] shape, long[] data) throws IOException {
    writeArray(name, start, typed(name, shape, MemorySegment.ofArray(data), 'i', 8));
  }

  private NdArray typed(String name, long[] shape, MemorySegment data, char kind, int size) {
    DType t = arrayNode(name).meta().dtype();
    boolean ok = t.itemSize() == size && (t.kind() == kind || (kind == 'i' && size == 8 && "uMm".indexOf(t.kind()) >= 0));
    if (!ok) throw new IllegalArgumentException("array '" + name + "' is " + t.str() + ", not " + kind + size);
    byte[] bytes = data.toArray(ValueLayout.JAVA_BYTE);
    String native_ = (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? "<" : ">") + t.str().substring(1);
    return new NdArray(native_, shape.clone(), bytes);
  }

  /**
   * Makes every buffered write durable: chunks, then node metadata with fresh statistics, then
   * {@code .zmetadata}, atomically last.
   */
  public synchronized void flush() throws IOException {
    checkOpen();
    if (dirty.values().stream().allMatch(Map::isEmpty) && changed.isEmpty()) return;
    checkWritable();
    Map<String, Node> n = new TreeMap<>(nodes);
    // chunks of every array, encoded in parallel
    List<Map.Entry<String, Dirty>> work = new ArrayList<>();
    for (var e : dirty.entrySet()) for (Dirty d : e.getValue().values()) work.add(Map.entry(e.getKey(), d));
    AtomicReference<IOException> err = new AtomicReference<>();
    work.parallelStream().forEach(w -> {
      if (err.get() != null) return;
      ArrNode a = (ArrNode) n.get(w.getKey());
      ArrayMeta m = a.meta();
      String key = metaKey(a.path(), m.chunkKey(w.getValue().idx));
      byte[] raw = w.getValue().raw;
      byte[] enc = m.compressor() == null ? raw : m.compressor().encode(raw, m.itemSize());
      try {
        store.write(key, enc);
      } catch (IOException e) {
        err.compareAndSet(null, e);
      }
    });
    if (err.get() != null) throw err.get();
    // statistics of every array written to
    for (String path : dirty.keySet()) {
      ArrNode a = (ArrNode) n.get(path);
      if (a == null) continue;
      ObjectNode attrs = a.attrs().deepCopy();
      attrs.set(STATS_ATTR, Stats.compute(a.meta(), idx -> chunk(a, idx)));
      n.put(path, new ArrNode(path, a.meta(), attrs));
      changed.add(path);
    }
    nodes = n;
    for (String path : changed) {
      Node node = n.get(path);
      if (node == null) continue;
      if (node instanceof ArrNode a) store.write(metaKey(path, ".zarray"), utf8(PyJson.metadata(a.meta().zarray())));
      else store.write(metaKey(path, ".zgroup"), utf8(PyJson.metadata(((GroupNode) node).zgroup())));
      if (!node.attrs().isEmpty() || store.size(metaKey(path, ".zattrs")).isPresent()) {
        store.write(metaKey(path, ".zattrs"), utf8(PyJson.metadata(node.attrs())));
      }
    }
    publishConsolidated();
    dirty.clear();
    changed.clear();
    fresh.clear();
  }

  private void publishConsolidated() throws IOException {
    ObjectNode md = JsonNodeFactory.instance.objectNode();
    for (Node node : nodes.values()) {
      String p = node.path();
      if (node instanceof ArrNode a) md.set(metaKey(p, ".zarray"), a.meta().zarray());
      else md.set(metaKey(p, ".zgroup"), ((GroupNode) node).zgroup());
      if (!node.attrs().isEmpty()) md.set(metaKey(p, ".zattrs"), node.attrs());
    }
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.set("metadata", md);
    root.put("zarr_consolidated_format", 1);
    if (!tombstones.isEmpty()) {
      ArrayNode t = root.putArray(TOMBSTONES);
      tombstones.forEach(t::add);
    }
    store.write(ZMETADATA, utf8(PyJson.metadata(root)));
  }

  /**
   * Deletes a dataset (group) or array and everything under it: buffered writes are flushed, the node leaves
   * the consolidated metadata at once (a tombstone records it) and its metadata files are removed; its chunks
   * stay until {@link #compact()}, so readers holding the old metadata can finish.
   */
  public synchronized void delete(String path) throws IOException {
    checkWritable();
    if (path.isEmpty()) throw new IllegalArgumentException("the root cannot be deleted");
    if (!nodes.containsKey(path)) throw new IllegalArgumentException("no group or array '" + path + "' in " + address());
    dirty.keySet().removeIf(p -> p.equals(path) || p.startsWith(path + "/"));
    changed.removeIf(p -> p.equals(path) || p.startsWith(path + "/"));
    flush();
    Map<String, Node> n = new TreeMap<>(nodes);
    List<Node> gone = new ArrayList<>();
    n.values().removeIf(node -> {
      boolean under = node.path().equals(path) || node.path().startsWith(path + "/");
      if (under) gone.add(node);
      return under;
    });
    nodes = n;
    tombstones.add(path);
    publishConsolidated();
    for (Node g : gone) {
      store.delete(metaKey(g.path(), g instanceof ArrNode ? ".zarray" : ".zgroup"));
      store.delete(metaKey(g.path(), ".zattrs"));
    }
  }

  /**
   * Removes the chunks of deleted nodes from storage, once the reads in flight on this object have finished,
   * and clears the tombstones.
   */
  public synchronized void compact() throws IOException {
    checkWritable();
    if (tombstones.isEmpty()) return;
    compactLock.writeLock().lock();
    try {
      for (String t : List.copyOf(tombstones)) {
        // nothing live is under a tombstone: defineArray and createDataset refuse such paths until compact()
        for (ObjectStore.Entry e : store.list(t + "/")) store.delete(e.name());
        tombstones.remove(t);
      }
      publishConsolidated();
    } finally {
      compactLock.writeLock().unlock();
    }
  }

  /** Flushes, then releases the store. Idempotent. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) return;
    try {
      if (store.writable() && (!dirty.isEmpty() || !changed.isEmpty())) flush();
    } finally {
      closed = true;
      store.close();
    }
  }

  private void checkOpen() {
    if (closed) throw new IllegalStateException("store is closed: " + address());
  }

  private void checkWritable() {
    checkOpen();
    if (!store.writable()) throw new IllegalStateException("store is read-only: " + address());
  }

  private static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }
}
