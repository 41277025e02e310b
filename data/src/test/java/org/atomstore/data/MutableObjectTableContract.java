package org.atomstore.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The mutations suite every mutable backend runs, with asebytes' semantics: indices shift on delete and insert,
 * placeholders are null rows, {@code keys()} lists every key ever written, sorted bytewise. Backends add a
 * subclass (memory here; LMDB and Redis by theirs).
 */
public abstract class MutableObjectTableContract {

  /** A new, empty table; the suite closes it. */
  protected abstract MutableObjectTable create() throws IOException;

  protected MutableObjectTable t;

  @BeforeEach
  void open() throws IOException {
    t = create();
  }

  @AfterEach
  void close() throws IOException {
    t.close();
  }

  protected static Map<String, Object> row(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }

  private void fill(int n) throws IOException {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) rows.add(row("calc.energy", (double) i, "info.id", (long) i));
    t.extend(rows);
  }

  private long id(long index) throws IOException {
    return (Long) t.get(index).get("info.id");
  }

  @Test
  void extendAppendsInOrder() throws IOException {
    fill(5);
    assertThat(t.size()).isEqualTo(5);
    assertThat(t.get(3)).containsEntry("calc.energy", 3.0).containsEntry("info.id", 3L);
  }

  @Test
  void deleteShiftsLaterRowsDown() throws IOException {
    fill(5);
    t.delete(1);
    assertThat(t.size()).isEqualTo(4);
    assertThat(List.of(id(0), id(1), id(2), id(3))).containsExactly(0L, 2L, 3L, 4L);
  }

  @Test
  void deleteRangeShiftsLaterRowsDown() throws IOException {
    fill(6);
    t.delete(1, 4);
    assertThat(t.size()).isEqualTo(3);
    assertThat(List.of(id(0), id(1), id(2))).containsExactly(0L, 4L, 5L);
  }

  @Test
  void insertShiftsLaterRowsUp() throws IOException {
    fill(3);
    t.insert(1, row("info.id", 99L));
    t.insert(4, row("info.id", 100L));
    assertThat(List.of(id(0), id(1), id(2), id(3), id(4))).containsExactly(0L, 99L, 1L, 2L, 100L);
  }

  @Test
  void setReplacesTheWholeRow() throws IOException {
    fill(2);
    t.set(1, row("info.id", 7L));
    assertThat(t.get(1)).containsOnlyKeys("info.id").containsEntry("info.id", 7L);
  }

  @Test
  void setPastTheEndAddsPlaceholders() throws IOException {
    fill(1);
    t.set(3, row("info.id", 3L));
    assertThat(t.size()).isEqualTo(4);
    assertThat(t.get(1)).isNull();
    assertThat(t.get(2)).isNull();
    assertThat(id(3)).isEqualTo(3L);
  }

  @Test
  void updateWritesOnlyTheGivenFields() throws IOException {
    fill(2);
    t.update(0, row("calc.energy", -5.0, "info.new", "x"));
    assertThat(t.get(0)).containsEntry("calc.energy", -5.0).containsEntry("info.id", 0L).containsEntry("info.new", "x");
    assertThat(t.keys()).contains("info.new");
  }

  @Test
  void projectionReturnsOnlyTheKeysAsked() throws IOException {
    fill(2);
    assertThat(t.get(1, List.of("info.id", "missing"))).containsOnlyKeys("info.id");
  }

  @Test
  void reserveAppendsPlaceholders() throws IOException {
    fill(1);
    t.reserve(2);
    assertThat(t.size()).isEqualTo(3);
    assertThat(t.get(2)).isNull();
  }

  @Test
  void dropKeysRemovesThemEverywhere() throws IOException {
    fill(3);
    t.dropKeys(List.of("calc.energy"));
    assertThat(t.get(2)).containsOnlyKeys("info.id");
    assertThat(t.keys()).doesNotContain("calc.energy");
  }

  @Test
  void keysAreEveryKeyWrittenSortedBytewise() throws IOException {
    t.extend(List.of(row("info.b", 1L, "calc.energy", 1.0), row("arrays.positions", 2L, "info.a", "é")));
    assertThat(t.keys()).containsExactly("arrays.positions", "calc.energy", "info.a", "info.b");
  }

  @Test
  void clearRemovesEveryRow() throws IOException {
    fill(4);
    t.clear();
    assertThat(t.size()).isZero();
  }

  @Test
  void refusesIndicesOutsideTheTable() throws IOException {
    fill(2);
    assertThatThrownBy(() -> t.get(2)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> t.delete(5)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> t.insert(3, row())).isInstanceOf(IndexOutOfBoundsException.class);
  }
}
