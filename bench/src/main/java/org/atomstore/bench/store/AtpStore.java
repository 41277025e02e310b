package org.atomstore.bench.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.atomstore.bench.BenchStore;
import org.atomstore.bench.DatasetSpec;
import org.atomstore.bench.MoleculeBatch;
import org.atomstore.codec.Compression;
import org.atomstore.store.AtpReader;
import org.atomstore.store.AtpWriter;
import org.atomstore.store.FieldSet;

/**
 * Atomstore's own {@code .atp} file with one compression: batches go through {@link AtpWriter#addBatch}
 * (stacked arrays, no per-molecule objects), one flush at the end as the reference benchmark does; reads
 * through one shared memory-mapped {@link AtpReader}, {@code get(i)} per molecule and a field projection for
 * energy-only reads.
 */
final class AtpStore implements BenchStore {
  private static final String FILE = "molecules.atp";
  private static final FieldSet ENERGY = FieldSet.of("energy");

  private final Path dir;
  private final Path file;
  private final Compression compression;
  private AtpWriter writer;
  private AtpReader reader;
  private boolean closed;

  private AtpStore(Path dir, Compression compression) {
    this.dir = dir;
    this.file = dir.resolve(FILE);
    this.compression = compression;
  }

  static AtpStore create(String compression, Path dir, DatasetSpec spec) {
    return new AtpStore(dir, Compression.parse(compression));
  }

  @Override public String id() { return "atp-" + compression; }

  @Override
  public String description() { return "Atomstore .atp, compression " + compression + ", mmap reader"; }

  @Override
  public void write(MoleculeBatch batch) throws IOException {
    if (closed) throw new IllegalStateException("store closed: " + id());
    if (writer == null) {
      Files.createDirectories(dir);
      writer = AtpWriter.create(file, compression);
    }
    writer.addBatch(AtpBatches.stacked(batch));
  }

  @Override
  public void commit() throws IOException {
    if (writer != null) {
      writer.close();
      writer = null;
    }
  }

  @Override
  public long sizeOnDisk() throws IOException { return Stores.directorySize(dir); }

  private synchronized AtpReader reader() throws IOException {
    if (closed) throw new IllegalStateException("store closed: " + id());
    if (reader == null) reader = AtpReader.open(file);
    return reader;
  }

  @Override
  public void readSequential(MoleculeSink sink) throws IOException {
    AtpReader r = reader();
    long n = r.size();
    for (long i = 0; i < n; i++) sink.accept(i, AtpBatches.toBench(r.get(i)));
  }

  @Override
  public void readShuffled(long[] order, int from, int to, MoleculeSink sink) throws IOException {
    AtpReader r = reader();
    for (int p = from; p < to; p++) sink.accept(order[p], AtpBatches.toBench(r.get(order[p])));
  }

  @Override
  public double readEnergy(long[] order, int from, int to) throws IOException {
    AtpReader r = reader();
    double sum = 0;
    for (int p = from; p < to; p++) sum += r.get(order[p], ENERGY).energyAsDouble();
    return sum;
  }

  @Override
  public synchronized void close() throws IOException {
    if (closed) return;
    closed = true;
    try {
      if (writer != null) writer.close();
    } finally {
      if (reader != null) reader.close();
    }
  }
}
