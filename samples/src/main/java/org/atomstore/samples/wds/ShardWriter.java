package org.atomstore.samples.wds;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.atomstore.samples.SampleType;
import org.atomstore.source.ObjectStore;

/**
 * Writes typed samples as WebDataset tar shards the way atdata's {@code write_samples} does (webdataset's
 * {@code TarWriter} / {@code ShardWriter}): one {@code {__key__}.msgpack} member per sample, PAX tar with a
 * fractional {@code mtime} record, mode 0444, uid/gid 0, owner {@code bigdata}, padded to 10,240 bytes.
 *
 * <p>The destination is a name pattern: with {@code %d}-style conversions ({@code out-%06d.tar}) the writer
 * starts a new shard after {@code maxCount} samples or once {@code maxSize} payload bytes are written (as
 * webdataset's {@code ShardWriter}: checked before each sample, no empty trailing shard); without, one shard.
 * Each shard is written under a temporary name and moved (or uploaded) into place when complete, so a reader
 * never sees a half-written shard.
 *
 * <p>A writer belongs to one thread.
 *
 * @param <T> the sample record type
 */
public final class ShardWriter<T extends Record> implements AutoCloseable {
  private static final AtomicLong LAST_UUID_TIME = new AtomicLong();
  private static final long UUID_EPOCH_OFFSET = 0x01B21DD213814000L;

  private final SampleType<T> type;
  private final String pattern;
  private final Path dir;
  private final ObjectStore store;
  private final long maxCount;
  private final long maxSize;
  private final List<String> written = new ArrayList<>();
  private int shardIndex;
  private Path tmp;
  private TarArchiveOutputStream tar;
  private long count;
  private long size;
  private boolean closed;

  private ShardWriter(SampleType<T> type, String pattern, Path dir, ObjectStore store, long maxCount, long maxSize) {
    this.type = Objects.requireNonNull(type, "type");
    this.pattern = Objects.requireNonNull(pattern, "pattern");
    this.dir = dir;
    this.store = store;
    if (maxCount <= 0 || maxSize <= 0) throw new IllegalArgumentException("maxCount and maxSize must be positive");
    boolean rolls = pattern.contains("%");
    if (!rolls && (maxCount != Long.MAX_VALUE || maxSize != Long.MAX_VALUE)) {
      throw new IllegalArgumentException("rollover needs a pattern with a %d conversion: " + pattern);
    }
    this.maxCount = maxCount;
    this.maxSize = maxSize;
  }

  /**
   * A writer of local shards: {@code pattern} is a path, {@code data/train-%06d.tar} or {@code one.tar}.
   *
   * @param maxCount samples per shard ({@code Long.MAX_VALUE} for no limit)
   * @param maxSize payload bytes after which a shard is closed ({@code Long.MAX_VALUE} for no limit)
   */
  public static <T extends Record> ShardWriter<T> local(SampleType<T> type, Path pattern, long maxCount, long maxSize) {
    Path parent = pattern.toAbsolutePath().getParent();
    return new ShardWriter<>(type, pattern.getFileName().toString(), parent, null, maxCount, maxSize);
  }

  /** A writer of shards into an object store: {@code pattern} is a blob name pattern. */
  public static <T extends Record> ShardWriter<T> toStore(SampleType<T> type, ObjectStore store, String pattern, long maxCount,
      long maxSize) {
    if (!store.writable()) throw new IllegalArgumentException("object store " + store.address() + " is read-only");
    return new ShardWriter<>(type, pattern, null, store, maxCount, maxSize);
  }

  /** Writes {@code sample} under a fresh time-based key (atdata's {@code uuid.uuid1(0, 0)}); returns the key. */
  public String write(T sample) throws IOException {
    String key = uuid1();
    write(key, sample);
    return key;
  }

  /** Writes {@code sample} as member {@code {key}.msgpack}. */
  public void write(String key, T sample) throws IOException {
    writeRaw(key, type.encode(sample));
  }

  /** Writes already packed sample bytes as member {@code {key}.msgpack}. */
  public void writeRaw(String key, byte[] msgpack) throws IOException {
    if (closed) throw new IllegalStateException("writer closed");
    if (key.isEmpty() || key.contains("..") || key.startsWith("/") || key.indexOf('.', key.lastIndexOf('/') + 1) >= 0) {
      throw new IllegalArgumentException("bad sample key: " + key);
    }
    if (tar != null && (count >= maxCount || size >= maxSize)) finishShard();
    if (tar == null) startShard();
    Instant now = Instant.now();
    var e = new TarArchiveEntry(key + ".msgpack", true);
    e.setSize(msgpack.length);
    e.setMode(0444);
    e.setIds(0, 0);
    e.setNames("bigdata", "bigdata");
    // Python's tarfile writes the float mtime as a PAX record (webdataset passes time.time()); commons-compress
    // does the same for a sub-second time in POSIX big-number mode.
    e.setLastModifiedTime(java.nio.file.attribute.FileTime.from(now.truncatedTo(java.time.temporal.ChronoUnit.MICROS)));
    tar.putArchiveEntry(e);
    tar.write(msgpack);
    tar.closeArchiveEntry();
    count++;
    size += msgpack.length;
  }

  /** The shards completed so far (paths or blob names), in order. */
  public List<String> shards() { return List.copyOf(written); }

  /** Finishes the last shard; idempotent. */
  @Override
  public void close() throws IOException {
    if (closed) return;
    closed = true;
    if (tar != null) finishShard();
  }

  private String shardName() {
    return pattern.contains("%") ? String.format(pattern, shardIndex) : pattern;
  }

  private void startShard() throws IOException {
    Path at = dir != null ? dir : Path.of(System.getProperty("java.io.tmpdir"));
    Files.createDirectories(at);
    tmp = Files.createTempFile(at, ".wds-", ".tmp");
    // Shards are ordinary files (createTempFile makes them owner-only).
    if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
      Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    }
    OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
    tar = new TarArchiveOutputStream(out, 10240);
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    tar.setAddPaxHeadersForNonAsciiNames(true);
    count = 0;
    size = 0;
  }

  private void finishShard() throws IOException {
    String name = shardName();
    try {
      tar.finish();
      tar.close();
      tar = null;
      if (store != null) {
        store.write(name, tmp);
        Files.deleteIfExists(tmp);
        written.add(name);
      } else {
        Path target = dir.resolve(name);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        written.add(target.toString());
      }
    } finally {
      if (tar != null) {
        try { tar.close(); } catch (IOException ignored) { /* the first failure is the one reported */ }
        tar = null;
      }
      Files.deleteIfExists(tmp);
      shardIndex++;
    }
  }

  /** A version-1 UUID with node 0 and clock sequence 0, as atdata's {@code uuid.uuid1(0, 0)}; unique per JVM. */
  public static String uuid1() {
    long t = Instant.now().toEpochMilli() * 10_000L + UUID_EPOCH_OFFSET;
    long ts = LAST_UUID_TIME.accumulateAndGet(t, (last, now) -> now > last ? now : last + 1);
    long timeLow = ts & 0xffffffffL;
    long timeMid = (ts >>> 32) & 0xffff;
    long timeHi = ((ts >>> 48) & 0x0fff) | 0x1000;
    return String.format("%08x-%04x-%04x-8000-000000000000", timeLow, timeMid, timeHi);
  }
}
