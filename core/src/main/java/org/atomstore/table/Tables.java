package org.atomstore.table;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/** Opens any table by path or address through the registered {@link TableProvider}s. */
public final class Tables {
  private Tables() {}

  /**
   * Opens the table at {@code address} with the first provider (by priority) that accepts it.
   *
   * @throws NoSuchFileException naming the address when no provider accepts it
   */
  public static Table open(String address) throws IOException {
    for (TableProvider p : providers()) {
      if (p.accepts(address)) return p.open(address);
    }
    throw new NoSuchFileException(address, null, "no table format accepts this path or address");
  }

  /** The registered providers, highest priority first. */
  public static List<TableProvider> providers() {
    return ServiceLoader.load(TableProvider.class, Tables.class.getClassLoader()).stream()
        .map(ServiceLoader.Provider::get)
        .sorted(Comparator.comparingInt(TableProvider::priority).reversed())
        .toList();
  }
}
