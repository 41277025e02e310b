package org.atomstore.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.atomstore.dataset.ShardedDataset;
import org.atomstore.io.extxyz.ExtxyzReader;
import org.atomstore.store.AtpReader;
import org.atomstore.table.Table;
import org.atomstore.table.TableProvider;
import org.atomstore.table.Tables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Tables#open} finds the data module's and the dataset module's providers by address. */
class TablesRegistryTest {
  @TempDir Path dir;

  @Test
  void theProvidersAreRegistered() {
    assertThat(Tables.providers()).extracting(p -> p.getClass().getSimpleName()).contains("AtpTableProvider", "Memory", "Extxyz");
  }

  @Test
  void pathsAndAddressesOpenTheRightKind() throws IOException {
    Path xyz = dir.resolve("a.xyz");
    Files.writeString(xyz, "1\nenergy=1.5\nH 0 0 0\n");
    for (String ext : List.of("bz2", "xz")) {
      Path z = dir.resolve("a.extxyz." + ext);
      try (OutputStream out = ext.equals("bz2") ? new BZip2CompressorOutputStream(Files.newOutputStream(z)) : new XZCompressorOutputStream(Files.newOutputStream(z))) {
        Files.copy(xyz, out);
      }
      try (Table t = Tables.open(z.toString())) {
        assertThat(t).isInstanceOf(ExtxyzTable.class);
        assertThat(t.get(0).energyAsDouble()).isEqualTo(1.5);
      }
    }
    try (Table t = Tables.open("memory://registry-test/g")) {
      assertThat(t).isInstanceOf(MoleculeTable.class);
      assertThat(t.source()).isEqualTo("memory://registry-test/g");
    }
    try (Table t = Tables.open(dir.toString())) { // a directory of no .atp files is no dataset
      throw new AssertionError("opened " + t);
    } catch (NoSuchFileException expected) {
      assertThat(expected.getMessage()).contains(dir.toString());
    }
  }

  @Test
  void anUnknownAddressNamesItself() {
    assertThatThrownBy(() -> Tables.open("nothing.unknown")).isInstanceOf(NoSuchFileException.class).hasMessageContaining("nothing.unknown");
  }

  @Test
  void theAtpProviderOpensFilesAndDirectories() throws IOException {
    TableProvider atp = Tables.providers().stream().filter(p -> p.getClass().getSimpleName().equals("AtpTableProvider")).findFirst().orElseThrow();
    Path f = dir.resolve("x.atp");
    try (var w = org.atomstore.store.AtpWriter.create(f, org.atomstore.codec.Compression.NONE)) {
      w.add(TableContract.sampleMolecules(1).get(0));
      w.flush();
    }
    assertThat(atp.accepts(f.toString())).isTrue();
    assertThat(atp.accepts(dir.toString())).isTrue();
    assertThat(atp.accepts("memory://x")).isFalse();
    try (Table t = atp.open(f.toString())) {
      assertThat(t).isInstanceOf(AtpReader.class);
    }
    try (Table t = atp.open(dir.toString())) {
      assertThat(t).isInstanceOf(ShardedDataset.class);
    }
  }

  @Test
  void anExtxyzFilesRowsComeStraightFromAse() throws IOException {
    Path xyz = dir.resolve("c.xyz");
    Files.writeString(xyz, "2\nProperties=species:S:1:pos:R:3 energy=-2.0 note=hello\nH 0 0 0\nH 0 0 0.7\n");
    try (Table t = Tables.open(xyz.toString()); ObjectTable rows = Tiers.rows(t)) {
      Map<String, Object> r = rows.get(0);
      assertThat(r).isEqualTo(AtomsRows.standard().toRow(ExtxyzReader.readAll(xyz).get(0)));
      assertThat(r).containsEntry("calc.energy", -2.0).containsEntry("info.note", "hello");
    }
  }
}
