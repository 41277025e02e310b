package org.atomstore.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.atomstore.dataset.ShardedDataset;
import org.atomstore.store.AtpReader;
import org.atomstore.table.Table;
import org.atomstore.table.TableProvider;
import org.atomstore.table.Tables;

/**
 * Opens the tables commands take, by path or address: a local {@code .atp} file or dataset directory as the
 * commands always did (same readers, same errors), anything else through {@link Tables#open} (asebytes
 * {@code .lmdb}, {@code .aselmdb}, ASE {@code .db}, extended XYZ, {@code memory://}, {@code redis://}, ... as
 * their modules register providers). A path no provider accepts is opened as an {@code .atp} file or dataset,
 * so its error is the one the commands always gave. Used by the command's thread.
 */
final class TableArgs {
  private TableArgs() {}

  /** Whether {@code arg} looks like an address ({@code scheme://...}) rather than a local path. */
  static boolean isAddress(String arg) {
    return arg.matches("[A-Za-z][A-Za-z0-9+.-]*://.*");
  }

  /** Whether {@code arg} is read as an {@code .atp} file or a dataset directory (not through a provider). */
  static boolean isAtpOrDataset(String arg) {
    if (isAddress(arg)) return false;
    Path p = Path.of(arg);
    if (arg.toLowerCase(Locale.ROOT).endsWith(".atp")) return true;
    if (providerFor(arg) == null) return true;
    // a directory another store claims (an asebytes LMDB store) is a dataset only when it holds one's files
    return Files.isDirectory(p) && (ShardedDataset.hasManifest(p) || holdsAtpFiles(p));
  }

  private static boolean holdsAtpFiles(Path dir) {
    try (var s = Files.list(dir)) {
      return s.anyMatch(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".atp"));
    } catch (IOException e) {
      return false; // opened as the store that claims it, which names the problem
    }
  }

  private static TableProvider providerFor(String arg) {
    for (TableProvider p : Tables.providers()) {
      if (p.accepts(arg)) return p;
    }
    return null;
  }

  /** How an argument is shown in output: a local path as {@link Path#toString()} gives it, an address as given. */
  static String display(String arg) {
    return isAddress(arg) ? arg : Path.of(arg).toString();
  }

  static List<String> display(List<String> args) {
    return args.stream().map(TableArgs::display).toList();
  }

  /** Opens one table. */
  static Table open(String arg) throws IOException {
    if (!isAtpOrDataset(arg)) return Tables.open(arg);
    Path p = Path.of(arg);
    return Files.isDirectory(p) ? ShardedDataset.open(p) : AtpReader.open(p);
  }

  /** Opens tables in order; on failure the ones already open are closed. */
  static List<Table> openAll(List<String> args) throws IOException {
    List<Table> out = new ArrayList<>(args.size());
    try {
      for (String a : args) out.add(open(a));
      return out;
    } catch (IOException | RuntimeException | Error e) {
      closeAll(out, e);
      throw e;
    }
  }

  /** Closes tables; failures are attached to {@code cause} when there is one, else thrown. */
  static void closeAll(List<Table> tables, Throwable cause) throws IOException {
    IOException first = null;
    for (Table t : tables) {
      try {
        t.close();
      } catch (IOException | RuntimeException e) {
        if (cause != null) cause.addSuppressed(e);
        else if (first == null) first = e instanceof IOException io ? io : new IOException(e);
      }
    }
    if (first != null) throw first;
  }

  /** A holder of open tables for try-with-resources. */
  record Opened(List<Table> tables) implements AutoCloseable {
    static Opened of(List<String> args) throws IOException {
      return new Opened(openAll(args));
    }

    @Override
    public void close() throws IOException {
      closeAll(tables, null);
    }
  }
}
