package org.atomstore.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.atomstore.model.NdArray;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RowViewTest {
  private MemoryTable t;

  @BeforeEach
  void fill() {
    t = MemoryTable.open("memory://" + UUID.randomUUID());
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("calc.energy", (double) -i);
      r.put("info.id", (long) i);
      r.put("info.ok", i % 2 == 0);
      if (i != 4) r.put("info.maybe", 1.0);
      rows.add(r);
    }
    t.extend(rows);
  }

  private static long id(Map<String, Object> r) { return (Long) r.get("info.id"); }

  @Test
  void rangesSelectionsAndSlicesCompose() throws IOException {
    RowView all = RowView.of(t);
    RowView mid = all.range(2, 8);
    assertThat(mid.size()).isEqualTo(6);
    assertThat(id(mid.get(0))).isEqualTo(2);
    RowView picked = mid.select(5, 0, 3);
    assertThat(picked.toList()).extracting(RowViewTest::id).containsExactly(7L, 2L, 5L);
    assertThat(picked.range(1, 3).toList()).extracting(RowViewTest::id).containsExactly(2L, 5L);
    assertThat(all.slice(1, 10, 3).toList()).extracting(RowViewTest::id).containsExactly(1L, 4L, 7L);
    assertThatThrownBy(() -> mid.get(6)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void columnsArePrimitiveArraysWhereTheValuesAllow() throws IOException {
    RowView all = RowView.of(t);
    assertThat((double[]) all.column("calc.energy").values()).containsExactly(0, -1, -2, -3, -4, -5, -6, -7, -8, -9);
    assertThat((long[]) all.range(0, 3).column("info.id").values()).containsExactly(0, 1, 2);
    assertThat((boolean[]) all.select(0, 1).column("info.ok").values()).containsExactly(true, false);
    Object maybe = all.column("info.maybe").values();
    assertThat(maybe).isInstanceOf(Object[].class); // row 4 lacks it
    assertThat(all.column("info.maybe").doubles()[4]).isNaN();
  }

  @Test
  void aColumnReadsOnlyItsKey() throws IOException {
    List<Collection<String>> asked = new ArrayList<>();
    ObjectTable spy = new Forwarding(t) {
      @Override
      public Map<String, Object> get(long index, Collection<String> keys) throws IOException {
        asked.add(keys);
        return super.get(index, keys);
      }
    };
    RowView.of(spy).range(0, 3).column("calc.energy");
    assertThat(asked).hasSize(3).allSatisfy(k -> assertThat(k).containsExactly("calc.energy"));
  }

  @Test
  void projectionAndChunks() throws IOException {
    RowView all = RowView.of(t);
    assertThat(all.get(3, List.of("info.id"))).containsOnlyKeys("info.id");
    List<Integer> sizes = new ArrayList<>();
    for (List<Map<String, Object>> c : all.chunks(4)) sizes.add(c.size());
    assertThat(sizes).containsExactly(4, 4, 2);
  }

  @Test
  void asyncReadsGiveTheSameRows() throws Exception {
    RowView all = RowView.of(t);
    assertThat(all.getAsync(5).get()).isEqualTo(all.get(5));
    assertThat(all.toListAsync().get()).isEqualTo(all.toList());
    assertThat((double[]) all.columnAsync("calc.energy").get().values()).hasSize(10);
    List<Long> ids = new ArrayList<>();
    for (Iterator<Map<String, Object>> it = all.iterateAsync(3); it.hasNext(); ) ids.add(id(it.next()));
    assertThat(ids).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
  }

  @Test
  void asyncIterationKeepsSeveralReadsInFlight() throws IOException {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    java.util.concurrent.CountDownLatch three = new java.util.concurrent.CountDownLatch(3);
    ObjectTable slow = new Forwarding(t) {
      @Override
      public Map<String, Object> get(long index) throws IOException {
        most.accumulateAndGet(running.incrementAndGet(), Math::max);
        three.countDown();
        try {
          // the first reads wait until three are running at once: passes only if the view keeps three in flight
          if (index < 3 && !three.await(10, java.util.concurrent.TimeUnit.SECONDS)) throw new IOException("fewer than 3 reads in flight");
        } catch (InterruptedException e) {
          throw new IOException(e);
        } finally {
          running.decrementAndGet();
        }
        return super.get(index);
      }
    };
    Iterator<Map<String, Object>> it = RowView.of(slow).iterateAsync(3);
    int n = 0;
    while (it.hasNext()) {
      it.next();
      n++;
    }
    assertThat(n).isEqualTo(10);
    assertThat(most.get()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void asyncIterationSurfacesAFailedRead() throws IOException {
    ObjectTable failing = new Forwarding(t) {
      @Override
      public Map<String, Object> get(long index) throws IOException {
        if (index == 2) throw new IOException("row 2 is damaged");
        return super.get(index);
      }
    };
    Iterator<Map<String, Object>> it = RowView.of(failing).iterateAsync(2);
    it.next();
    it.next();
    assertThatThrownBy(it::next).isInstanceOf(UncheckedIOException.class).hasMessageContaining("row 2 is damaged");
  }

  @Test
  void columnsOfArraysAreObjects() throws IOException {
    MemoryTable a = MemoryTable.open("memory://" + UUID.randomUUID());
    a.extend(List.of(Map.of("calc.forces", new NdArray("<f8", new long[] {1}, new byte[8]))));
    assertThat(RowView.of(a).column("calc.forces").values()).isInstanceOf(Object[].class);
  }

  /** An object table that forwards to another. */
  static class Forwarding implements ObjectTable {
    final ObjectTable in;

    Forwarding(ObjectTable in) { this.in = in; }

    @Override public String source() { return in.source(); }
    @Override public long size() throws IOException { return in.size(); }
    @Override public Map<String, Object> get(long index) throws IOException { return in.get(index); }
    @Override public Map<String, Object> get(long index, Collection<String> keys) throws IOException { return in.get(index, keys); }
    @Override public List<String> keys() throws IOException { return in.keys(); }
    @Override public void close() throws IOException { in.close(); }
  }
}
