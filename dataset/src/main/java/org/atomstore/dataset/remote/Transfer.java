package org.atomstore.dataset.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.atomstore.dataset.AtompackManifest;
import org.atomstore.dataset.Manifest;
import org.atomstore.dataset.ShardedDataset;
import org.atomstore.source.ObjectStore;
import org.atomstore.store.AtpReader;
import org.atomstore.store.CorruptFileException;

/**
 * Moves whole datasets between a local directory and an {@link ObjectStore}, safely.
 *
 * <p>{@link #publish}: the shards first, each written atomically by the store, then {@code manifest.json}
 * last, so a reader never sees a manifest naming a shard that is not there yet. With {@code resume}, a shard
 * already in the store with the manifest's size and SHA-256 is not sent again.
 *
 * <p>{@link #pull}: several shards at once; a shard already in the directory with the right size and SHA-256
 * is kept, so a pull that was interrupted transfers only what is missing. Each shard is downloaded to a
 * temporary name beside its place, checked against the manifest's size and SHA-256, forced to disk and only
 * then renamed into place: a corrupted byte fails the pull naming the shard, and nothing is left under its
 * final name. The manifest is written last.
 *
 * <p>Thread contract: the methods may run on any thread; the listener is called from several threads.
 */
public final class Transfer {
  /** Suffix of a shard being downloaded (not {@code .atp}, so a half-pulled directory lists no partial shard). */
  public static final String PART_SUFFIX = ".atomstore-part";
  private static final int BUFFER = 1 << 20;

  private Transfer() {}

  /** What a transfer reports as it goes; the methods are called from several threads at once. */
  public interface Listener {
    /** {@code n} more bytes were sent or received. */
    default void bytes(long n) {}

    /** A shard was transferred whole ({@code skipped} false) or was already in place ({@code skipped} true). */
    default void shard(String path, boolean skipped) {}

    Listener NONE = new Listener() {};
  }

  /** What a transfer did: shards sent or received, shards already in place, bytes moved. */
  public record Result(int transferred, int skipped, long bytes, Manifest manifest) {}

  /**
   * Publishes the dataset in {@code dir} to {@code dest}. The directory's Atomstore manifest lists the shards;
   * without one (or with Atompack's), one is made from the shards (counts, sizes, SHA-256) and published.
   * Every shard is checked against the manifest before it is sent.
   *
   * @throws CorruptFileException when a local shard does not match its manifest
   * @throws IOException when the store fails; shards already sent stay, the manifest is not written
   */
  public static Result publish(Path dir, ObjectStore dest, boolean resume, int threads, Listener listener) throws IOException {
    if (!dest.writable()) throw new IllegalArgumentException("cannot publish to a read-only store: " + dest.address());
    Path root = dir.toAbsolutePath().normalize();
    Manifest m = localManifest(root);
    AtomicLong moved = new AtomicLong();
    List<Boolean> skipped = runAll(threads, m.shards(), shard -> {
      Path file = root.resolve(shard.path());
      String hash = Sha.of(file);
      if (Files.size(file) != shard.bytes() || !hash.equals(shard.sha256())) {
        throw new CorruptFileException(file, -1, "shard '" + shard.path() + "' does not match the manifest (" + Files.size(file)
            + " bytes, sha256 " + hash + "; the manifest says " + shard.bytes() + " bytes, sha256 " + shard.sha256() + ")");
      }
      if (resume && present(dest, shard)) {
        listener.shard(shard.path(), true);
        return true;
      }
      dest.write(shard.path(), file);
      moved.addAndGet(shard.bytes());
      listener.bytes(shard.bytes());
      listener.shard(shard.path(), false);
      return false;
    });
    // last: a reader that finds the manifest finds every shard it names
    dest.write(Manifest.FILE_NAME, m.toBytes());
    int skips = (int) skipped.stream().filter(b -> b).count();
    return new Result(skipped.size() - skips, skips, moved.get(), m);
  }

  /** Whether {@code dest} holds the shard with the manifest's size and SHA-256 (read back to be sure). */
  private static boolean present(ObjectStore dest, Manifest.Shard shard) throws IOException {
    Optional<Long> size = dest.size(shard.path());
    if (size.isEmpty() || size.get() != shard.bytes()) return false;
    MessageDigest md = Sha.digest();
    try (InputStream in = dest.read(shard.path())) {
      byte[] buf = new byte[BUFFER];
      for (int n; (n = in.read(buf)) >= 0; ) md.update(buf, 0, n);
    }
    return HexFormat.of().formatHex(md.digest()).equals(shard.sha256());
  }

  /** The directory's Atomstore manifest, or one made from its shards. */
  private static Manifest localManifest(Path root) throws IOException {
    Path file = root.resolve(Manifest.FILE_NAME);
    List<String> paths = null;
    if (Files.isRegularFile(file)) {
      byte[] bytes = Files.readAllBytes(file);
      if (!Manifest.isAtompack(bytes)) return Manifest.read(file);
      paths = AtompackManifest.parse(bytes, file.toString()).outputFiles();
    }
    if (paths == null) {
      paths = new ArrayList<>();
      for (Path p : ShardedDataset.listShards(root)) paths.add(root.relativize(p).toString().replace('\\', '/'));
    }
    if (paths.isEmpty()) throw new java.nio.file.NoSuchFileException(root.toString(), null, "no manifest and no .atp files to publish");
    List<Manifest.Shard> shards = new ArrayList<>();
    for (String p : paths) {
      Path f = root.resolve(p);
      long count;
      try (AtpReader r = AtpReader.open(f)) {
        count = r.size();
      }
      shards.add(new Manifest.Shard(p, count, Files.size(f), Sha.of(f)));
    }
    return Manifest.of(shards, null);
  }

  /**
   * Pulls the dataset in {@code src} into {@code dir} (created when missing). Atomstore's manifest gives every
   * shard's size and SHA-256; a dataset with Atompack's manifest or none is pulled by the store's listing (sizes
   * checked, and SHA-256 where the store lists one, as the Hub does for LFS files), and an Atomstore manifest is
   * written for it.
   *
   * @throws CorruptFileException naming the shard and the store when a shard's bytes do not match
   */
  public static Result pull(ObjectStore src, Path dir, int threads, Listener listener) throws IOException {
    Path root = dir.toAbsolutePath().normalize();
    Files.createDirectories(root);
    Optional<Long> manifestSize = src.size(Manifest.FILE_NAME);
    byte[] manifestBytes = null;
    if (manifestSize.isPresent()) {
      try (InputStream in = src.read(Manifest.FILE_NAME)) {
        manifestBytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, manifestSize.get() + 1));
      }
    }
    String manifestName = src.address().replaceAll("/+$", "") + "/" + Manifest.FILE_NAME;
    Manifest m = null;
    List<Manifest.Shard> shards = new ArrayList<>();
    if (manifestBytes != null && !Manifest.isAtompack(manifestBytes)) {
      m = Manifest.parse(manifestBytes, manifestName);
      shards.addAll(m.shards());
    } else {
      List<String> paths = new ArrayList<>();
      if (manifestBytes != null) {
        paths.addAll(AtompackManifest.parse(manifestBytes, manifestName).outputFiles());
      } else {
        for (ObjectStore.Entry e : src.list("")) if (e.name().endsWith(".atp")) paths.add(e.name());
        paths.sort(null);
      }
      if (paths.isEmpty()) throw new java.nio.file.NoSuchFileException(src.address(), null, "no manifest and no .atp files to pull");
      for (String p : paths) {
        long size = src.size(p).orElseThrow(() -> new java.nio.file.NoSuchFileException(src.address() + "/" + p, null, "shard listed by the manifest is missing"));
        String sha = src instanceof Checksummed c ? c.sha256(p).orElse(null) : null;
        shards.add(new Manifest.Shard(p, -1, size, sha));
      }
    }
    for (Manifest.Shard s : shards) {
      String problem = spelling(s.path());
      if (problem != null) throw new CorruptFileException(manifestName, -1, "shard path '" + s.path() + "' " + problem);
    }
    AtomicLong moved = new AtomicLong();
    List<Boolean> skipped = runAll(threads, shards, shard -> {
      Path target = root.resolve(shard.path());
      if (Files.isRegularFile(target) && Files.size(target) == shard.bytes() && (shard.sha256() == null || Sha.of(target).equals(shard.sha256()))) {
        listener.shard(shard.path(), true);
        return true;
      }
      download(src, shard, target, listener);
      moved.addAndGet(shard.bytes());
      listener.shard(shard.path(), false);
      return false;
    });
    if (m != null) {
      writeAtomically(root.resolve(Manifest.FILE_NAME), manifestBytes);
    } else {
      List<Manifest.Shard> made = new ArrayList<>();
      for (Manifest.Shard s : shards) {
        Path f = root.resolve(s.path());
        try (AtpReader r = AtpReader.open(f)) {
          made.add(new Manifest.Shard(s.path(), r.size(), s.bytes(), s.sha256() != null ? s.sha256() : Sha.of(f)));
        }
      }
      m = Manifest.of(made, null);
      m.write(root);
    }
    int skips = (int) skipped.stream().filter(b -> b).count();
    return new Result(skipped.size() - skips, skips, moved.get(), m);
  }

  /** Downloads one shard to a temporary name, checks it, and renames it into place. */
  private static void download(ObjectStore src, Manifest.Shard shard, Path target, Listener listener) throws IOException {
    Files.createDirectories(target.getParent());
    Path part = target.resolveSibling(target.getFileName() + PART_SUFFIX);
    MessageDigest md = Sha.digest();
    long got = 0;
    boolean placed = false;
    try {
      try (InputStream in = src.read(shard.path());
          FileChannel ch = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
          OutputStream out = Channels.newOutputStream(ch)) {
        byte[] buf = new byte[BUFFER];
        for (int n; (n = in.read(buf)) >= 0; ) {
          got += n;
          if (got > shard.bytes()) break; // more bytes than the manifest allows: reported below, not written on
          md.update(buf, 0, n);
          out.write(buf, 0, n);
          listener.bytes(n);
        }
        out.flush();
        ch.force(true);
      }
      String where = src.address().replaceAll("/+$", "") + "/" + shard.path();
      if (got != shard.bytes()) {
        throw new CorruptFileException(where, -1, "shard '" + shard.path() + "': received " + (got > shard.bytes() ? "more than " : "")
            + got + " bytes, the manifest says " + shard.bytes() + "; not written");
      }
      String hash = HexFormat.of().formatHex(md.digest());
      if (shard.sha256() != null && !hash.equals(shard.sha256())) {
        throw new CorruptFileException(where, -1, "shard '" + shard.path() + "': sha256 of the bytes received is " + hash
            + ", the manifest says " + shard.sha256() + "; not written");
      }
      Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      placed = true;
    } finally {
      if (!placed) Files.deleteIfExists(part);
    }
  }

  private static void writeAtomically(Path target, byte[] bytes) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + PART_SUFFIX);
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(java.nio.ByteBuffer.wrap(bytes));
      ch.force(true);
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static String spelling(String p) {
    if (p.isEmpty() || p.startsWith("/") || p.indexOf('\\') >= 0 || p.indexOf('\0') >= 0) return "is not a safe relative path";
    for (String seg : p.split("/", -1)) if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) return "has an empty, '.' or '..' segment";
    return null;
  }

  private interface ShardTask {
    boolean run(Manifest.Shard shard) throws IOException;
  }

  /** Runs the task for every shard, {@code threads} at once; the first failure is thrown once all have stopped. */
  private static List<Boolean> runAll(int threads, List<Manifest.Shard> shards, ShardTask task) throws IOException {
    if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, not " + threads);
    List<Boolean> out = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads, Thread.ofPlatform().daemon().name("atomstore-transfer-", 0).factory())) {
      List<Future<Boolean>> running = new ArrayList<>();
      for (Manifest.Shard s : shards) {
        running.add(pool.submit(() -> {
          try {
            return task.run(s);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }));
      }
      IOException failed = null;
      for (Future<Boolean> f : running) {
        try {
          out.add(f.get());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          pool.shutdownNow();
          throw new java.io.InterruptedIOException("transfer interrupted");
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof UncheckedIOException u)) throw new IllegalStateException("transfer failed", e.getCause());
          if (failed == null) {
            failed = u.getCause();
            // shards not yet started are not started: a failed transfer stops soon
            for (Future<Boolean> other : running) other.cancel(false);
          } else if (failed != u.getCause()) {
            failed.addSuppressed(u.getCause());
          }
        } catch (java.util.concurrent.CancellationException e) {
          // not started after the first failure
        }
      }
      if (failed != null) throw failed;
    }
    return out;
  }

  /** SHA-256 as lower-case hex. */
  static final class Sha {
    private Sha() {}

    static MessageDigest digest() {
      try {
        return MessageDigest.getInstance("SHA-256");
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JDK provides SHA-256", e);
      }
    }

    static String of(Path file) throws IOException {
      MessageDigest md = digest();
      try (InputStream in = Files.newInputStream(file)) {
        byte[] buf = new byte[BUFFER];
        for (int n; (n = in.read(buf)) >= 0; ) md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    }
  }
}
