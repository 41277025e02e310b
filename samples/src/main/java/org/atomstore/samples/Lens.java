package org.atomstore.samples;

import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A view of samples of type {@code S} as type {@code V} (atdata's lens): a getter, and optionally a putter that
 * writes a changed view back into a source sample. Lenses compose ({@link #andThen}).
 *
 * <p>Immutable; thread-safe when its functions are.
 */
public record Lens<S, V>(Class<S> source, Class<V> view, Function<? super S, ? extends V> getter,
    BiFunction<? super V, ? super S, ? extends S> putter) {

  public Lens {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(view, "view");
    Objects.requireNonNull(getter, "getter");
  }

  /** A lens with a getter only. */
  public static <S, V> Lens<S, V> of(Class<S> source, Class<V> view, Function<? super S, ? extends V> getter) {
    return new Lens<>(source, view, getter, null);
  }

  /** A lens with a getter and a putter. */
  public static <S, V> Lens<S, V> of(Class<S> source, Class<V> view, Function<? super S, ? extends V> getter,
      BiFunction<? super V, ? super S, ? extends S> putter) {
    return new Lens<>(source, view, getter, putter);
  }

  /** The view of {@code s}. */
  public V get(S s) { return getter.apply(s); }

  /** Whether {@link #put} is available. */
  public boolean canPut() { return putter != null; }

  /**
   * The source {@code s} updated from the view {@code v}.
   *
   * @throws IllegalStateException when the lens has no putter
   */
  public S put(V v, S s) {
    if (putter == null) throw new IllegalStateException("lens " + source.getSimpleName() + " -> " + view.getSimpleName() + " has no putter");
    return putter.apply(v, s);
  }

  /** This lens followed by {@code next}: S -> V -> W; it can put when both can. */
  public <W> Lens<S, W> andThen(Lens<V, W> next) {
    Function<S, W> g = s -> next.get(get(s));
    BiFunction<W, S, S> p = canPut() && next.canPut() ? (w, s) -> put(next.put(w, get(s)), s) : null;
    return new Lens<>(source, next.view(), g, p);
  }

  /** The identity lens of a type. */
  public static <S> Lens<S, S> identity(Class<S> type) {
    return new Lens<>(type, type, Function.identity(), (v, s) -> v);
  }

  /** This lens's getter as a function, e.g. for {@link Optional#map}. */
  public Function<S, V> asFunction() { return this::get; }
}
