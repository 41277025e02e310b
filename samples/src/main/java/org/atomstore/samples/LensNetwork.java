package org.atomstore.samples;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A registry of lenses between sample types that finds a path from one type to another (fewest hops, breadth
 * first; among equal paths the first registered wins) and composes it into one lens.
 *
 * <p>Registration and lookup are synchronized; a network may be shared by threads.
 */
public final class LensNetwork {
  private final Map<Class<?>, Map<Class<?>, Lens<?, ?>>> edges = new LinkedHashMap<>();

  /** Registers {@code lens}; a later lens between the same two types replaces the earlier. */
  public synchronized LensNetwork register(Lens<?, ?> lens) {
    edges.computeIfAbsent(lens.source(), k -> new LinkedHashMap<>()).put(lens.view(), lens);
    return this;
  }

  /** The lens from {@code source} to {@code view} along the shortest registered path, or empty when none. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public synchronized <S, V> Optional<Lens<S, V>> find(Class<S> source, Class<V> view) {
    if (source.equals(view)) return Optional.of((Lens<S, V>) (Lens) Lens.identity(source));
    Map<Class<?>, Lens<?, ?>> via = new HashMap<>();
    var queue = new ArrayDeque<Class<?>>();
    queue.add(source);
    via.put(source, null);
    while (!queue.isEmpty()) {
      Class<?> at = queue.poll();
      for (var e : edges.getOrDefault(at, Map.of()).entrySet()) {
        if (via.containsKey(e.getKey())) continue;
        via.put(e.getKey(), e.getValue());
        if (e.getKey().equals(view)) return Optional.of((Lens<S, V>) compose(via, source, view));
        queue.add(e.getKey());
      }
    }
    return Optional.empty();
  }

  /** Like {@link #find}, failing when there is no path. */
  public <S, V> Lens<S, V> require(Class<S> source, Class<V> view) {
    return find(source, view).orElseThrow(() -> new IllegalArgumentException(
        "no lens path from " + source.getName() + " to " + view.getName()));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Lens<?, ?> compose(Map<Class<?>, Lens<?, ?>> via, Class<?> source, Class<?> view) {
    List<Lens<?, ?>> path = new ArrayList<>();
    for (Class<?> at = view; !at.equals(source); at = via.get(at).source()) path.add(0, via.get(at));
    Lens acc = path.get(0);
    for (int i = 1; i < path.size(); i++) acc = acc.andThen((Lens) path.get(i));
    return acc;
  }
}
