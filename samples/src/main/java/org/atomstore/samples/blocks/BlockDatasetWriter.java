package org.atomstore.samples.blocks;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdDictCompress;
import com.github.luben.zstd.ZstdDictTrainer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.atomstore.samples.SampleType;

/**
 * Writes a block-compressed random-access dataset (torch-atlas-ds's design in Atomstore's own layout): samples are
 * packed (atdata msgpack), grouped into blocks of {@code blockSize} samples, each block compressed with zstd
 * (optionally with a dictionary trained on the first samples), blocks appended to shard files of at most
 * {@code shardBytes}, and one index records where each block is. See {@link BlockDataset} for the layout.
 *
 * <p>Everything is written under temporary names and renamed into place by {@link #close()}, the index last, so
 * a directory with an index always holds a complete dataset. A writer belongs to one thread.
 *
 * @param <T> the sample record type
 */
public final class BlockDatasetWriter<T extends Record> implements AutoCloseable {
  private final SampleType<T> type;
  private final Path dir;
  private final int blockSize;
  private final long shardBytes;
  private final int level;
  private final boolean dictionary;
  private final int dictionarySamples;
  private final List<byte[]> pending = new ArrayList<>();
  private final List<BlockDataset.BlockEntry> blocks = new ArrayList<>();
  private final List<Path> tmpShards = new ArrayList<>();
  private byte[] dict;
  private ZstdDictCompress dictCompress;
  private FileChannel shard;
  private long shardSize;
  private long count;
  private long written;
  private boolean closed;

  private BlockDatasetWriter(SampleType<T> type, Path dir, int blockSize, long shardBytes, int level, boolean dictionary,
      int dictionarySamples) {
    this.type = type;
    this.dir = dir;
    this.blockSize = blockSize;
    this.shardBytes = shardBytes;
    this.level = level;
    this.dictionary = dictionary;
    this.dictionarySamples = dictionarySamples;
  }

  /**
   * A writer into directory {@code dir} (created; must not already hold a dataset).
   *
   * @param blockSize samples per block (1 to 65,536)
   * @param dictionary whether to train a zstd dictionary on the first samples
   */
  public static <T extends Record> BlockDatasetWriter<T> create(SampleType<T> type, Path dir, int blockSize, boolean dictionary)
      throws IOException {
    return create(type, dir, blockSize, dictionary, 1L << 30, 3);
  }

  /** As {@link #create(SampleType, Path, int, boolean)} with the shard size limit and zstd level. */
  public static <T extends Record> BlockDatasetWriter<T> create(SampleType<T> type, Path dir, int blockSize, boolean dictionary,
      long shardBytes, int level) throws IOException {
    if (blockSize < 1 || blockSize > BlockDataset.MAX_BLOCK_SAMPLES) throw new IllegalArgumentException("block size out of range: " + blockSize);
    if (shardBytes < 1) throw new IllegalArgumentException("shard size must be positive");
    Files.createDirectories(dir);
    if (Files.exists(dir.resolve(BlockDataset.INDEX))) throw new IllegalArgumentException("a block dataset already exists in " + dir);
    return new BlockDatasetWriter<>(type, dir, blockSize, shardBytes, level, dictionary, Math.max(blockSize * 8, 2000));
  }

  /** Appends one sample. */
  public void add(T sample) throws IOException {
    addRaw(type.encode(sample));
  }

  /** Appends one sample's packed bytes. */
  public void addRaw(byte[] msgpack) throws IOException {
    if (closed) throw new IllegalStateException("writer closed");
    if (msgpack.length > BlockDataset.MAX_BLOCK_BYTES) throw new IllegalArgumentException("sample of " + msgpack.length + " bytes is too large");
    pending.add(msgpack);
    count++;
    // With a dictionary, samples wait until enough are seen to train it; then blocks flow as usual.
    int hold = dictionary && dict == null ? dictionarySamples : blockSize;
    if (pending.size() >= hold) drain(false);
  }

  private void drain(boolean all) throws IOException {
    if (dictionary && dict == null) train();
    int i = 0;
    while (pending.size() - i >= blockSize || all && i < pending.size()) {
      int n = Math.min(blockSize, pending.size() - i);
      writeBlock(pending.subList(i, i + n));
      i += n;
    }
    pending.subList(0, i).clear();
  }

  private void train() {
    long total = 0;
    for (byte[] b : pending) total += b.length;
    int dictSize = (int) Math.min(112 * 1024, Math.max(4096, total / 10));
    var trainer = new ZstdDictTrainer((int) Math.min(Integer.MAX_VALUE - 8, total + 1024), dictSize);
    for (byte[] b : pending) trainer.addSample(b);
    try {
      dict = trainer.trainSamples();
    } catch (RuntimeException e) {
      // Too few or too uniform samples to train on: blocks are compressed without a dictionary.
      dict = new byte[0];
    }
  }

  private void writeBlock(List<byte[]> samples) throws IOException {
    // Block --> count:u32le, ends:u32le[count] (cumulative end of each sample after the table), samples
    int table = 4 + 4 * samples.size();
    int size = table;
    for (byte[] b : samples) size = Math.addExact(size, b.length);
    ByteBuffer raw = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    raw.putInt(samples.size());
    int end = 0;
    for (byte[] b : samples) raw.putInt(end += b.length);
    for (byte[] b : samples) raw.put(b);
    byte[] plain = raw.array();
    byte[] packed;
    if (dict != null && dict.length > 0) {
      if (dictCompress == null) dictCompress = new ZstdDictCompress(dict, level);
      byte[] dst = new byte[(int) Zstd.compressBound(plain.length)];
      long n = Zstd.compressFastDict(dst, 0, plain, 0, plain.length, dictCompress);
      if (Zstd.isError(n)) throw new IOException("zstd: " + Zstd.getErrorName(n));
      packed = java.util.Arrays.copyOf(dst, (int) n);
    } else {
      packed = Zstd.compress(plain, level);
    }
    if (shard == null || shardSize + packed.length > shardBytes && shardSize > 0) startShard();
    long offset = shardSize;
    ByteBuffer bb = ByteBuffer.wrap(packed);
    while (bb.hasRemaining()) shard.write(bb);
    shardSize += packed.length;
    long first = written;
    written += samples.size();
    blocks.add(new BlockDataset.BlockEntry(tmpShards.size() - 1, offset, packed.length, plain.length, first, samples.size()));
  }


  private void startShard() throws IOException {
    if (shard != null) shard.close();
    Path tmp = dir.resolve(BlockDataset.shardName(tmpShards.size()) + ".tmp");
    shard = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    tmpShards.add(tmp);
    shardSize = 0;
  }

  /** The number of samples added. */
  public long count() { return count; }

  /** Writes the last block, the dictionary and the index, and publishes the dataset; idempotent. */
  @Override
  public void close() throws IOException {
    if (closed) return;
    closed = true;
    drain(true);
    if (shard != null) {
      shard.force(true);
      shard.close();
    }
    if (dictCompress != null) dictCompress.close();
    for (int i = 0; i < tmpShards.size(); i++) {
      Files.move(tmpShards.get(i), dir.resolve(BlockDataset.shardName(i)), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
    byte[] d = dict == null ? new byte[0] : dict;
    Path tmpIndex = dir.resolve(BlockDataset.INDEX + ".tmp");
    try (OutputStream out = Files.newOutputStream(tmpIndex)) {
      out.write(BlockDataset.encodeIndex(type.name(), type.version(), tmpShards.size(), count, blocks, d));
    }
    Files.move(tmpIndex, dir.resolve(BlockDataset.INDEX), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
