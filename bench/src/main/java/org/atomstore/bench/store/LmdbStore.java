package org.atomstore.bench.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.atomstore.bench.BenchStore;
import org.atomstore.bench.DatasetSpec;
import org.atomstore.bench.MoleculeBatch;
import org.lmdbjava.ByteArrayProxy;
import org.lmdbjava.CursorIterable;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.KeyRange;
import org.lmdbjava.Txn;

/**
 * LMDB through lmdbjava, as fairchem's OC20/OMAT24 datasets and Atompack's "LMDB packed" baseline use it:
 * one {@link PackedRecord} per molecule under an 8-byte big-endian key, one write transaction per batch
 * (durable commits, LMDB's default).
 *
 * <p>Values come out of LMDB's memory map as {@code byte[]} copies (lmdbjava's byte-array proxy), as
 * py-lmdb's {@code txn.get} hands them to the Python baseline. lmdbjava's zero-copy ByteBuffer proxy would
 * need {@code --add-opens java.base/java.nio} on Java 25, which the launcher does not grant.
 */
final class LmdbStore implements BenchStore {
  private static final long MAP_SLACK = 256L << 20;
  private static final long PAGE = 4096;

  private final Path dir;
  private final DatasetSpec spec;
  private Env<byte[]> env;
  private Dbi<byte[]> db;
  private ByteBuffer value;
  private boolean closed;

  LmdbStore(Path dir, DatasetSpec spec) {
    this.dir = dir;
    this.spec = spec;
  }

  @Override public String id() { return "lmdb"; }

  @Override
  public String description() { return "LMDB (lmdbjava), one packed binary record per molecule"; }

  @Override
  public void write(MoleculeBatch batch) throws IOException {
    ensureOpen();
    int recordSize = PackedRecord.size(batch.atoms(), batch.hasProps(), batch.hasCustom());
    if (value == null || value.capacity() != recordSize) value = ByteBuffer.allocate(recordSize);
    try (Txn<byte[]> txn = env.txnWrite()) {
      for (int k = 0; k < batch.count(); k++) {
        value.clear();
        PackedRecord.encode(batch, k, value);
        db.put(txn, key(batch.firstId() + k), value.array());
      }
      txn.commit();
    }
  }

  private void ensureOpen() throws IOException {
    if (closed) throw new IllegalStateException("store closed: " + id());
    if (env != null) return;
    Files.createDirectories(dir);
    // Plain puts of ascending keys split leaf pages in half, so a record can cost a whole page (or its
    // overflow pages); the map is only reserved address space, the file grows with what is used.
    long recordBytes = PackedRecord.size(spec.atoms(), spec.withProps(), spec.withCustom()) + 64L;
    long pages = (recordBytes + PAGE - 1) / PAGE + 1;
    long mapSize = MAP_SLACK + 2 * pages * PAGE * spec.molecules();
    env = Env.create(ByteArrayProxy.PROXY_BA).setMapSize(mapSize).setMaxDbs(1).setMaxReaders(256).open(dir.toFile());
    db = env.openDbi("molecules", DbiFlags.MDB_CREATE);
  }

  @Override
  public void commit() throws IOException {
    ensureOpen();
    env.sync(true);
  }

  @Override
  public long sizeOnDisk() throws IOException { return Stores.directorySize(dir); }

  @Override
  public void readSequential(MoleculeSink sink) throws IOException {
    ensureOpen();
    try (Txn<byte[]> txn = env.txnRead(); CursorIterable<byte[]> it = db.iterate(txn, KeyRange.all())) {
      for (var kv : it) {
        long i = ByteBuffer.wrap(kv.key()).getLong();
        sink.accept(i, PackedRecord.decode(ByteBuffer.wrap(kv.val()), "lmdb key " + i));
      }
    }
  }

  @Override
  public void readShuffled(long[] order, int from, int to, MoleculeSink sink) throws IOException {
    ensureOpen();
    try (Txn<byte[]> txn = env.txnRead()) {
      for (int p = from; p < to; p++) {
        long i = order[p];
        sink.accept(i, PackedRecord.decode(lookup(txn, i), "lmdb key " + i));
      }
    }
  }

  @Override
  public double readEnergy(long[] order, int from, int to) throws IOException {
    ensureOpen();
    double sum = 0;
    try (Txn<byte[]> txn = env.txnRead()) {
      for (int p = from; p < to; p++) sum += PackedRecord.decodeEnergy(lookup(txn, order[p]), "lmdb");
    }
    return sum;
  }

  private ByteBuffer lookup(Txn<byte[]> txn, long i) throws IOException {
    byte[] v = db.get(txn, key(i));
    if (v == null) throw new IOException("lmdb has no molecule " + i + " in " + dir);
    return ByteBuffer.wrap(v);
  }

  private static byte[] key(long i) {
    return ByteBuffer.allocate(Long.BYTES).order(ByteOrder.BIG_ENDIAN).putLong(i).array();
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    if (env != null) env.close();
  }
}
