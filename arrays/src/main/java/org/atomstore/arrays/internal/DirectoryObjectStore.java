package org.atomstore.arrays.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.atomstore.source.ByteSource;
import org.atomstore.source.ObjectStore;

/**
 * A minimal {@link ObjectStore} over a local directory, for the array store's local backend until the remote
 * module's directory store is on main: blobs are files, names are {@code /}-separated relative paths, a
 * write goes to a temporary file in the same directory and is renamed into place, a delete removes the file
 * and the directories it leaves empty. A read of a missing blob throws {@link NoSuchFileException}.
 *
 * <p>Thread contract: safe for concurrent use.
 */
public final class DirectoryObjectStore implements ObjectStore {
  private static final AtomicLong TEMP = new AtomicLong();
  private final Path root;

  public DirectoryObjectStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() { return root; }

  @Override
  public String address() { return root.toString(); }

  /** The file of a blob; refuses names that would leave the root. */
  public Path file(String name) {
    if (name.isEmpty() || name.startsWith("/") || name.contains("\\")) throw new IllegalArgumentException("bad blob name '" + name + "'");
    for (String seg : name.split("/", -1)) {
      if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) throw new IllegalArgumentException("bad blob name '" + name + "'");
    }
    return root.resolve(name);
  }

  @Override
  public List<Entry> list(String prefix) throws IOException {
    List<Entry> out = new ArrayList<>();
    if (!Files.isDirectory(root)) return out;
    // walk only below the deepest directory the prefix names
    int slash = prefix.lastIndexOf('/');
    Path start = slash < 0 ? root : root.resolve(prefix.substring(0, slash));
    if (slash >= 0) file(prefix.substring(0, slash));
    if (!Files.isDirectory(start)) return out;
    try (Stream<Path> s = Files.walk(start)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (!Files.isRegularFile(p)) continue;
        String name = root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
        if (name.startsWith(prefix) && !isTemp(name)) out.add(new Entry(name, Files.size(p)));
      }
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
    out.sort((a, b) -> a.name().compareTo(b.name()));
    return out;
  }

  private static boolean isTemp(String name) {
    int s = name.lastIndexOf('/');
    return name.startsWith(".tmp-", s + 1);
  }

  @Override
  public Optional<Long> size(String name) throws IOException {
    Path p = file(name);
    return Files.isRegularFile(p) ? Optional.of(Files.size(p)) : Optional.empty();
  }

  @Override
  public ByteSource open(String name) throws IOException {
    Path p = file(name);
    FileChannel ch = FileChannel.open(p, StandardOpenOption.READ);
    long size = ch.size();
    String label = p.toString();
    return new ByteSource() {
      public String name() { return label; }

      public long size() { return size; }

      public void read(long offset, MemorySegment dst) throws IOException {
        if (offset < 0 || offset + dst.byteSize() > size) throw new EOFException("read of " + dst.byteSize() + " bytes at " + offset + " past end (" + size + " bytes) of " + label);
        var buf = dst.asByteBuffer();
        long pos = offset;
        while (buf.hasRemaining()) {
          int n = ch.read(buf, pos);
          if (n < 0) throw new EOFException("unexpected end of " + label + " at " + pos);
          pos += n;
        }
      }

      public void close() throws IOException { ch.close(); }
    };
  }

  @Override
  public InputStream read(String name) throws IOException {
    return Files.newInputStream(file(name));
  }

  /** The whole blob; NoSuchFileException when there is none. */
  public byte[] readAll(String name) throws IOException {
    return Files.readAllBytes(file(name));
  }

  @Override
  public void write(String name, Path file) throws IOException {
    write(name, Files.readAllBytes(file));
  }

  @Override
  public void write(String name, byte[] bytes) throws IOException {
    Path target = file(name);
    Files.createDirectories(target.getParent());
    Path tmp = target.resolveSibling(".tmp-" + ProcessHandle.current().pid() + "-" + TEMP.incrementAndGet() + "-" + target.getFileName());
    try {
      Files.write(tmp, bytes);
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Override
  public void delete(String name) throws IOException {
    Path p = file(name);
    Files.deleteIfExists(p);
    for (Path dir = p.getParent(); dir != null && !dir.equals(root) && dir.startsWith(root); dir = dir.getParent()) {
      try {
        Files.delete(dir);
      } catch (DirectoryNotEmptyException | NoSuchFileException e) {
        break;
      }
    }
  }

  @Override
  public boolean writable() { return true; }

  @Override
  public void close() {}
}
