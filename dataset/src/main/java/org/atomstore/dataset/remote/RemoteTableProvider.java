package org.atomstore.dataset.remote;

import java.io.IOException;
import org.atomstore.table.Table;
import org.atomstore.table.TableProvider;

/**
 * Opens {@code http://}, {@code https://}, {@code s3://} and {@code hf://} addresses for {@link org.atomstore.table.Tables#open}:
 * an address ending in {@code .atp} as one file, anything else as a dataset (see {@link Addresses}).
 */
public final class RemoteTableProvider implements TableProvider {
  @Override
  public boolean accepts(String address) {
    return Addresses.isRemote(address);
  }

  @Override
  public Table open(String address) throws IOException {
    return Addresses.openTable(address);
  }

  /** Asked before the providers of local files: a URL ending in {@code .atp} is not a local path. */
  @Override
  public int priority() { return 100; }
}
