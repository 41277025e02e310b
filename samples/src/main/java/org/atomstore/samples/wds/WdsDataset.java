package org.atomstore.samples.wds;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.atomstore.samples.CorruptSampleException;
import org.atomstore.samples.KeyedSample;
import org.atomstore.samples.LensNetwork;
import org.atomstore.samples.SampleType;
import org.atomstore.samples.internal.TarMembers;
import org.atomstore.source.ObjectStore;

/**
 * A dataset of typed samples in WebDataset tar shards (atdata's {@code Dataset[T](url)}): local files or blobs of
 * an {@link ObjectStore}, read in order ({@link #ordered}) or shuffled ({@link #shuffled}: shard order permuted
 * and a sample buffer, both a function of seed and epoch only), decoded as {@code S} and seen as {@code T}
 * (the sample type itself, or another type through a lens: {@link #as}).
 *
 * <p>Immutable; any number of threads may open iterators at once, each iterator belongs to one thread.
 *
 * @param <T> what the dataset hands out
 */
public final class WdsDataset<T> {
  private final SampleType<? extends Record> type;
  private final List<Shard> shards;
  private final Function<Object, T> view;
  private final long maxMember;

  /** Where one shard's bytes come from. */
  public interface Shard {
    /** The shard's name in errors and in {@link KeyedSample#shard()}. */
    String name();

    /** The shard's bytes from the start. */
    InputStream open() throws IOException;
  }

  private WdsDataset(SampleType<? extends Record> type, List<Shard> shards, Function<Object, T> view, long maxMember) {
    this.type = type;
    this.shards = List.copyOf(shards);
    this.view = view;
    this.maxMember = maxMember;
  }

  /** The local shards {@code paths}, in that order. */
  @SuppressWarnings("unchecked")
  public static <S extends Record> WdsDataset<S> local(SampleType<S> type, List<Path> paths) {
    var shards = new ArrayList<Shard>();
    for (Path p : paths) shards.add(new Shard() {
      public String name() { return p.toString(); }
      public InputStream open() throws IOException { return Files.newInputStream(p); }
    });
    return new WdsDataset<>(type, shards, o -> (S) o, TarMembers.DEFAULT_MAX_MEMBER);
  }

  /** The blobs {@code names} of {@code store}, in that order. */
  @SuppressWarnings("unchecked")
  public static <S extends Record> WdsDataset<S> of(SampleType<S> type, ObjectStore store, List<String> names) {
    var shards = new ArrayList<Shard>();
    for (String n : names) shards.add(new Shard() {
      public String name() { return store.address() + "/" + n; }
      public InputStream open() throws IOException { return store.read(n); }
    });
    return new WdsDataset<>(type, shards, o -> (S) o, TarMembers.DEFAULT_MAX_MEMBER);
  }

  /** Every blob of {@code store} under {@code prefix} whose name ends in {@code .tar}, sorted by name. */
  public static <S extends Record> WdsDataset<S> ofPrefix(SampleType<S> type, ObjectStore store, String prefix) throws IOException {
    var names = new ArrayList<String>();
    for (ObjectStore.Entry e : store.list(prefix)) if (e.name().endsWith(".tar")) names.add(e.name());
    return of(type, store, names);
  }

  /** The same shards with another per-member size limit (default 256 MiB). */
  public WdsDataset<T> withMaxMemberSize(long bytes) {
    if (bytes <= 0 || bytes > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("member size limit out of range: " + bytes);
    return new WdsDataset<>(type, shards, view, bytes);
  }

  /** The same samples seen as {@code V} through the lens path the network finds from the sample type to V. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public <V> WdsDataset<V> as(Class<V> target, LensNetwork lenses) {
    var lens = lenses.require((Class) type.javaType(), target);
    // The lens starts from the decoded sample type, also for a dataset already viewed as something else.
    return new WdsDataset<>(type, shards, o -> (V) lens.get(o), maxMember);
  }

  /** The sample type samples are decoded as. */
  public SampleType<? extends Record> sampleType() { return type; }

  /** The shard names, in dataset order. */
  public List<String> shardNames() { return shards.stream().map(Shard::name).toList(); }

  /** Every sample, shard by shard in tar order. */
  public SampleIterator<T> ordered() {
    return new SampleIterator<>(this, shards, 0, null);
  }

  /**
   * Every sample in an order that depends only on {@code seed} and {@code epoch}: the shard order is shuffled,
   * then samples pass through a buffer of {@code bufferSize} from which a random one is drawn each time
   * (webdataset's {@code shuffle(bufsize)}).
   */
  public SampleIterator<T> shuffled(long seed, long epoch, int bufferSize) {
    if (bufferSize < 1) throw new IllegalArgumentException("buffer size must be positive: " + bufferSize);
    var rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
    var order = new ArrayList<>(shards);
    for (int i = order.size() - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      order.set(i, order.set(j, order.get(i)));
    }
    return new SampleIterator<>(this, order, bufferSize, rnd.split());
  }

  /** Reads every sample in order into a list (for small datasets and tests). */
  public List<KeyedSample<T>> readAll() throws IOException {
    var out = new ArrayList<KeyedSample<T>>();
    try (var it = ordered()) {
      while (it.hasNextSample()) out.add(it.nextSample());
    }
    return out;
  }

  /**
   * An iteration over samples. {@link #nextSample} throws the checked {@link IOException}s ({@link
   * CorruptSampleException} naming shard, member and field); the {@link Iterator} methods wrap them in {@link
   * UncheckedIOException}. Belongs to one thread; close it to release the open shard.
   */
  public static final class SampleIterator<T> implements Iterator<KeyedSample<T>>, AutoCloseable {
    private final WdsDataset<T> ds;
    private final List<Shard> order;
    private final int bufferSize;
    private final SplittableRandom rnd;
    private final List<KeyedSample<T>> buffer = new ArrayList<>();
    private int nextShard;
    private Shard current;
    private TarMembers members;
    private KeyedSample<T> ahead;
    private boolean closed;

    SampleIterator(WdsDataset<T> ds, List<Shard> order, int bufferSize, SplittableRandom rnd) {
      this.ds = ds;
      this.order = order;
      this.bufferSize = bufferSize;
      this.rnd = rnd;
    }

    /** Whether there is another sample. */
    public boolean hasNextSample() throws IOException {
      if (closed) throw new IllegalStateException("iterator closed");
      if (ahead != null) return true;
      ahead = rnd == null ? pull() : pullShuffled();
      return ahead != null;
    }

    /** The next sample. */
    public KeyedSample<T> nextSample() throws IOException {
      if (!hasNextSample()) throw new NoSuchElementException();
      var s = ahead;
      ahead = null;
      return s;
    }

    @Override
    public boolean hasNext() {
      try {
        return hasNextSample();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public KeyedSample<T> next() {
      try {
        return nextSample();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private KeyedSample<T> pullShuffled() throws IOException {
      while (buffer.size() < bufferSize) {
        var s = pull();
        if (s == null) break;
        buffer.add(s);
      }
      if (buffer.isEmpty()) return null;
      int j = rnd.nextInt(buffer.size());
      var out = buffer.get(j);
      buffer.set(j, buffer.get(buffer.size() - 1));
      buffer.remove(buffer.size() - 1);
      return out;
    }

    private KeyedSample<T> pull() throws IOException {
      while (true) {
        if (members == null) {
          if (nextShard >= order.size()) return null;
          current = order.get(nextShard++);
          members = new TarMembers(current.name(), current.open(), ds.maxMember);
        }
        TarMembers.Member m = members.next();
        if (m == null) {
          members.close();
          members = null;
          continue;
        }
        if (!m.extension().equals("msgpack")) continue;
        Object sample = ds.type.decode(m.bytes(), current.name(), m.name());
        return new KeyedSample<>(current.name(), m.key(), ds.view.apply(sample));
      }
    }

    @Override
    public void close() throws IOException {
      if (closed) return;
      closed = true;
      buffer.clear();
      if (members != null) members.close();
      members = null;
    }
  }
}
