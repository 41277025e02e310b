package org.atomstore.data.lmdb;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * asebytes' LMDB stores ({@code NAME.lmdb/GROUP/data.mdb}, asebytes 0.3.2's layout, see
 * {@code shared/compat/asebytes/README.md}): lists a store's groups and opens one group as an object table
 * ({@link LmdbObjectTable}, what asebytes' {@code ObjectIO} and {@code ASEIO} read) or a blob table
 * ({@link LmdbBlobTable}, {@code BlobIO}).
 *
 * <p>{@link Mode#READ_ONLY} opens with {@code MDB_RDONLY | MDB_NOLOCK}: nothing is written, not even a lock file,
 * so stores in read-only folders open; it assumes no process writes the store meanwhile.
 * {@link Mode#READ_WRITE} creates the store and group directories when missing. Stateless.
 */
public final class AsebytesLmdb {

  /** The group asebytes uses when none is given. */
  public static final String DEFAULT_GROUP = "default";

  /** How a group is opened. */
  public enum Mode { READ_ONLY, READ_WRITE }

  private AsebytesLmdb() {}

  /**
   * The store's groups, as asebytes' {@code list_groups}: sub-directories holding {@code data.mdb} or
   * {@code lock.mdb}, sorted; empty when {@code store} does not exist.
   */
  public static List<String> listGroups(Path store) throws IOException {
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(store)) return out;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(store)) {
      for (Path p : ds) {
        if (Files.isDirectory(p) && (Files.exists(p.resolve("data.mdb")) || Files.exists(p.resolve("lock.mdb")))) {
          out.add(p.getFileName().toString());
        }
      }
    }
    out.sort(null);
    return out;
  }

  /** Opens a group's rows as objects (msgpack values). */
  public static LmdbObjectTable openObjects(Path store, String group, Mode mode) throws IOException {
    return new LmdbObjectTable(open(store, group, mode));
  }

  /** Opens a group's rows as raw bytes. */
  public static LmdbBlobTable openBlobs(Path store, String group, Mode mode) throws IOException {
    return new LmdbBlobTable(open(store, group, mode));
  }

  private static LmdbGroup open(Path store, String group, Mode mode) throws IOException {
    return LmdbGroup.open(groupDir(store, group), store.toString(), group, mode == Mode.READ_ONLY);
  }

  /**
   * The directory of {@code group}; a name that would leave the store or nest directories ({@code /}, {@code \},
   * {@code ..}, {@code .}, NUL, empty) is refused with a {@link FileSystemException} naming the store.
   */
  static Path groupDir(Path store, String group) throws IOException {
    if (group == null || group.isEmpty() || group.equals(".") || group.contains("..") || group.indexOf('/') >= 0
        || group.indexOf('\\') >= 0 || group.indexOf('\0') >= 0) {
      throw new FileSystemException(store.toString(), null, "invalid group name '" + group
          + "': a group is one directory of the store (no '/', '\\\\', '..', NUL, not '.' or empty)");
    }
    return store.resolve(group);
  }
}
