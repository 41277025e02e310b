package org.atomstore.bench;

import java.io.IOException;

/**
 * One storage layer under comparison, holding one synthetic dataset in its own directory.
 *
 * <p>Life cycle: {@link #write} batches in id order (the first call creates the files), then {@link #commit}
 * once, then any number of reads. Writing belongs to one thread. After {@code commit} the read methods may be
 * called from several threads at once: each call opens its own cursor, transaction or connection.
 * Every read decodes whole molecules into {@link BenchMolecule} arrays (or, for {@link #readEnergy}, only the
 * energy) so the stores do comparable work.
 */
public interface BenchStore extends AutoCloseable {

  /** Short stable name used in tables and file names, e.g. {@code atp-zstd:3}, {@code lmdb}. */
  String id();

  /** One line saying what is stored how. */
  String description();

  void write(MoleculeBatch batch) throws IOException;

  /** Makes everything written durable and readable; ends writing. */
  void commit() throws IOException;

  /** Bytes on disk of every file the store uses. */
  long sizeOnDisk() throws IOException;

  /** Reads every molecule in storage order. */
  void readSequential(MoleculeSink sink) throws IOException;

  /** Reads the molecules {@code order[from..to)} in that order, one at a time. */
  void readShuffled(long[] order, int from, int to, MoleculeSink sink) throws IOException;

  /** Reads only the energy of the molecules {@code order[from..to)}; returns their sum. */
  double readEnergy(long[] order, int from, int to) throws IOException;

  /** Closes everything; idempotent. */
  @Override
  void close() throws IOException;

  /** Receives decoded molecules. */
  @FunctionalInterface
  interface MoleculeSink {
    void accept(long index, BenchMolecule molecule);
  }
}
