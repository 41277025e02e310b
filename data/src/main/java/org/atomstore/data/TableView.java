package org.atomstore.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import org.atomstore.data.internal.Prefetch;
import org.atomstore.model.BuiltinField;
import org.atomstore.model.Molecule;
import org.atomstore.model.Value;
import org.atomstore.store.FieldSet;
import org.atomstore.store.FlatBatch;
import org.atomstore.table.Table;

/**
 * A lazy view of some rows of any {@link Table} (the molecule tier), as {@link RowView} is of an object table:
 * ranges, index lists and views of views; columns of one field ({@code column("energy")}) read with that field's
 * projection; chunked iteration; reads on virtual threads and an async iteration with several reads in flight.
 *
 * <p>Immutable; shareable as far as the table's reads are. Does not own the table.
 */
public final class TableView implements Iterable<Molecule> {
  private final Table table;
  private final Positions at;

  private TableView(Table table, Positions at) {
    this.table = table;
    this.at = at;
  }

  /** Every row of {@code table} (as many as it has now). */
  public static TableView of(Table table) throws IOException {
    return new TableView(table, Positions.all(table.size()));
  }

  public Table table() { return table; }

  public long size() { return at.length(); }

  /** The table index of view position {@code k}. */
  public long index(long k) {
    return at.index(k);
  }

  /** The table indices of the whole view. */
  public long[] indices() {
    return at.indices();
  }

  /** Positions {@code [from, to)} of this view. */
  public TableView range(long from, long to) {
    return new TableView(table, at.range(from, to));
  }

  /** The given positions of this view, in that order (repeats allowed). */
  public TableView select(long... positions) {
    return new TableView(table, at.select(positions));
  }

  /** Every {@code step}-th position of {@code [from, to)} (step > 0). */
  public TableView slice(long from, long to, long step) {
    return new TableView(table, at.slice(from, to, step));
  }

  public Molecule get(long k) throws IOException { return table.get(index(k)); }

  /** Only {@code fields} of the row at view position {@code k}. */
  public Molecule get(long k, FieldSet fields) throws IOException { return table.get(index(k), fields); }

  /** Every row of the view, read now. */
  public List<Molecule> toList() throws IOException { return table.get(indices(), FieldSet.ALL); }

  /** The view as one flat batch. */
  public FlatBatch readBatch(FieldSet fields, boolean float64) throws IOException {
    return table.readBatch(indices(), fields, float64);
  }

  /**
   * The values of one field over the view, read with that field's projection: a builtin ({@code energy} as
   * {@link Double}, {@code name} as {@link String}, others as their {@link Value}) or a custom property (Int64 and
   * Float64 as {@link Long}/{@link Double}, Text as {@link String}, others as their {@link Value}).
   */
  public Column column(String field) throws IOException {
    FieldSet fs = FieldSet.of(field);
    List<Molecule> rows = table.get(indices(), fs);
    Object[] out = new Object[rows.size()];
    BuiltinField b = BuiltinField.section(field);
    for (int k = 0; k < out.length; k++) {
      Molecule m = rows.get(k);
      if (m == null) continue;
      Value v = b != null ? m.builtin(b) : m.properties().containsKey(field) ? m.properties().get(field) : m.atomProperties().get(field);
      out[k] = plain(v);
    }
    return new Column(field, out);
  }

  private static Object plain(Value v) {
    return switch (v) {
      case null -> null;
      case Value.Float64 f -> f.value();
      case Value.Float32 f -> (double) f.value();
      case Value.Int64 i -> i.value();
      case Value.Text t -> t.value();
      default -> v;
    };
  }

  /** Reads the view {@code size} rows at a time. */
  public Iterable<List<Molecule>> chunks(int size) {
    if (size <= 0) throw new IllegalArgumentException("chunk size must be positive: " + size);
    return () -> new Iterator<>() {
      long next;

      @Override
      public boolean hasNext() { return next < at.length(); }

      @Override
      public List<Molecule> next() {
        if (!hasNext()) throw new NoSuchElementException();
        long end = Math.min(at.length(), next + size);
        try {
          List<Molecule> out = range(next, end).toList();
          next = end;
          return out;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
  }

  @Override
  public Iterator<Molecule> iterator() {
    return new Iterator<>() {
      long next;

      @Override
      public boolean hasNext() { return next < at.length(); }

      @Override
      public Molecule next() {
        if (!hasNext()) throw new NoSuchElementException();
        try {
          return get(next++);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
  }

  public CompletableFuture<Molecule> getAsync(long k) {
    long i = index(k);
    return Prefetch.async(() -> table.get(i));
  }

  public CompletableFuture<Molecule> getAsync(long k, FieldSet fields) {
    long i = index(k);
    return Prefetch.async(() -> table.get(i, fields));
  }

  public CompletableFuture<Column> columnAsync(String field) {
    return Prefetch.async(() -> column(field));
  }

  public CompletableFuture<FlatBatch> readBatchAsync(FieldSet fields, boolean float64) {
    long[] idx = indices();
    return Prefetch.async(() -> table.readBatch(idx, fields, float64));
  }

  /** {@link #chunks} with up to {@code inFlight} chunks read at once on virtual threads. */
  public Iterator<List<Molecule>> chunksAsync(int size, int inFlight) {
    if (size <= 0) throw new IllegalArgumentException("chunk size must be positive: " + size);
    long n = (at.length() + size - 1) / size;
    return Prefetch.iterate(n, inFlight, c -> {
      TableView part = range(c * size, Math.min(at.length(), (c + 1) * size));
      return Prefetch.async(part::toList);
    }, table.source());
  }

  /** Rows in view order with up to {@code inFlight} reads running at once on virtual threads. */
  public Iterator<Molecule> iterateAsync(int inFlight) {
    return Prefetch.iterate(at.length(), inFlight, this::getAsync, table.source());
  }

}
