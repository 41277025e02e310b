package org.atomstore.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import org.atomstore.data.internal.Prefetch;

/**
 * A lazy view of some rows of an {@link ObjectTable}: all of them, a range or a list of indices, and views of
 * views ({@link #range}, {@link #select}); nothing is read until asked. Column views ({@link #column}) read one
 * key of every row in the view; projections ({@link #get(long, Collection)}) read only the keys asked for;
 * {@link #chunks} reads a chunk at a time; the {@code *Async} variants run on virtual threads, and
 * {@link #iterateAsync} keeps several reads in flight. Positions in a view run from 0 to {@link #size()} - 1.
 *
 * <p>Immutable; shareable by any number of threads as far as the table's reads are. Does not own the table.
 */
public final class RowView implements Iterable<Map<String, Object>> {
  private final ObjectTable table;
  private final Positions at;

  private RowView(ObjectTable table, Positions at) {
    this.table = table;
    this.at = at;
  }

  /** Every row of {@code table} (as many as it has now). */
  public static RowView of(ObjectTable table) throws IOException {
    return new RowView(table, Positions.all(table.size()));
  }

  public ObjectTable table() { return table; }

  public long size() { return at.length(); }

  /** The table index of view position {@code k}. */
  public long index(long k) {
    return at.index(k);
  }

  /** Positions {@code [from, to)} of this view. */
  public RowView range(long from, long to) {
    return new RowView(table, at.range(from, to));
  }

  /** The given positions of this view, in that order (repeats allowed). */
  public RowView select(long... positions) {
    return new RowView(table, at.select(positions));
  }

  /** Every {@code step}-th position of {@code [from, to)}, Python's {@code view[from:to:step]} for step > 0. */
  public RowView slice(long from, long to, long step) {
    return new RowView(table, at.slice(from, to, step));
  }

  /** The row at view position {@code k}; null for a placeholder. */
  public Map<String, Object> get(long k) throws IOException {
    return table.get(index(k));
  }

  /** Only {@code keys} of the row at view position {@code k}, read without its other fields where the backend can. */
  public Map<String, Object> get(long k, Collection<String> keys) throws IOException {
    return table.get(index(k), keys);
  }

  /** Every row of the view, read now. */
  public List<Map<String, Object>> toList() throws IOException {
    List<Map<String, Object>> out = new ArrayList<>((int) at.length());
    for (long k = 0; k < at.length(); k++) out.add(get(k));
    return out;
  }

  /** The values of {@code key} over the view (see {@link Column}). */
  public Column column(String key) throws IOException {
    Object[] values = new Object[Math.toIntExact(at.length())];
    List<String> only = List.of(key);
    for (int k = 0; k < values.length; k++) {
      Map<String, Object> row = table.get(index(k), only);
      values[k] = row == null ? null : row.get(key);
    }
    return new Column(key, values);
  }

  /** Reads the view {@code size} rows at a time; the last chunk may be shorter. */
  public Iterable<List<Map<String, Object>>> chunks(int size) {
    if (size <= 0) throw new IllegalArgumentException("chunk size must be positive: " + size);
    return () -> new Iterator<>() {
      long next;

      @Override
      public boolean hasNext() { return next < at.length(); }

      @Override
      public List<Map<String, Object>> next() {
        if (!hasNext()) throw new NoSuchElementException();
        long end = Math.min(at.length(), next + size);
        try {
          List<Map<String, Object>> out = range(next, end).toList();
          next = end;
          return out;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
  }

  /** Rows in view order; an {@link IOException} surfaces as {@link UncheckedIOException}. */
  @Override
  public Iterator<Map<String, Object>> iterator() {
    return new Iterator<>() {
      long next;

      @Override
      public boolean hasNext() { return next < at.length(); }

      @Override
      public Map<String, Object> next() {
        if (!hasNext()) throw new NoSuchElementException();
        try {
          return get(next++);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
  }

  /** {@link #get(long)} on a virtual thread; an IOException completes the future exceptionally. */
  public CompletableFuture<Map<String, Object>> getAsync(long k) {
    long i = index(k);
    return Prefetch.async(() -> table.get(i));
  }

  /** {@link #get(long, Collection)} on a virtual thread. */
  public CompletableFuture<Map<String, Object>> getAsync(long k, Collection<String> keys) {
    long i = index(k);
    return Prefetch.async(() -> table.get(i, keys));
  }

  /** {@link #toList()} with one virtual thread per row. */
  public CompletableFuture<List<Map<String, Object>>> toListAsync() {
    List<CompletableFuture<Map<String, Object>>> parts = new ArrayList<>((int) at.length());
    for (long k = 0; k < at.length(); k++) parts.add(getAsync(k));
    return CompletableFuture.allOf(parts.toArray(new CompletableFuture[0]))
        .thenApply(v -> parts.stream().map(CompletableFuture::join).toList());
  }

  /** {@link #column} on a virtual thread. */
  public CompletableFuture<Column> columnAsync(String key) {
    return Prefetch.async(() -> column(key));
  }

  /**
   * Rows in view order with up to {@code inFlight} reads running at once on virtual threads (for slow or remote
   * backends). An {@link IOException} surfaces as {@link UncheckedIOException} at the row it belongs to.
   */
  public Iterator<Map<String, Object>> iterateAsync(int inFlight) {
    return Prefetch.iterate(at.length(), inFlight, this::getAsync, table.source());
  }
}
