package org.atomstore.data.redis;

import java.io.IOException;
import org.atomstore.data.Tiers;
import org.atomstore.table.Table;
import org.atomstore.table.TableProvider;

/**
 * {@code redis://HOST[:PORT][/DB][/GROUP]} for {@link org.atomstore.table.Tables#open}: the group's rows
 * ({@link RedisTable}) seen as molecules through the tiers ({@link Tiers#molecules}). Stateless.
 */
public final class RedisTableProvider implements TableProvider {
  @Override
  public boolean accepts(String address) {
    return RedisAddress.accepts(address);
  }

  @Override
  public Table open(String address) throws IOException {
    return Tiers.molecules(RedisTable.open(address));
  }
}
