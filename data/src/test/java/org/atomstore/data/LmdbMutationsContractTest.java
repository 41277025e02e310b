package org.atomstore.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.atomstore.data.lmdb.AsebytesLmdb;
import org.atomstore.model.Molecule;
import org.atomstore.table.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mutations suite on an asebytes LMDB group. */
class LmdbMutationsContractTest extends MutableObjectTableContract {
  @TempDir Path tmp;

  @Override
  protected MutableObjectTable create() throws IOException {
    return AsebytesLmdb.openObjects(tmp.resolve("m.lmdb"), "default", AsebytesLmdb.Mode.READ_WRITE);
  }

  /**
   * asebytes' LMDB schema never shrinks: {@code drop} rewrites the rows without the keys but {@code __schema__}
   * keeps every name ever written (what real asebytes 0.3.2 leaves on disk, byte for byte).
   */
  @Override
  @Test
  void dropKeysRemovesThemEverywhere() throws IOException {
    t.extend(List.of(row("calc.energy", 1.0, "info.id", 1L), row("calc.energy", 2.0, "info.id", 2L)));
    t.dropKeys(List.of("calc.energy"));
    assertThat(t.get(1)).containsOnlyKeys("info.id");
    assertThat(t.get(0)).containsOnlyKeys("info.id");
    assertThat(t.keys()).containsExactly("calc.energy", "info.id");
  }
}
