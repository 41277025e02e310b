package org.atomstore.data.lmdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.atomstore.model.Molecule;
import org.atomstore.table.Table;
import org.atomstore.table.Tables;
import org.junit.jupiter.api.Test;

/** {@code Tables.open("X.lmdb")} opens an asebytes store's group as molecules. */
class LmdbTableProviderTest {

  @Test
  void opensStoresAndGroupsByPath() throws IOException {
    String groups = LmdbTestSupport.corpus().resolve("groups.lmdb").toString();
    try (Table t = Tables.open(groups + "?group=train")) {
      assertThat(t.size()).isEqualTo(6);
      Molecule m = t.get(0);
      assertThat(m.atomCount()).isPositive();
    }
    try (Table t = Tables.open(LmdbTestSupport.corpus().resolve("molecules.lmdb").toString())) {
      assertThat(t.size()).isEqualTo(20);
    }
    assertThat(new LmdbTableProvider().accepts("x.aselmdb")).isFalse();
    assertThat(new LmdbTableProvider().accepts("redis://h/x.lmdb")).isFalse();
  }
}
