package org.atomstore.table;

import java.io.IOException;

/**
 * Opens tables of one kind from an address: {@code .atp} files and dataset directories, ASE databases,
 * extended XYZ, {@code .aselmdb}, asebytes {@code .lmdb}, {@code memory://}, {@code redis://}, {@code https://},
 * {@code s3://}, {@code hf://}. Modules register theirs with {@link java.util.ServiceLoader} ({@code provides}
 * in their module-info and a {@code META-INF/services} file for the class path); {@link Tables#open} asks them
 * in order of {@link #priority()}.
 */
public interface TableProvider {

  /** Whether this provider opens {@code address} (by its scheme, its extension or what is there). */
  boolean accepts(String address);

  /** Opens the table at {@code address}; {@link #accepts} said yes. */
  Table open(String address) throws IOException;

  /** Higher is asked first, for providers that accept the same addresses; 0 by default. */
  default int priority() { return 0; }
}
