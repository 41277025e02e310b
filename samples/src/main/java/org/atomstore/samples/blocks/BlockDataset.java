package org.atomstore.samples.blocks;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdDictDecompress;
import com.github.luben.zstd.ZstdException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import org.atomstore.loader.BatchSource;
import org.atomstore.samples.CorruptSampleException;
import org.atomstore.samples.SampleBatch;
import org.atomstore.samples.SampleType;

/**
 * A block-compressed random-access dataset of typed samples (torch-atlas-ds's design, Atomstore's layout):
 * {@link #get} finds the sample's block in the index, reads and decompresses that block only (zstd, with the
 * dataset's trained dictionary when it has one) and keeps it per thread, so neighbouring reads cost a copy.
 *
 * <pre>
 * directory   --> index.atsb, blocks-00000.bin, blocks-00001.bin, ...
 * Index       --> magic:"ATSBLK01", version:u32le=1, sampleCount:u64le, shardCount:u32le, blockCount:u32le,
 *                 dictLen:u32le, nameLen:u16le, name:utf8, versionLen:u16le, version:utf8, dict[dictLen],
 *                 BlockEntry[blockCount], crc32:u32le (of all bytes before it)
 * BlockEntry  --> shard:u32le, offset:u64le, compressedLen:u32le, uncompressedLen:u32le, firstSample:u64le, count:u32le
 * shard file  --> zstd frames, one per block
 * Block       --> count:u32le, ends:u32le[count] (end of each sample after the table), samples (atdata msgpack)
 * </pre>
 *
 * <p>Every length and offset in the index is checked against the files when opening, and every block against its
 * entry when read: bad input is a {@link CorruptSampleException} naming the file, block and offset.
 *
 * <p>A dataset may be shared by any number of threads; {@link #close()} must not race with reads.
 *
 * @param <T> the sample record type
 */
public final class BlockDataset<T extends Record> implements AutoCloseable {
  static final String INDEX = "index.atsb";
  static final byte[] MAGIC = "ATSBLK01".getBytes(StandardCharsets.US_ASCII);
  static final int VERSION = 1;
  static final int BLOCK_ENTRY_SIZE = 32;
  /** The largest decompressed block accepted (and written). */
  public static final int MAX_BLOCK_BYTES = 256 << 20;
  /** The most samples in one block. */
  public static final int MAX_BLOCK_SAMPLES = 1 << 16;
  private static final long MAX_INDEX_BYTES = 1L << 30;

  /** Where one block is. */
  record BlockEntry(int shard, long offset, int compressedLen, int uncompressedLen, long firstSample, int count) {}

  /** What the index says about the whole dataset. */
  public record Info(String schemaName, String schemaVersion, long samples, int shards, int blocks, int dictionaryBytes,
      long compressedBytes, long uncompressedBytes) {}

  private record Cached(int block, byte[] plain, int[] ends) {}

  private final SampleType<T> type;
  private final Path dir;
  private final Info info;
  private final BlockEntry[] blocks;
  private final long[] firsts;
  private final FileChannel[] shards;
  private final ZstdDictDecompress dict;
  private final ThreadLocal<Cached> cache = new ThreadLocal<>();
  // One decompression context per thread (with the dictionary loaded once): making one per block costs more
  // than decompressing a small block. All are closed with the dataset.
  private final java.util.Queue<ZstdDecompressCtx> allContexts = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final ThreadLocal<ZstdDecompressCtx> contexts;
  private volatile boolean closed;

  private BlockDataset(SampleType<T> type, Path dir, Info info, BlockEntry[] blocks, FileChannel[] shards, ZstdDictDecompress dict) {
    this.type = type;
    this.dir = dir;
    this.info = info;
    this.blocks = blocks;
    this.firsts = Arrays.stream(blocks).mapToLong(BlockEntry::firstSample).toArray();
    this.shards = shards;
    this.dict = dict;
    this.contexts = ThreadLocal.withInitial(() -> {
      var c = new ZstdDecompressCtx();
      if (dict != null) c.loadDict(dict);
      allContexts.add(c);
      return c;
    });
  }

  static String shardName(int i) {
    return String.format("blocks-%05d.bin", i);
  }

  /**
   * Opens the dataset in {@code dir} as samples of {@code type}.
   *
   * @throws CorruptSampleException when the index is corrupt or does not fit the shard files, or the schema name
   *     differs from {@code type}'s
   */
  public static <T extends Record> BlockDataset<T> open(SampleType<T> type, Path dir) throws IOException {
    Path indexPath = dir.resolve(INDEX);
    long size;
    try {
      size = Files.size(indexPath);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(indexPath.toString(), null, "no block dataset index");
    }
    String where = indexPath.toString();
    if (size > MAX_INDEX_BYTES) throw new CorruptSampleException(where, null, null, -1, "index of " + size + " bytes is too large");
    byte[] bytes = Files.readAllBytes(indexPath);
    Parsed p = parseIndex(bytes, where);
    if (!p.name.equals(type.name())) {
      throw new CorruptSampleException(where, null, null, -1, "dataset holds schema " + p.name + "@" + p.version + ", not " + type.name());
    }
    FileChannel[] channels = new FileChannel[p.shardCount];
    try {
      for (int i = 0; i < channels.length; i++) channels[i] = FileChannel.open(dir.resolve(shardName(i)), StandardOpenOption.READ);
      long compressed = 0;
      long plain = 0;
      for (int b = 0; b < p.blocks.length; b++) {
        BlockEntry e = p.blocks[b];
        long shardSize = channels[e.shard()].size();
        if (e.offset() + e.compressedLen() > shardSize) {
          throw new CorruptSampleException(dir.resolve(shardName(e.shard())).toString(), "block " + b, null, e.offset(),
              "block of " + e.compressedLen() + " bytes runs past the end of the shard (" + shardSize + " bytes)");
        }
        compressed += e.compressedLen();
        plain += e.uncompressedLen();
      }
      ZstdDictDecompress dict = p.dict.length == 0 ? null : new ZstdDictDecompress(p.dict);
      Info info = new Info(p.name, p.version, p.samples, p.shardCount, p.blocks.length, p.dict.length, compressed, plain);
      return new BlockDataset<>(type, dir, info, p.blocks, channels, dict);
    } catch (IOException | RuntimeException e) {
      for (FileChannel c : channels) if (c != null) c.close();
      throw e;
    }
  }

  /** Reads only the index of the dataset in {@code dir} (for inspection without knowing the record type). */
  public static Info info(Path dir) throws IOException {
    Path indexPath = dir.resolve(INDEX);
    if (Files.size(indexPath) > MAX_INDEX_BYTES) throw new CorruptSampleException(indexPath.toString(), null, null, -1, "index too large");
    Parsed p = parseIndex(Files.readAllBytes(indexPath), indexPath.toString());
    long c = 0;
    long u = 0;
    for (BlockEntry e : p.blocks) { c += e.compressedLen(); u += e.uncompressedLen(); }
    return new Info(p.name, p.version, p.samples, p.shardCount, p.blocks.length, p.dict.length, c, u);
  }

  public Info info() { return info; }

  /** The number of samples. */
  public long size() { return info.samples(); }

  public SampleType<T> sampleType() { return type; }

  /** The sample at {@code i}. */
  public T get(long i) throws IOException {
    byte[] raw = getRaw(i);
    return type.decode(raw, dir.toString(), "sample " + i);
  }

  /** The packed (atdata msgpack) bytes of the sample at {@code i}. */
  public byte[] getRaw(long i) throws IOException {
    if (closed) throw new IllegalStateException("dataset closed: " + dir);
    if (i < 0 || i >= info.samples()) throw new IndexOutOfBoundsException("sample " + i + " of " + info.samples());
    int b = Arrays.binarySearch(firsts, i);
    if (b < 0) b = -b - 2;
    Cached c = cache.get();
    if (c == null || c.block != b) {
      c = load(b);
      cache.set(c);
    }
    int k = (int) (i - blocks[b].firstSample());
    int table = 4 + 4 * c.ends.length;
    int start = table + (k == 0 ? 0 : c.ends[k - 1]);
    return Arrays.copyOfRange(c.plain, start, table + c.ends[k]);
  }

  /** The samples at {@code indices} as one batch. */
  public SampleBatch<T> batch(long[] indices) throws IOException {
    var l = new java.util.ArrayList<T>(indices.length);
    for (long i : indices) l.add(get(i));
    return new SampleBatch<>(type, l);
  }

  /** This dataset as the loader's batch source: each batch a {@link SampleBatch}. */
  public BatchSource<SampleBatch<T>> asBatchSource() {
    return BatchSource.of(size(), this::batch);
  }

  private Cached load(int b) throws IOException {
    BlockEntry e = blocks[b];
    String shard = dir.resolve(shardName(e.shard())).toString();
    String what = "block " + b;
    byte[] src = new byte[e.compressedLen()];
    ByteBuffer bb = ByteBuffer.wrap(src);
    long at = e.offset();
    while (bb.hasRemaining()) {
      int n = shards[e.shard()].read(bb, at + bb.position());
      if (n < 0) throw new CorruptSampleException(shard, what, null, at + bb.position(), "shard ends inside the block");
    }
    long declared = Zstd.getFrameContentSize(src);
    if (declared != e.uncompressedLen()) {
      throw new CorruptSampleException(shard, what, null, at, "zstd frame declares " + declared + " bytes, index says " + e.uncompressedLen());
    }
    byte[] plain = new byte[e.uncompressedLen()];
    int n;
    try {
      n = contexts.get().decompressByteArray(plain, 0, plain.length, src, 0, src.length);
    } catch (ZstdException x) {
      throw new CorruptSampleException(shard, what, null, at, "zstd block does not decompress: " + x.getMessage(), x);
    }
    if (n != plain.length) {
      throw new CorruptSampleException(shard, what, null, at, "zstd block decompresses to " + n + " of " + plain.length + " bytes");
    }
    ByteBuffer p = ByteBuffer.wrap(plain).order(ByteOrder.LITTLE_ENDIAN);
    if (plain.length < 4 || p.getInt(0) != e.count() || 4 + 4L * e.count() > plain.length) {
      throw new CorruptSampleException(shard, what, null, at, "block table does not hold the " + e.count() + " samples the index says");
    }
    int[] ends = new int[e.count()];
    int table = 4 + 4 * e.count();
    int prev = 0;
    for (int k = 0; k < ends.length; k++) {
      ends[k] = p.getInt(4 + 4 * k);
      if (ends[k] < prev || ends[k] > plain.length - table) {
        throw new CorruptSampleException(shard, what, null, at, "sample " + k + " of the block ends at " + ends[k] + ", outside the block");
      }
      prev = ends[k];
    }
    if (prev != plain.length - table) throw new CorruptSampleException(shard, what, null, at, "block has bytes after its last sample");
    return new Cached(b, plain, ends);
  }

  @Override
  public void close() throws IOException {
    if (closed) return;
    closed = true;
    IOException first = null;
    for (FileChannel c : shards) {
      try { c.close(); } catch (IOException e) { if (first == null) first = e; }
    }
    allContexts.forEach(ZstdDecompressCtx::close);
    if (dict != null) dict.close();
    if (first != null) throw first;
  }

  // ---- index ----

  private record Parsed(String name, String version, long samples, int shardCount, BlockEntry[] blocks, byte[] dict) {}

  static byte[] encodeIndex(String name, String version, int shardCount, long samples, List<BlockEntry> blocks, byte[] dict) {
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    byte[] v = version.getBytes(StandardCharsets.UTF_8);
    int size = 8 + 4 + 8 + 4 + 4 + 4 + 2 + n.length + 2 + v.length + dict.length + BLOCK_ENTRY_SIZE * blocks.size() + 4;
    ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).putInt(VERSION).putLong(samples).putInt(shardCount).putInt(blocks.size()).putInt(dict.length);
    b.putShort((short) n.length).put(n).putShort((short) v.length).put(v).put(dict);
    for (BlockEntry e : blocks) {
      b.putInt(e.shard()).putLong(e.offset()).putInt(e.compressedLen()).putInt(e.uncompressedLen()).putLong(e.firstSample()).putInt(e.count());
    }
    var crc = new CRC32();
    crc.update(b.array(), 0, b.position());
    b.putInt((int) crc.getValue());
    return b.array();
  }

  private static Parsed parseIndex(byte[] bytes, String where) throws CorruptSampleException {
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (bytes.length < 8 + 4 + 8 + 4 + 4 + 4 + 2 + 2 + 4 || !Arrays.equals(bytes, 0, 8, MAGIC, 0, 8)) {
      throw new CorruptSampleException(where, null, null, 0, "not a block dataset index (bad magic or too short)");
    }
    var crc = new CRC32();
    crc.update(bytes, 0, bytes.length - 4);
    if ((int) crc.getValue() != b.getInt(bytes.length - 4)) {
      throw new CorruptSampleException(where, null, null, bytes.length - 4, "index checksum mismatch");
    }
    b.position(8);
    int version = b.getInt();
    if (version != VERSION) throw new CorruptSampleException(where, null, null, 8, "index version " + version + " not supported (expected " + VERSION + ")");
    long samples = b.getLong();
    int shardCount = b.getInt();
    int blockCount = b.getInt();
    int dictLen = b.getInt();
    int end = bytes.length - 4;
    if (shardCount < 0 || shardCount > 1_000_000 || blockCount < 0 || dictLen < 0 || samples < 0) {
      throw new CorruptSampleException(where, null, null, 20, "negative or absurd counts in the index header");
    }
    String name = string(b, end, where);
    String ver = string(b, end, where);
    if ((long) dictLen + (long) blockCount * BLOCK_ENTRY_SIZE != end - b.position()) {
      throw new CorruptSampleException(where, null, null, b.position(), "index holds " + (end - b.position())
          + " bytes for a " + dictLen + "-byte dictionary and " + blockCount + " block entries");
    }
    byte[] dict = new byte[dictLen];
    b.get(dict);
    BlockEntry[] blocks = new BlockEntry[blockCount];
    long next = 0;
    for (int i = 0; i < blockCount; i++) {
      int at = b.position();
      var e = new BlockEntry(b.getInt(), b.getLong(), b.getInt(), b.getInt(), b.getLong(), b.getInt());
      if (e.shard() < 0 || e.shard() >= shardCount || e.offset() < 0 || e.compressedLen() <= 0
          || e.uncompressedLen() < 4 || e.uncompressedLen() > MAX_BLOCK_BYTES || e.count() < 1 || e.count() > MAX_BLOCK_SAMPLES
          || e.firstSample() != next) {
        throw new CorruptSampleException(where, "block " + i, null, at, "invalid block entry " + e);
      }
      next += e.count();
      blocks[i] = e;
    }
    if (next != samples) throw new CorruptSampleException(where, null, null, -1, "blocks hold " + next + " samples, header says " + samples);
    return new Parsed(name, ver, samples, shardCount, blocks, dict);
  }

  private static String string(ByteBuffer b, int end, String where) throws CorruptSampleException {
    if (b.position() + 2 > end) throw new CorruptSampleException(where, null, null, b.position(), "index truncated");
    int n = b.getShort() & 0xffff;
    if (b.position() + n > end) throw new CorruptSampleException(where, null, null, b.position(), "string of " + n + " bytes runs past the index");
    byte[] s = new byte[n];
    b.get(s);
    return new String(s, StandardCharsets.UTF_8);
  }
}
