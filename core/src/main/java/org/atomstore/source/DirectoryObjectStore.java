package org.atomstore.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An {@link ObjectStore} over a local directory: blob {@code a/b.atp} is the file {@code ROOT/a/b.atp}. A write
 * goes to a temporary file in the blob's own directory, is forced to disk, and is renamed into place atomically,
 * so a reader sees the old blob or the new one, never a part; an interrupted write leaves only a temporary file
 * ({@code .atomstore-tmp-*}), which listing skips. Names that would leave the root ({@code ..}, absolute,
 * empty segments) are refused with {@link IllegalArgumentException}; symbolic links inside the root are followed.
 *
 * <p>Thread contract: safe for concurrent use, also by other processes on the same directory (each write renames
 * a file of its own).
 */
public final class DirectoryObjectStore implements ObjectStore {

  /** Start of the file names of writes in progress. */
  static final String TEMP_PREFIX = ".atomstore-tmp-";

  private final Path root;

  private DirectoryObjectStore(Path root) {
    this.root = root;
  }

  /** The store over {@code root}, which is created (with its parents) when missing. */
  public static DirectoryObjectStore open(Path root) throws IOException {
    Objects.requireNonNull(root, "root");
    Path abs = root.toAbsolutePath().normalize();
    Files.createDirectories(abs);
    if (!Files.isDirectory(abs)) throw new NotDirectoryException(abs.toString());
    return new DirectoryObjectStore(abs);
  }

  /** The directory this store is over. */
  public Path root() { return root; }

  @Override
  public String address() { return root.toString(); }

  private Path file(String name) {
    ObjectStore.checkName(name);
    Path p = root.resolve(name).normalize();
    // The segment check above already keeps names inside; this guards against a platform resolving differently.
    if (!p.startsWith(root) || p.equals(root)) throw new IllegalArgumentException("blob name escapes the store root: " + name);
    return p;
  }

  @Override
  public List<Entry> list(String prefix) throws IOException {
    Objects.requireNonNull(prefix, "prefix");
    List<Entry> out = new ArrayList<>();
    walk(root, "", prefix, out);
    out.sort(Comparator.comparing(Entry::name));
    return out;
  }

  private static void walk(Path dir, String rel, String prefix, List<Entry> out) throws IOException {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String fileName = p.getFileName().toString();
        if (fileName.startsWith(TEMP_PREFIX)) continue;
        String name = rel + fileName;
        BasicFileAttributes a;
        try {
          a = Files.readAttributes(p, BasicFileAttributes.class);
        } catch (NoSuchFileException gone) {
          continue; // deleted by a concurrent writer while listing
        }
        if (a.isDirectory()) {
          // Descend only where a name below could still start with the prefix.
          String sub = name + "/";
          if (sub.startsWith(prefix) || prefix.startsWith(sub)) walk(p, sub, prefix, out);
        } else if (a.isRegularFile() && name.startsWith(prefix)) {
          out.add(new Entry(name, a.size()));
        }
      }
    } catch (NoSuchFileException gone) {
      // a directory removed while listing has nothing to list
    }
  }

  @Override
  public Optional<Long> size(String name) throws IOException {
    Path p = file(name);
    try {
      BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
      return a.isRegularFile() ? Optional.of(a.size()) : Optional.empty();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public ByteSource open(String name) throws IOException {
    return MappedFileSource.open(file(name));
  }

  @Override
  public InputStream read(String name) throws IOException {
    return Files.newInputStream(file(name));
  }

  @Override
  public void write(String name, Path source) throws IOException {
    Path target = file(name);
    Path tmp = temp(target);
    try {
      try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
           FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)) {
        long size = in.size();
        for (long pos = 0; pos < size; ) pos += in.transferTo(pos, size - pos, out);
        out.force(true);
      }
      publish(tmp, target);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Override
  public void write(String name, byte[] bytes) throws IOException {
    Objects.requireNonNull(bytes, "bytes");
    Path target = file(name);
    Path tmp = temp(target);
    try {
      try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
           OutputStream os = java.nio.channels.Channels.newOutputStream(out)) {
        os.write(bytes);
        os.flush();
        out.force(true);
      }
      publish(tmp, target);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static Path temp(Path target) throws IOException {
    Files.createDirectories(target.getParent());
    // In the target's own directory so that the rename stays on one file system and is atomic.
    return target.resolveSibling(TEMP_PREFIX + target.getFileName() + "-"
        + Long.toHexString(ThreadLocalRandom.current().nextLong()));
  }

  private static void publish(Path tmp, Path target) throws IOException {
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    // The rename is durable once the directory itself is forced; not every platform allows opening one.
    try (FileChannel dir = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException | UnsupportedOperationException notSupported) {
      // best effort
    }
  }

  @Override
  public void delete(String name) throws IOException {
    Files.deleteIfExists(file(name));
  }

  @Override
  public boolean writable() { return true; }

  @Override
  public void close() {}

  @Override
  public String toString() { return "DirectoryObjectStore[" + root + "]"; }
}
