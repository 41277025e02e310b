package org.atomstore.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An object table held in memory, with asebytes' semantics (indices shift on delete and insert, null rows are
 * placeholders, {@link #keys()} is every key ever written, sorted bytewise), shared within the JVM by address:
 * {@code memory://NAME[/GROUP]} (group {@value #DEFAULT_GROUP} when none is given). Two tables opened at the same
 * address see the same rows; closing one leaves the rows in place ({@link #drop} removes a name).
 *
 * <p>Thread contract: any number of threads may read and write; each call is atomic.
 */
public final class MemoryTable implements MutableObjectTable {

  /** The group of an address that names none. */
  public static final String DEFAULT_GROUP = "default";
  /** The address scheme. */
  public static final String SCHEME = "memory://";

  private static final Map<String, Map<String, Store>> STORES = new ConcurrentHashMap<>();

  private final String address;
  private final Store store;
  private volatile boolean closed;

  /** The rows of one group, guarded by its own monitor. */
  private static final class Store {
    final ArrayList<Map<String, Object>> rows = new ArrayList<>();
    final TreeSet<String> keys = new TreeSet<>(MemoryTable::compareBytes);
  }

  private MemoryTable(String address, Store store) {
    this.address = address;
    this.store = store;
  }

  /** Opens (creating when new) the table at {@code memory://NAME[/GROUP]}. */
  public static MemoryTable open(String address) {
    if (!address.startsWith(SCHEME)) throw new IllegalArgumentException("not a memory:// address: " + address);
    String rest = address.substring(SCHEME.length());
    int slash = rest.indexOf('/');
    String name = slash < 0 ? rest : rest.substring(0, slash);
    String group = slash < 0 ? DEFAULT_GROUP : rest.substring(slash + 1);
    return open(name, group);
  }

  /** Opens (creating when new) group {@code group} of the memory table {@code name}. */
  public static MemoryTable open(String name, String group) {
    if (name.isEmpty() || name.contains("/")) throw new IllegalArgumentException("memory table name must be non-empty and without '/': '" + name + "'");
    if (group.isEmpty() || group.contains("/")) throw new IllegalArgumentException("group name must be non-empty and without '/': '" + group + "'");
    Store s = STORES.computeIfAbsent(name, n -> new ConcurrentHashMap<>()).computeIfAbsent(group, g -> new Store());
    return new MemoryTable(SCHEME + name + "/" + group, s);
  }

  /** The groups of memory table {@code name}, sorted; empty when there is no such table. */
  public static List<String> listGroups(String name) {
    Map<String, Store> groups = STORES.get(name);
    return groups == null ? List.of() : groups.keySet().stream().sorted().toList();
  }

  /** Forgets memory table {@code name} and all its groups; open handles keep the rows they had. */
  public static void drop(String name) {
    STORES.remove(name);
  }

  @Override
  public String source() { return address; }

  @Override
  public long size() {
    check();
    synchronized (store) {
      return store.rows.size();
    }
  }

  @Override
  public Map<String, Object> get(long index) {
    check();
    synchronized (store) {
      Map<String, Object> row = store.rows.get(checkIndex(index, store.rows.size()));
      return row == null ? null : ordered(row, null);
    }
  }

  @Override
  public Map<String, Object> get(long index, Collection<String> keys) {
    check();
    synchronized (store) {
      Map<String, Object> row = store.rows.get(checkIndex(index, store.rows.size()));
      return row == null ? null : ordered(row, keys);
    }
  }

  @Override
  public List<String> keys() {
    check();
    synchronized (store) {
      return List.copyOf(store.keys);
    }
  }

  @Override
  public void set(long index, Map<String, Object> row) {
    check();
    synchronized (store) {
      if (index < 0) throw new IndexOutOfBoundsException("index " + index + " is negative");
      while (store.rows.size() < index) store.rows.add(null);
      Map<String, Object> copy = copy(row);
      if (index == store.rows.size()) store.rows.add(copy);
      else store.rows.set((int) index, copy);
    }
  }

  @Override
  public void update(long index, Map<String, Object> fields) {
    check();
    synchronized (store) {
      int i = checkIndex(index, store.rows.size());
      Map<String, Object> row = store.rows.get(i);
      Map<String, Object> merged = row == null ? new LinkedHashMap<>() : new LinkedHashMap<>(row);
      merged.putAll(copy(fields));
      store.rows.set(i, merged);
    }
  }

  @Override
  public void delete(long index) {
    check();
    synchronized (store) {
      store.rows.remove(checkIndex(index, store.rows.size()));
    }
  }

  @Override
  public void delete(long from, long to) {
    check();
    synchronized (store) {
      if (from < 0 || to > store.rows.size() || from > to) {
        throw new IndexOutOfBoundsException("range [" + from + ", " + to + ") outside [0, " + store.rows.size() + ")");
      }
      store.rows.subList((int) from, (int) to).clear();
    }
  }

  @Override
  public void insert(long index, Map<String, Object> row) {
    check();
    synchronized (store) {
      if (index < 0 || index > store.rows.size()) throw new IndexOutOfBoundsException("insert at " + index + " outside [0, " + store.rows.size() + "]");
      store.rows.add((int) index, copy(row));
    }
  }

  @Override
  public void extend(List<? extends Map<String, Object>> rows) {
    check();
    List<Map<String, Object>> copies = new ArrayList<>(rows.size());
    synchronized (store) {
      for (Map<String, Object> r : rows) copies.add(copy(r));
      store.rows.addAll(copies);
    }
  }

  @Override
  public void dropKeys(Collection<String> keys) {
    check();
    synchronized (store) {
      for (Map<String, Object> r : store.rows) if (r != null) r.keySet().removeAll(keys);
      store.keys.removeAll(keys);
    }
  }

  @Override
  public void reserve(long count) {
    check();
    if (count < 0) throw new IllegalArgumentException("reserve " + count);
    synchronized (store) {
      for (long i = 0; i < count; i++) store.rows.add(null);
    }
  }

  @Override
  public void clear() {
    check();
    synchronized (store) {
      store.rows.clear();
      store.keys.clear();
    }
  }

  /** Idempotent; the rows stay at their address for other handles. */
  @Override
  public void close() { closed = true; }

  private void check() {
    if (closed) throw new IllegalStateException(address + " is closed");
  }

  // Called under the store's monitor.
  private Map<String, Object> copy(Map<String, Object> row) {
    if (row == null) return null;
    Map<String, Object> out = new LinkedHashMap<>();
    for (var e : row.entrySet()) {
      out.put(Objects.requireNonNull(e.getKey(), "key"), e.getValue());
      store.keys.add(e.getKey());
    }
    return out;
  }

  // Called under the store's monitor: the row's keys in the schema's order, as asebytes returns them.
  private Map<String, Object> ordered(Map<String, Object> row, Collection<String> only) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String k : store.keys) {
      if (row.containsKey(k) && (only == null || only.contains(k))) out.put(k, row.get(k));
    }
    return out;
  }

  private static int checkIndex(long index, int size) {
    if (index < 0 || index >= size) throw new IndexOutOfBoundsException("row " + index + " outside [0, " + size + ")");
    return (int) index;
  }

  static int compareBytes(String a, String b) {
    return Arrays.compareUnsigned(a.getBytes(java.nio.charset.StandardCharsets.UTF_8), b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
