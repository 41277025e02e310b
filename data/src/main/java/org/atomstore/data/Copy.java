package org.atomstore.data;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.atomstore.codec.Compression;
import org.atomstore.data.lmdb.AsebytesLmdb;
import org.atomstore.dataset.ShardedDataset;
import org.atomstore.dataset.ShardedWriter;
import org.atomstore.io.extxyz.ExtxyzWriter;
import org.atomstore.io.mapping.AseMapping;
import org.atomstore.model.Molecule;
import org.atomstore.store.AtpReader;
import org.atomstore.store.AtpWriter;
import org.atomstore.store.CorruptFileException;
import org.atomstore.store.FieldSet;
import org.atomstore.store.internal.AtpWriters;
import org.atomstore.table.Table;

/**
 * Conversion is copying between two tables (DESIGN seam 6): every row of the source tables, in order, into one
 * {@link Destination}, with progress reported to a {@link Listener}, an {@link OnError error policy} and atomic
 * publish: a file or dataset destination is written under a temporary name ({@link #temporaryName}, or the
 * sharded writer's staging directory) and renamed when complete, so nothing half-written is ever visible under
 * the destination's name; a failure removes the temporary.
 *
 * <p>Between {@code .atp} files (or the shards of a dataset) and an {@code .atp} destination of the same
 * compression, records are copied as stored, not decoded and re-encoded ({@link #appendAsStored}).
 *
 * <p>Stateless; each call belongs to the calling thread, which also receives the listener's calls.
 */
public final class Copy {
  private Copy() {}

  /** Rows read and written per step (and per progress report). */
  static final int CHUNK = 1024;

  /** What happens to a row that cannot be read or cannot be stored in the destination. */
  public enum OnError {
    /** The copy fails with a checked exception naming the source and the row; nothing is published. */
    STOP,
    /** The row is left out and counted ({@link Result#skipped()}); the listener hears of each. */
    SKIP
  }

  /** Told what the copy does; called on the copying thread. Every method does nothing by default. */
  public interface Listener {
    /** Copying from {@code source}, which has {@code rows} rows, starts. */
    default void started(Table source, long rows) {}

    /** {@code rows} more rows of the current source were copied or skipped. */
    default void advanced(long rows) {}

    /** Row {@code index} of {@code source} was left out (policy {@link OnError#SKIP}) for {@code problem}. */
    default void skipped(Table source, long index, String problem) {}
  }

  /** A listener that hears nothing. */
  public static final Listener QUIET = new Listener() {};

  /**
   * What a copy did.
   *
   * @param copied rows written
   * @param skipped rows left out (policy {@link OnError#SKIP})
   * @param copiedAsStored of the rows written, those copied as stored bytes without decoding
   */
  public record Result(long copied, long skipped, long copiedAsStored) {
    Result plus(Result o) {
      return new Result(copied + o.copied, skipped + o.skipped, copiedAsStored + o.copiedAsStored);
    }
  }

  /** Where rows go. */
  public sealed interface Destination {
    /** An {@code .atp} file, replaced if it exists. */
    record AtpFile(Path path, Compression compression) implements Destination {
      public AtpFile {
        Objects.requireNonNull(path);
        Objects.requireNonNull(compression);
      }
    }

    /**
     * A sharded dataset directory (absent or empty), a new shard started before either limit is passed. A
     * molecule the dataset cannot store (its schema disagrees) stops the copy even with {@link OnError#SKIP}.
     *
     * @param maxShardMolecules at least 1; {@code Long.MAX_VALUE} for no limit
     */
    record Dataset(Path directory, Compression compression, long maxShardBytes, long maxShardMolecules)
        implements Destination {
      public Dataset {
        Objects.requireNonNull(directory);
        Objects.requireNonNull(compression);
      }
    }

    /** An extended XYZ file that ASE reads back to the same values, replaced if it exists. */
    record Extxyz(Path path) implements Destination {
      public Extxyz {
        Objects.requireNonNull(path);
      }
    }

    /**
     * Rows appended to a mutable object table (Redis, memory, an open asebytes group) in the object tier
     * ({@link Tiers#rows}: an extended XYZ file's rows come straight from ASE's structures, a molecule table's as
     * stored, other tables' through Atompack's ASE mapping), placeholders as placeholders, in chunks of one
     * {@code extend} each. Such a table has no temporary name: what was appended before a failure stays. The
     * caller owns (and closes) the table.
     */
    record Rows(MutableObjectTable table) implements Destination {
      public Rows {
        Objects.requireNonNull(table);
      }
    }

    /**
     * A new asebytes LMDB store ({@code NAME.lmdb}, a directory with one directory per group) holding one group,
     * written as {@link Rows} into a temporary store ({@link #temporaryName}) that is renamed when complete. An
     * existing store is not replaced.
     */
    record AsebytesStore(Path store, String group) implements Destination {
      public AsebytesStore {
        Objects.requireNonNull(store);
        Objects.requireNonNull(group);
      }
    }
  }

  /**
   * The file destination that {@code path} names by its extension: {@code .atp} an {@link Destination.AtpFile},
   * {@code .xyz}/{@code .extxyz} an {@link Destination.Extxyz}, {@code .lmdb} an {@link Destination.AsebytesStore}
   * (group {@code default}); empty for anything else (a directory, a store the caller opens itself).
   */
  public static java.util.Optional<Destination> fileDestination(Path path, Compression compression) {
    String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".atp")) return java.util.Optional.of(new Destination.AtpFile(path, compression));
    if (name.endsWith(".xyz") || name.endsWith(".extxyz")) return java.util.Optional.of(new Destination.Extxyz(path));
    if (name.endsWith(".lmdb")) return java.util.Optional.of(new Destination.AsebytesStore(path, AsebytesLmdb.DEFAULT_GROUP));
    return java.util.Optional.empty();
  }

  /** The hidden sibling a file destination is written under until it is complete: {@code .NAME.partial}. */
  public static Path temporaryName(Path out) {
    return out.toAbsolutePath().getParent().resolve("." + out.getFileName() + ".partial");
  }

  /**
   * Copies every row of {@code sources}, in order, into {@code to}, and publishes it when complete.
   *
   * @throws IOException when a source cannot be read, or (policy {@link OnError#STOP}) a row cannot be read or
   *     stored (a {@link CorruptFileException} naming the source and the row); nothing is published then
   */
  public static Result run(List<? extends Table> sources, Destination to, OnError onError, Listener listener)
      throws IOException {
    Objects.requireNonNull(onError);
    Objects.requireNonNull(listener);
    return switch (to) {
      case Destination.AtpFile f -> toAtp(sources, f, onError, listener);
      case Destination.Dataset d -> toDataset(sources, d, onError, listener);
      case Destination.Extxyz x -> toExtxyz(sources, x, onError, listener);
      case Destination.Rows r -> toRows(sources, r.table(), onError, listener);
      case Destination.AsebytesStore a -> toAsebytes(sources, a, onError, listener);
    };
  }

  private static Result toAtp(List<? extends Table> sources, Destination.AtpFile f, OnError onError, Listener listener)
      throws IOException {
    Path temp = temporaryName(f.path());
    createDirectories(temp.getParent());
    try {
      Files.deleteIfExists(temp); // a stale one from a killed run
      Result r;
      try (AtpWriter w = AtpWriter.create(temp, f.compression())) {
        r = append(sources, w, onError, listener);
        w.flush();
      }
      Files.move(temp, f.path(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return r;
    } catch (IOException | RuntimeException | Error e) {
      discardAfter(e, temp);
      throw e;
    }
  }

  /**
   * Appends every row of {@code sources} to an open writer, which the caller flushes (or abandons): records of
   * {@code .atp} sources of the writer's compression are copied as stored ({@link #appendAsStored}); other rows
   * are decoded and added, encoded and compressed on all cores for a compressed file.
   */
  public static Result append(List<? extends Table> sources, AtpWriter w, OnError onError, Listener listener)
      throws IOException {
    Result total = new Result(0, 0, 0);
    for (Table source : sources) {
      long before = w.size();
      if (onError == OnError.STOP && appendAsStored(w, source, listener)) {
        long n = w.size() - before;
        total = total.plus(new Result(n, 0, n));
        continue;
      }
      total = total.plus(copyRows(source, onError, listener, new AtpSink(w)));
    }
    return total;
  }

  /**
   * Appends every record of {@code source} to {@code w} as stored, without decoding or recompressing, when
   * {@code source} is an {@code .atp} file or a sharded dataset whose files all use {@code w}'s compression and
   * whose schemas agree with what {@code w} holds ({@link AtpWriters#copyProblem}). Returns false, having
   * written nothing, when it cannot (the caller then decodes). Each record's layout is checked as {@code verify}
   * checks it (decompressed for that when compressed); its values are not decoded.
   *
   * @throws CorruptFileException when a record is damaged; the records before it were appended (not committed)
   */
  public static boolean appendAsStored(AtpWriter w, Table source, Listener listener) throws IOException {
    List<AtpReader> files = storedFiles(source);
    if (files == null || AtpWriters.copyProblem(w, files) != null) return false;
    listener.started(source, source.size());
    for (AtpReader r : files) {
      for (long from = 0; from < r.size(); from += CHUNK) {
        long to = Math.min(r.size(), from + CHUNK);
        AtpWriters.copyRecords(w, r, from, to);
        listener.advanced(to - from);
      }
    }
    return true;
  }

  /** The files of an {@code .atp} table in row order, or null when it is not one. */
  private static List<AtpReader> storedFiles(Table source) throws IOException {
    return switch (source) {
      case AtpReader r -> List.of(r);
      case ShardedDataset ds -> {
        List<AtpReader> shards = new ArrayList<>(ds.shardCount());
        for (int s = 0; s < ds.shardCount(); s++) shards.add(ds.shard(s));
        yield shards;
      }
      default -> null;
    };
  }

  private static Result toDataset(List<? extends Table> sources, Destination.Dataset d, OnError onError,
      Listener listener) throws IOException {
    var builder = ShardedWriter.builder(d.directory()).compression(d.compression()).maxShardBytes(d.maxShardBytes());
    if (d.maxShardMolecules() != Long.MAX_VALUE) builder.maxShardMolecules(d.maxShardMolecules());
    ShardedWriter w = builder.open();
    try {
      Result total = new Result(0, 0, 0);
      for (Table source : sources) total = total.plus(copyRows(source, onError, listener, new DatasetSink(w)));
      w.finish();
      return total;
    } catch (IOException | RuntimeException | Error e) {
      // closing the writer would publish what was copied so far
      try {
        w.abandon();
      } catch (IOException | RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  private static Result toExtxyz(List<? extends Table> sources, Destination.Extxyz x, OnError onError,
      Listener listener) throws IOException {
    // a temporary created as any new file is (mode 0666 minus the umask), not Files.createTempFile's 0600, which
    // the rename would carry over to the output
    Path temp = temporaryName(x.path());
    createDirectories(temp.getParent());
    try {
      Files.deleteIfExists(temp);
      Result total = new Result(0, 0, 0);
      try (Writer text = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(temp,
              StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE),
              StandardCharsets.UTF_8), 1 << 16);
          ExtxyzWriter w = ExtxyzWriter.to(text)) {
        for (Table source : sources) total = total.plus(copyRows(source, onError, listener, m -> w.write(AseMapping.fromMolecule(m))));
      }
      Files.move(temp, x.path(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return total;
    } catch (IOException | RuntimeException | Error e) {
      discardAfter(e, temp);
      throw e;
    }
  }

  private static Result toAsebytes(List<? extends Table> sources, Destination.AsebytesStore a, OnError onError,
      Listener listener) throws IOException {
    if (Files.exists(a.store(), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      throw new FileAlreadyExistsException(a.store().toString(), null, "exists (an asebytes store is not replaced)");
    }
    Path temp = temporaryName(a.store());
    createDirectories(temp.getParent());
    try {
      deleteTree(temp); // a stale one from a killed run
      Result r;
      try (MutableObjectTable t = AsebytesLmdb.openObjects(temp, a.group(), AsebytesLmdb.Mode.READ_WRITE)) {
        r = toRows(sources, t, onError, listener);
      }
      Files.move(temp, a.store(), StandardCopyOption.ATOMIC_MOVE);
      return r;
    } catch (IOException | RuntimeException | Error e) {
      try {
        deleteTree(temp);
      } catch (IOException | RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
    try (var walk = Files.walk(root)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }

  /** Copies the object tier of each source ({@link Tiers#rows}) into {@code table}. */
  private static Result toRows(List<? extends Table> sources, MutableObjectTable table, OnError onError,
      Listener listener) throws IOException {
    long copied = 0;
    long skipped = 0;
    for (Table source : sources) {
      ObjectTable rows = Tiers.rows(source); // not closed: it would close the source, which the caller owns
      long n = source.size();
      listener.started(source, n);
      List<Map<String, Object>> pending = new ArrayList<>(CHUNK);
      long reported = 0;
      for (long i = 0; i < n; i++) {
        Map<String, Object> row;
        try {
          row = rows.get(i);
        } catch (IOException | IllegalArgumentException | java.io.UncheckedIOException e) {
          bad(source, i, "cannot be read: " + e.getMessage(), e, onError, listener);
          skipped++;
          continue;
        }
        pending.add(row); // a placeholder stays a placeholder
        if (pending.size() == CHUNK) {
          table.extend(pending);
          copied += pending.size();
          pending.clear();
          listener.advanced(i + 1 - reported);
          reported = i + 1;
        }
      }
      table.extend(pending);
      copied += pending.size();
      listener.advanced(n - reported);
    }
    return new Result(copied, skipped, 0);
  }

  /** Takes decoded molecules one by one; IllegalArgumentException when one cannot be stored (nothing of it is). */
  interface Sink {
    void add(Molecule m) throws IOException;

    /**
     * Whether the sink stays usable after refusing a molecule; when not, a refused molecule stops the copy
     * whatever the policy (the sharded writer refuses further work after one).
     */
    default boolean survivesRefusal() { return true; }

    /** Adds a chunk; the default adds one by one. */
    default void addAll(List<Molecule> chunk, long firstIndex, Table source, OnError onError, Listener listener,
        long[] skipped) throws IOException {
      for (int k = 0; k < chunk.size(); k++) {
        try {
          add(chunk.get(k));
        } catch (IllegalArgumentException e) {
          bad(source, firstIndex + k, "cannot be stored: " + e.getMessage(), e, survivesRefusal() ? onError : OnError.STOP, listener);
          skipped[0]++;
        }
      }
    }
  }

  /** A sharded writer, which refuses further work after refusing a molecule. */
  private record DatasetSink(ShardedWriter w) implements Sink {
    @Override
    public void add(Molecule m) throws IOException {
      w.add(m);
    }

    @Override
    public boolean survivesRefusal() { return false; }
  }

  /** An {@link AtpWriter}, which encodes and compresses a chunk on all cores. */
  private record AtpSink(AtpWriter w) implements Sink {
    @Override
    public void add(Molecule m) throws IOException {
      w.add(m);
    }

    @Override
    public void addAll(List<Molecule> chunk, long firstIndex, Table source, OnError onError, Listener listener,
        long[] skipped) throws IOException {
      int at = 0;
      while (at < chunk.size()) {
        long before = w.size();
        try {
          w.addAll(chunk.subList(at, chunk.size()));
          return;
        } catch (IllegalArgumentException e) {
          // the molecules before the refused one were added, nothing of it was
          int refused = at + (int) (w.size() - before);
          bad(source, firstIndex + refused, "cannot be stored: " + e.getMessage(), e, onError, listener);
          skipped[0]++;
          at = refused + 1;
        }
      }
    }
  }

  /** Reads {@code source} in chunks, decoded, into {@code sink}. */
  private static Result copyRows(Table source, OnError onError, Listener listener, Sink sink) throws IOException {
    long n = source.size();
    listener.started(source, n);
    long[] skipped = {0};
    long copied = 0;
    for (long from = 0; from < n; from += CHUNK) {
      int len = (int) Math.min(CHUNK, n - from);
      List<Molecule> chunk = read(source, from, len, onError, listener, skipped);
      long before = skipped[0];
      sink.addAll(chunk, from, source, onError, listener, skipped);
      copied += chunk.size() - (skipped[0] - before);
      listener.advanced(len);
    }
    return new Result(copied, skipped[0], 0);
  }

  /**
   * Rows {@code [from, from + len)}, read as one chunk; placeholders and, with {@link OnError#SKIP}, rows that
   * cannot be read are left out and counted. When the chunk fails, its rows are read one by one to find which.
   */
  private static List<Molecule> read(Table source, long from, int len, OnError onError, Listener listener,
      long[] skipped) throws IOException {
    long[] idx = new long[len];
    for (int k = 0; k < len; k++) idx[k] = from + k;
    List<Molecule> got;
    try {
      got = source.get(idx, FieldSet.ALL);
    } catch (IOException | RuntimeException e) {
      if (onError == OnError.STOP) throw e;
      List<Molecule> present = new ArrayList<>(len);
      for (long i : idx) {
        Molecule m;
        try {
          m = source.get(i, FieldSet.ALL);
        } catch (IOException | IllegalArgumentException | java.io.UncheckedIOException bad) {
          bad(source, i, "cannot be read: " + bad.getMessage(), bad, onError, listener);
          skipped[0]++;
          continue;
        }
        if (m == null) {
          bad(source, i, PLACEHOLDER, null, onError, listener);
          skipped[0]++;
        } else {
          present.add(m);
        }
      }
      return present;
    }
    boolean placeholders = false;
    for (Molecule m : got) placeholders |= m == null;
    if (!placeholders) return got;
    List<Molecule> present = new ArrayList<>(len);
    for (int k = 0; k < got.size(); k++) {
      if (got.get(k) != null) {
        present.add(got.get(k));
      } else {
        bad(source, from + k, PLACEHOLDER, null, onError, listener);
        skipped[0]++;
      }
    }
    return present;
  }

  private static final String PLACEHOLDER = "is a placeholder (no structure to copy)";

  /** A bad row: with STOP the failure, naming the source and the row; with SKIP told to the listener. */
  private static void bad(Table source, long index, String problem, Throwable cause, OnError onError, Listener listener)
      throws CorruptFileException {
    if (onError == OnError.STOP) {
      throw new CorruptFileException(Path.of(source.source()), -1, "row " + index + " " + problem, cause);
    }
    listener.skipped(source, index, problem);
  }

  /**
   * Creates {@code dir} and its missing parents. {@link Files#createDirectories} reports a regular file in the
   * way as {@code FileAlreadyExistsException: PATH}; this says what is wrong with it.
   */
  static void createDirectories(Path dir) throws IOException {
    try {
      Files.createDirectories(dir);
    } catch (FileAlreadyExistsException e) {
      throw new FileSystemException(e.getFile(), null, "exists and is not a directory");
    }
  }

  private static void discardAfter(Throwable cause, Path temp) {
    try {
      Files.deleteIfExists(temp);
    } catch (IOException | RuntimeException e) {
      cause.addSuppressed(e);
    }
  }
}
