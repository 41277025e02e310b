package org.atomstore.data.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.atomstore.data.ExtxyzTable;
import org.atomstore.data.MemoryTable;
import org.atomstore.data.Tiers;
import org.atomstore.table.Table;
import org.atomstore.table.TableProvider;

/** The data module's table providers: {@code memory://} and extended XYZ files. */
public final class DataTableProviders {
  private DataTableProviders() {}

  /** {@code memory://NAME[/GROUP]}: molecules over a {@link MemoryTable}. */
  public static final class Memory implements TableProvider {
    @Override
    public boolean accepts(String address) { return address.startsWith(MemoryTable.SCHEME); }

    @Override
    public Table open(String address) { return Tiers.molecules(MemoryTable.open(address)); }
  }

  /** {@code .xyz} and {@code .extxyz} files, also {@code .gz}, {@code .bz2} and {@code .xz} compressed. */
  public static final class Extxyz implements TableProvider {
    @Override
    public boolean accepts(String address) {
      if (address.contains("://")) return false;
      String a = address.toLowerCase(Locale.ROOT).replaceAll("\\.(gz|bz2|xz)$", "");
      return a.endsWith(".xyz") || a.endsWith(".extxyz");
    }

    @Override
    public Table open(String address) throws IOException { return ExtxyzTable.open(Path.of(address)); }
  }
}
