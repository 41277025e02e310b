package org.atomstore.dataset.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.atomstore.dataset.ShardedDataset;
import org.atomstore.store.AtpReader;
import org.atomstore.table.Table;
import org.atomstore.table.TableProvider;

/**
 * Opens {@code .atp} files (as an {@link AtpReader}) and dataset directories (a {@link ShardedDataset}: a
 * directory with a {@code manifest.json}, or one whose name ends in {@code .atp}-holding shards) by path.
 */
public final class AtpTableProvider implements TableProvider {

  @Override
  public boolean accepts(String address) {
    if (address.contains("://")) return false;
    if (address.toLowerCase(Locale.ROOT).endsWith(".atp")) return true;
    Path p = Path.of(address);
    return Files.isDirectory(p) && (ShardedDataset.hasManifest(p) || hasShards(p));
  }

  private static boolean hasShards(Path dir) {
    try {
      return !ShardedDataset.listShards(dir).isEmpty();
    } catch (IOException e) {
      return false; // an unreadable directory is no dataset this provider can open; another may
    }
  }

  @Override
  public Table open(String address) throws IOException {
    Path p = Path.of(address);
    return Files.isDirectory(p) ? ShardedDataset.open(p) : AtpReader.open(p);
  }
}
