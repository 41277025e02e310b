package org.atomstore.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The mutations suite on memory tables, and what memory adds: addresses shared in the JVM, groups. */
class MemoryTableTest extends MutableObjectTableContract {

  @Override
  protected MutableObjectTable create() {
    return MemoryTable.open("memory://" + UUID.randomUUID());
  }

  @Test
  void tablesAtOneAddressShareRows() {
    String name = "shared-" + UUID.randomUUID();
    try (MemoryTable a = MemoryTable.open("memory://" + name + "/g1"); MemoryTable b = MemoryTable.open("memory://" + name + "/g1")) {
      a.extend(List.of(row("info.x", 1L)));
      assertThat(b.size()).isEqualTo(1);
    }
    try (MemoryTable again = MemoryTable.open(name, "g1")) {
      assertThat(again.size()).isEqualTo(1);
    }
  }

  @Test
  void groupsAreSeparateAndListed() {
    String name = "groups-" + UUID.randomUUID();
    try (MemoryTable a = MemoryTable.open(name, "train"); MemoryTable b = MemoryTable.open(name, "test")) {
      a.extend(List.of(row("info.x", 1L)));
      assertThat(b.size()).isZero();
      assertThat(MemoryTable.listGroups(name)).containsExactly("test", "train");
    }
    MemoryTable.drop(name);
    assertThat(MemoryTable.listGroups(name)).isEmpty();
  }

  @Test
  void refusesAGroupNameWithASlash() {
    assertThatThrownBy(() -> MemoryTable.open("x", "a/b")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a/b");
  }

  @Test
  void useAfterCloseIsAnIllegalState() {
    MemoryTable t = MemoryTable.open("memory://" + UUID.randomUUID());
    t.close();
    t.close();
    assertThatThrownBy(t::size).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  void theAtpTierOfAReadOnlyTableSaysItIsReadOnly() throws Exception {
    java.nio.file.Path f = java.nio.file.Files.createTempFile("ro", ".atp");
    try {
      try (var w = org.atomstore.store.AtpWriter.create(f, org.atomstore.codec.Compression.NONE)) {
        w.add(TableContract.sampleMolecules(1).get(0));
        w.flush();
      }
      try (MoleculeTable mt = new MoleculeTable(Tiers.rows(org.atomstore.store.AtpReader.open(f)), MoleculeRows.standard())) {
        assertThatThrownBy(() -> mt.add(TableContract.sampleMolecules(1).get(0)))
            .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("read-only").hasMessageContaining(f.toString());
      }
    } finally {
      java.nio.file.Files.deleteIfExists(f);
    }
  }
}
