package org.atomstore.remote;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.atomstore.source.ByteSource;

/**
 * A read-through cache of remote bytes on local disk, in fixed-size blocks, with a size limit. {@link #wrap} puts a
 * {@link CachedByteSource} in front of any source: a read is served from cached blocks where it can, and the
 * missing blocks are fetched (all those of one batch read in one coalesced batch read of the source), written to
 * disk and then served. The cache survives the process; any number of processes may share one directory.
 *
 * <p>Layout: {@code DIR/KEY/BLOCK.blk}, where {@code KEY} is the SHA-256 of the source's name, size and version
 * (ETag) in hex, so a file replaced on the server under the same name gets new blocks, and {@code BLOCK} is the
 * block number. A block file is written to a temporary name in the same directory and renamed into place, so a
 * reader never sees a part; its trailer holds a CRC-32C of the data, checked when a process first uses the block,
 * and a file of the wrong size or checksum is deleted and fetched again rather than served:
 *
 * <pre>
 * BlockFile --> data:u8[dataLength], magic:u32 'ATBK', dataLength:u32, crc32c:u32, keyCheck:u32   (little-endian)
 * </pre>
 *
 * <p>Eviction: when the blocks this process wrote push the directory past its limit, the least recently used blocks
 * are deleted (by the later of their file time, set when a process writes or first opens a block, and their last
 * use in this process) until it is below 90% of the limit. A block in use by a reader stays readable until the
 * reader moves on (its mapping outlives the file's name). Block files must never be edited in place.
 *
 * <p>Thread contract: safe for concurrent use; {@link #close()} ends nothing that readers still hold.
 */
public final class BlockCache implements AutoCloseable {

  /** The default block size: 2 MiB. */
  public static final int DEFAULT_BLOCK_SIZE = 2 << 20;
  static final int MIN_BLOCK_SIZE = 1 << 10;
  static final int MAX_BLOCK_SIZE = 256 << 20;
  static final String SUFFIX = ".blk";
  static final String TEMP_PREFIX = ".tmp-";
  static final double LOW_WATER = 0.9;
  /** Temporary files older than this are left by a process that died mid-write. */
  static final long STALE_TEMP_MILLIS = 3_600_000;

  private final Path dir;
  private final long maxBytes;
  private final int blockSize;
  private final AtomicLong usedBytes;
  private final ConcurrentMap<String, CachedByteSource> open = new ConcurrentHashMap<>();
  final LongAdder bytesFetched = new LongAdder();
  final LongAdder bytesServed = new LongAdder();
  final LongAdder blockHits = new LongAdder();
  final LongAdder blockMisses = new LongAdder();
  final LongAdder blocksEvicted = new LongAdder();
  final LongAdder blocksRejected = new LongAdder();

  private BlockCache(Path dir, long maxBytes, int blockSize, long used) {
    this.dir = dir;
    this.maxBytes = maxBytes;
    this.blockSize = blockSize;
    this.usedBytes = new AtomicLong(used);
  }

  /** A cache in {@code dir} (created if missing) of at most {@code maxBytes}, in blocks of {@link #DEFAULT_BLOCK_SIZE}. */
  public static BlockCache open(Path dir, long maxBytes) throws IOException {
    return open(dir, maxBytes, DEFAULT_BLOCK_SIZE);
  }

  /** A cache in {@code dir} of at most {@code maxBytes}, in blocks of {@code blockSize} bytes (1 KiB to 256 MiB). */
  public static BlockCache open(Path dir, long maxBytes, int blockSize) throws IOException {
    Objects.requireNonNull(dir, "dir");
    if (maxBytes <= 0) throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
    if (blockSize < MIN_BLOCK_SIZE || blockSize > MAX_BLOCK_SIZE) {
      throw new IllegalArgumentException("blockSize must be between 1 KiB and 256 MiB: " + blockSize);
    }
    Path abs = dir.toAbsolutePath().normalize();
    Files.createDirectories(abs);
    long used = 0;
    for (BlockFile f : scan(abs)) used += f.size();
    return new BlockCache(abs, maxBytes, blockSize, used);
  }

  /** The cache directory. */
  public Path dir() { return dir; }

  /** The size limit in bytes. */
  public long maxBytes() { return maxBytes; }

  /** The block size in bytes. */
  public int blockSize() { return blockSize; }

  /**
   * The source, read through this cache. The returned source owns {@code source}: closing it closes both. Blocks
   * are keyed by the source's name, size and {@link ByteSource#version()}; where the version is unknown, a file
   * replaced by another of the same size under the same name would be served from the old blocks.
   */
  public CachedByteSource wrap(ByteSource source) throws IOException {
    Objects.requireNonNull(source, "source");
    String key = key(source);
    Path blocks = dir.resolve(key);
    Files.createDirectories(blocks);
    CachedByteSource cached = new CachedByteSource(this, source, key, blocks);
    open.put(key + "#" + System.identityHashCode(cached), cached);
    return cached;
  }

  void closed(CachedByteSource s) {
    open.remove(s.key() + "#" + System.identityHashCode(s));
  }

  /** What this cache did so far in this process, over all sources it wrapped. */
  public Stats stats() {
    return new Stats(bytesFetched.sum(), bytesServed.sum(), blockHits.sum(), blockMisses.sum(), blocksEvicted.sum(),
        blocksRejected.sum(), usedBytes.get());
  }

  /**
   * Counters of a cache or of one cached source.
   *
   * @param bytesFetched bytes read from the underlying sources (whole blocks)
   * @param bytesServed bytes handed to readers
   * @param blockHits block lookups served from disk or memory
   * @param blockMisses block lookups that had to fetch
   * @param blocksEvicted blocks deleted to keep under the size limit
   * @param blocksRejected cached blocks found damaged (size or checksum) and fetched again
   * @param cachedBytes bytes on disk as this process counts them (other processes' writes are seen at eviction)
   */
  public record Stats(long bytesFetched, long bytesServed, long blockHits, long blockMisses, long blocksEvicted,
                      long blocksRejected, long cachedBytes) {}

  static String key(ByteSource source) {
    String id = source.name() + "\n" + source.size() + "\n" + source.version().orElse("");
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("SHA-256 is always there", e);
    }
  }

  /** Counts a block file this process wrote, evicting when over the limit. */
  void added(long bytes) {
    if (usedBytes.addAndGet(bytes) > maxBytes) evict();
  }

  private synchronized void evict() {
    if (usedBytes.get() <= maxBytes) return;
    List<BlockFile> files;
    try {
      files = scan(dir);
    } catch (IOException e) {
      return; // the cache stays over its limit until a later write manages to scan
    }
    long total = 0;
    for (BlockFile f : files) total += f.size();
    List<BlockFile> byAge = new ArrayList<>(files.size());
    for (BlockFile f : files) byAge.add(f.withLastUse(lastUse(f)));
    byAge.sort(Comparator.comparingLong(BlockFile::lastUse));
    long target = (long) (maxBytes * LOW_WATER);
    for (BlockFile f : byAge) {
      if (total <= target) break;
      try {
        Files.deleteIfExists(f.path());
      } catch (IOException e) {
        continue;
      }
      total -= f.size();
      blocksEvicted.increment();
      forget(f);
    }
    usedBytes.set(total);
  }

  private long lastUse(BlockFile f) {
    long t = f.lastUse();
    for (CachedByteSource s : open.values()) {
      if (s.key().equals(f.key())) t = Math.max(t, s.lastUse(f.block()));
    }
    return t;
  }

  private void forget(BlockFile f) {
    for (CachedByteSource s : open.values()) if (s.key().equals(f.key())) s.forget(f.block());
  }

  /** One block file on disk: its key directory, block number, size and modification time. */
  record BlockFile(Path path, String key, long block, long size, long lastUse) {
    BlockFile withLastUse(long t) { return new BlockFile(path, key, block, size, t); }
  }

  /** Every block file under {@code dir}; stale temporary files are deleted on the way. */
  static List<BlockFile> scan(Path dir) throws IOException {
    List<BlockFile> out = new ArrayList<>();
    long now = System.currentTimeMillis();
    try (DirectoryStream<Path> keys = Files.newDirectoryStream(dir)) {
      for (Path k : keys) {
        if (!Files.isDirectory(k)) continue;
        try (DirectoryStream<Path> blocks = Files.newDirectoryStream(k)) {
          for (Path b : blocks) {
            String n = b.getFileName().toString();
            BasicFileAttributes a;
            try {
              a = Files.readAttributes(b, BasicFileAttributes.class);
            } catch (NoSuchFileException gone) {
              continue;
            }
            if (n.startsWith(TEMP_PREFIX)) {
              if (now - a.lastModifiedTime().toMillis() > STALE_TEMP_MILLIS) Files.deleteIfExists(b);
              continue;
            }
            if (!n.endsWith(SUFFIX) || !a.isRegularFile()) continue;
            long block;
            try {
              block = Long.parseLong(n.substring(0, n.length() - SUFFIX.length()));
            } catch (NumberFormatException e) {
              continue;
            }
            out.add(new BlockFile(b, k.getFileName().toString(), block, a.size(), a.lastModifiedTime().toMillis()));
          }
        } catch (NoSuchFileException gone) {
          // removed meanwhile
        }
      }
    }
    return out;
  }

  @Override
  public void close() {
    open.clear();
  }

  @Override
  public String toString() {
    return "BlockCache[" + dir + ", " + maxBytes + " bytes max, blocks of " + blockSize + "]";
  }
}
