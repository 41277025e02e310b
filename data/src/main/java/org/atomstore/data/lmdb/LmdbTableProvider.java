package org.atomstore.data.lmdb;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.atomstore.data.Tiers;
import org.atomstore.table.Table;
import org.atomstore.table.TableProvider;

/**
 * {@code STORE.lmdb} (group {@code default}) or {@code STORE.lmdb?group=NAME}: an asebytes LMDB group, opened
 * read-only, as molecules (asebytes' ASE rows through {@link Tiers#molecules}).
 */
public final class LmdbTableProvider implements TableProvider {
  private static final String GROUP = "?group=";

  @Override
  public boolean accepts(String address) {
    if (address.contains("://")) return false;
    int q = address.indexOf(GROUP);
    String path = (q < 0 ? address : address.substring(0, q)).toLowerCase(Locale.ROOT);
    return path.endsWith(".lmdb") || path.endsWith(".lmdb/");
  }

  @Override
  public Table open(String address) throws IOException {
    int q = address.indexOf(GROUP);
    Path store = Path.of(q < 0 ? address : address.substring(0, q));
    String group = q < 0 ? AsebytesLmdb.DEFAULT_GROUP : address.substring(q + GROUP.length());
    return Tiers.molecules(AsebytesLmdb.openObjects(store, group, AsebytesLmdb.Mode.READ_ONLY));
  }
}
