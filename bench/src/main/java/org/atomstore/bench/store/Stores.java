package org.atomstore.bench.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.atomstore.bench.BenchStore;
import org.atomstore.bench.DatasetSpec;

/** Creates the stores under comparison by id. Stateless. */
public final class Stores {
  /** Every store id, Atomstore variants first. */
  public static final List<String> ALL = List.of("atp-none", "atp-lz4", "atp-zstd:3", "lmdb", "sqlite", "extxyz", "hdf5");

  private Stores() {}

  /** A new store with id {@code id} keeping its files under {@code dir}. */
  public static BenchStore create(String id, Path dir, DatasetSpec spec) {
    if (id.startsWith("atp-")) return AtpStore.create(id.substring(4), dir, spec);
    return switch (id) {
      case "lmdb" -> new LmdbStore(dir, spec);
      case "sqlite" -> new SqliteStore(dir, spec);
      case "extxyz" -> new ExtxyzStore(dir, spec);
      case "hdf5" -> new Hdf5Store(dir, spec);
      default -> throw new IllegalArgumentException("unknown store '" + id + "'; known: " + String.join(", ", ALL)
          + " (atp-<compression> for any compression spelling)");
    };
  }

  /** Why store {@code id} cannot hold this dataset in this JVM, if it cannot. */
  public static Optional<String> skipReason(String id, DatasetSpec spec) {
    return id.equals("hdf5") ? Optional.ofNullable(Hdf5Store.skipReason(spec)) : Optional.empty();
  }

  /** Bytes used by the regular files under {@code dir}. */
  static long directorySize(Path dir) throws IOException {
    if (!Files.exists(dir)) return 0;
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).sum();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
