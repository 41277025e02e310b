package org.atomstore.loader;

import java.io.IOException;

/**
 * What a {@link Loader} reads from: a dataset of {@link #size()} molecules that turns a list of global
 * indices into one batch. {@link #read} is called from several worker threads at once and must be
 * thread-safe; the indices array belongs to the call and may be kept.
 *
 * @param <T> the batch type, e.g. {@code FlatBatch}
 */
public interface BatchSource<T> {

  long size();

  /** Cumulative shard sizes {@code [0, ..., size()]}, used by the block shuffle; one shard by default. */
  default long[] shardStarts() {
    return new long[] {0, size()};
  }

  /** Reads the molecules at {@code indices}, in that order, as one batch. */
  T read(long[] indices) throws IOException;

  /** A source backed by a function; for tests and adapters. */
  static <T> BatchSource<T> of(long size, Reader<T> reader) {
    return new BatchSource<>() {
      @Override
      public long size() { return size; }

      @Override
      public T read(long[] indices) throws IOException {
        return reader.read(indices);
      }
    };
  }

  /** The read function alone. */
  @FunctionalInterface
  interface Reader<T> {
    T read(long[] indices) throws IOException;
  }
}
