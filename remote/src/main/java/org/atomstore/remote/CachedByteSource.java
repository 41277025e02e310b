package org.atomstore.remote;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.CRC32C;
import org.atomstore.remote.internal.RangeReads;
import org.atomstore.source.ByteSource;

/**
 * A {@link ByteSource} read through a {@link BlockCache}: see there for the layout and the guarantees. Blocks a
 * process has checked are kept mapped, so a read of cached bytes is a copy out of a mapping.
 *
 * <p>Thread contract: reads may run on any number of threads at once; {@link #close()} (which closes the
 * underlying source) must not race with reads.
 */
public final class CachedByteSource implements ByteSource {

  static final int TRAILER = 16;
  static final int MAGIC = 0x4B425441; // "ATBK" little-endian
  private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private final BlockCache cache;
  private final ByteSource source;
  private final String key;
  private final int keyCheck;
  private final Path blocks;
  private final int blockSize;
  private final long size;
  private final ConcurrentMap<Long, Block> mapped = new ConcurrentHashMap<>();
  private final LongAdder bytesFetched = new LongAdder();
  private final LongAdder bytesServed = new LongAdder();
  private final LongAdder blockHits = new LongAdder();
  private final LongAdder blockMisses = new LongAdder();
  private final LongAdder blocksRejected = new LongAdder();
  private volatile boolean closed;

  /** A checked block's bytes (a mapping of its file) and when this process last used it. */
  private static final class Block {
    final MemorySegment data;
    volatile long lastUse;

    Block(MemorySegment data) {
      this.data = data;
      this.lastUse = System.currentTimeMillis();
    }
  }

  CachedByteSource(BlockCache cache, ByteSource source, String key, Path blocks) {
    this.cache = cache;
    this.source = source;
    this.key = key;
    this.keyCheck = (int) Long.parseLong(key.substring(0, 8), 16);
    this.blocks = blocks;
    this.blockSize = cache.blockSize();
    this.size = source.size();
  }

  String key() { return key; }

  /** The source this one reads through the cache. */
  public ByteSource underlying() { return source; }

  @Override
  public String name() { return source.name(); }

  @Override
  public long size() { return size; }

  @Override
  public Optional<String> version() { return source.version(); }

  /** What this source did so far (cachedBytes: the cache's). */
  public BlockCache.Stats stats() {
    return new BlockCache.Stats(bytesFetched.sum(), bytesServed.sum(), blockHits.sum(), blockMisses.sum(), 0,
        blocksRejected.sum(), cache.stats().cachedBytes());
  }

  @Override
  public void read(long offset, MemorySegment dst) throws IOException {
    read(List.of(new Range(offset, dst)));
  }

  @Override
  public void read(List<Range> ranges) throws IOException {
    if (closed) throw new IllegalStateException("closed: " + name());
    for (Range r : ranges) RangeReads.checkBounds(name(), r.offset(), r.dst().byteSize(), size);
    // Blocks the batch touches, in order; those neither mapped here nor valid on disk are fetched in one batch.
    TreeMap<Long, MemorySegment> have = new TreeMap<>();
    List<Long> missing = new ArrayList<>();
    for (Range r : ranges) {
      long len = r.dst().byteSize();
      if (len == 0) continue;
      for (long b = r.offset() / blockSize, last = (r.offset() + len - 1) / blockSize; b <= last; b++) {
        if (have.containsKey(b)) continue;
        MemorySegment seg = lookup(b);
        have.put(b, seg);
        if (seg == null) missing.add(b);
      }
    }
    if (!missing.isEmpty()) fetch(missing, have);
    for (Range r : ranges) copy(r, have);
  }

  private void copy(Range r, TreeMap<Long, MemorySegment> have) {
    long len = r.dst().byteSize();
    long pos = r.offset();
    long done = 0;
    while (done < len) {
      long b = pos / blockSize;
      long inBlock = pos - b * blockSize;
      long n = Math.min(len - done, blockSize - inBlock);
      MemorySegment.copy(have.get(b), inBlock, r.dst(), done, n);
      done += n;
      pos += n;
    }
    bytesServed.add(len);
    cache.bytesServed.add(len);
  }

  /** The block's bytes from this process's mappings or a checked block file; null when it must be fetched. */
  private MemorySegment lookup(long b) {
    Block blk = mapped.get(b);
    if (blk == null) blk = openFile(b);
    if (blk == null) return null;
    blk.lastUse = System.currentTimeMillis();
    blockHits.increment();
    cache.blockHits.increment();
    return blk.data;
  }

  private long blockLength(long b) {
    return Math.min(blockSize, size - b * blockSize);
  }

  private Path file(long b) {
    return blocks.resolve(b + BlockCache.SUFFIX);
  }

  /** Maps and checks the block file; a damaged one is deleted. Null when absent or damaged. */
  private Block openFile(long b) {
    Path f = file(b);
    long len = blockLength(b);
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
      if (ch.size() != len + TRAILER) return reject(f);
      MemorySegment all = ch.map(FileChannel.MapMode.READ_ONLY, 0, len + TRAILER, Arena.ofAuto());
      MemorySegment data = all.asSlice(0, len);
      if (all.get(LE_INT, len) != MAGIC || all.get(LE_INT, len + 4) != (int) len || all.get(LE_INT, len + 12) != keyCheck
          || all.get(LE_INT, len + 8) != crc(data)) {
        return reject(f);
      }
      // A block first used by this process counts as recently used for eviction in every process.
      try {
        Files.setLastModifiedTime(f, FileTime.fromMillis(System.currentTimeMillis()));
      } catch (IOException ignored) {
        // evicted meanwhile by another process: the mapping still holds the bytes
      }
      Block blk = new Block(data);
      Block raced = mapped.putIfAbsent(b, blk);
      return raced != null ? raced : blk;
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      return null; // unreadable: fetched again, and the new file replaces it
    }
  }

  private Block reject(Path f) {
    blocksRejected.increment();
    cache.blocksRejected.increment();
    try {
      Files.deleteIfExists(f);
    } catch (IOException ignored) {
      // replaced by the fetched block's rename in any case
    }
    return null;
  }

  private static int crc(MemorySegment data) {
    CRC32C c = new CRC32C();
    c.update(data.asByteBuffer());
    return (int) c.getValue();
  }

  /** Fetches the blocks in one batch read of the source, writes them, and puts their bytes in {@code have}. */
  private void fetch(List<Long> missing, TreeMap<Long, MemorySegment> have) throws IOException {
    List<Range> ranges = new ArrayList<>(missing.size());
    List<byte[]> bufs = new ArrayList<>(missing.size());
    for (long b : missing) {
      byte[] buf = new byte[Math.toIntExact(blockLength(b))];
      bufs.add(buf);
      ranges.add(new Range(b * blockSize, MemorySegment.ofArray(buf)));
    }
    source.read(ranges);
    for (int i = 0; i < missing.size(); i++) {
      long b = missing.get(i);
      byte[] buf = bufs.get(i);
      bytesFetched.add(buf.length);
      cache.bytesFetched.add(buf.length);
      blockMisses.increment();
      cache.blockMisses.increment();
      MemorySegment seg = store(b, buf);
      have.put(b, seg);
    }
  }

  /** Writes a fetched block (temp file, then rename) and returns its mapping; the heap copy when writing fails. */
  private MemorySegment store(long b, byte[] buf) {
    Path target = file(b);
    Path tmp = blocks.resolve(BlockCache.TEMP_PREFIX + b + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()));
    MemorySegment data = MemorySegment.ofArray(buf);
    try {
      Files.createDirectories(blocks); // another process may have evicted the last block and its directory
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)) {
        byte[] trailer = new byte[TRAILER];
        MemorySegment t = MemorySegment.ofArray(trailer);
        t.set(LE_INT, 0, MAGIC);
        t.set(LE_INT, 4, buf.length);
        t.set(LE_INT, 8, crc(data));
        t.set(LE_INT, 12, keyCheck);
        java.nio.ByteBuffer[] parts = {java.nio.ByteBuffer.wrap(buf), java.nio.ByteBuffer.wrap(trailer)};
        while (parts[1].hasRemaining()) ch.write(parts);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel ch = FileChannel.open(target, StandardOpenOption.READ)) {
        MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, buf.length, Arena.ofAuto());
        mapped.put(b, new Block(seg));
        cache.added(buf.length + TRAILER);
        return seg;
      }
    } catch (IOException e) {
      // A full or read-only disk costs the cache, not the read.
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // nothing more to do
      }
      return data;
    }
  }

  long lastUse(long block) {
    Block b = mapped.get(block);
    return b == null ? 0 : b.lastUse;
  }

  void forget(long block) {
    mapped.remove(block);
  }

  @Override
  public void close() throws IOException {
    if (closed) return;
    closed = true;
    cache.closed(this);
    mapped.clear();
    source.close();
  }

  @Override
  public String toString() { return "CachedByteSource[" + name() + " via " + cache + "]"; }
}
