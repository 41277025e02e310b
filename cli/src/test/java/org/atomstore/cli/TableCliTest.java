package org.atomstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.atomstore.codec.Compression;
import org.atomstore.dataset.ShardedDataset;
import org.atomstore.model.Molecule;
import org.atomstore.store.AtpReader;
import org.atomstore.store.AtpWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands over any table (DESIGN seam 6): .atp records copied as stored, other tables through Tables.open. */
class TableCliTest {
  @TempDir Path dir;
  Path a;
  Path b;
  Path both;

  static Molecule molecule(long i) {
    return Molecule.of(new float[] {i, 0, 0, 0, i, 0}, Molecule.atomicNumbers(1, 8)).energy((double) i)
        .cell(new double[] {5, 0, 0, 0, 5, 0, 0, 0, 5}).pbc(true, true, true);
  }

  private Path write(String name, long from, long to, Compression c) throws IOException {
    Path p = dir.resolve(name);
    try (AtpWriter w = AtpWriter.create(p, c)) {
      for (long i = from; i < to; i++) w.add(molecule(i));
    }
    return p;
  }

  @BeforeEach
  void files() throws IOException {
    a = write("a.atp", 0, 30, Compression.NONE);
    b = write("b.atp", 30, 50, Compression.NONE);
    both = write("both.atp", 0, 50, Compression.NONE);
  }

  private static JsonNode json(CliRun r) throws IOException {
    assertThat(r.exitCode()).as(r.err()).isZero();
    return new ObjectMapper().readTree(r.out());
  }

  @Test
  void mergeAndConvertCopyRecordsAsStoredGivingTheSameBytes() throws IOException {
    Path merged = dir.resolve("merged.atp");
    assertThat(CliRun.of("merge", a.toString(), b.toString(), merged.toString()).exitCode()).isZero();
    assertThat(Files.readAllBytes(merged)).isEqualTo(Files.readAllBytes(both));
    Path converted = dir.resolve("converted.atp");
    assertThat(CliRun.of("convert", both.toString(), converted.toString()).exitCode()).isZero();
    assertThat(Files.readAllBytes(converted)).isEqualTo(Files.readAllBytes(both));
  }

  @Test
  void commandsTakeAnyTableByAddress() throws IOException {
    String wa = WrappedAtpProvider.SCHEME + a;
    Path merged = dir.resolve("m.atp");
    assertThat(CliRun.of("merge", wa, b.toString(), merged.toString()).exitCode()).isZero();
    assertThat(Files.readAllBytes(merged)).isEqualTo(Files.readAllBytes(both)); // decoded and encoded again: same bytes

    Path converted = dir.resolve("c.atp");
    JsonNode c = json(CliRun.of("convert", wa, converted.toString(), "--json"));
    assertThat(c.get("outputs").get(0).get("molecules").asLong()).isEqualTo(30);

    Path shards = dir.resolve("shards");
    assertThat(CliRun.of("shard", wa, shards.toString(), "--max-shard-molecules", "7").exitCode()).isZero();
    try (ShardedDataset ds = ShardedDataset.open(shards); AtpReader ra = AtpReader.open(a)) {
      assertThat(ds.shardCount()).isEqualTo(5);
      for (long i = 0; i < 30; i++) assertThat(ds.get(i)).isEqualTo(ra.get(i));
    }

    Path xyz = dir.resolve("a.extxyz");
    CliRun export = CliRun.of("export", wa, xyz.toString());
    assertThat(export.exitCode()).as(export.err()).isZero();
    assertThat(Files.readString(xyz).lines().filter(l -> l.equals("2")).count()).isEqualTo(30);

    JsonNode info = json(CliRun.of("info", wa, "--json"));
    assertThat(info.get("molecules").asLong()).isEqualTo(30);
    JsonNode dump = json(CliRun.of("dump", wa));
    assertThat(dump.get("rows")).hasSize(30);
    assertThat(dump.get("rows").get(3).get("builtins").get("energy").toString()).contains("3.0");
    JsonNode verify = json(CliRun.of("verify", wa, "--json"));
    assertThat(verify.get("ok").asBoolean()).isTrue();
  }

  @Test
  void convertWritesAnAsebytesStoreWithTheRowsOfExtendedXyz() throws IOException {
    Path gen = Path.of(System.getProperty("atomstore.shared", "../shared")).resolve("testdata/generated/extxyz");
    for (String name : new String[] {"calc_results.xyz", "custom_arrays.xyz", "constraints_fixatoms.xyz"}) {
      Path xyz = gen.resolve(name);
      Path store = dir.resolve(name + ".lmdb");
      CliRun r = CliRun.of("convert", xyz.toString(), store.toString());
      assertThat(r.exitCode()).as(r.err()).isZero();
      try (var src = org.atomstore.data.ExtxyzTable.open(xyz);
          var out = org.atomstore.data.lmdb.AsebytesLmdb.openObjects(store, "default",
              org.atomstore.data.lmdb.AsebytesLmdb.Mode.READ_ONLY)) {
        assertThat(out.size()).isEqualTo(src.size()).isPositive();
        for (long i = 0; i < src.size(); i++) assertThat(out.get(i)).as(name + " row " + i).isEqualTo(src.rows().get(i));
      }
      assertThat(CliRun.of("dump", store.toString()).exitCode()).isZero();
      // the store is read back as a table (a directory, not a dataset): by convert, iterate and info
      Path back = dir.resolve(name + ".back.atp");
      CliRun c = CliRun.of("convert", store.toString(), back.toString());
      assertThat(c.exitCode()).as(c.err()).isZero();
      try (var src = org.atomstore.data.ExtxyzTable.open(xyz); AtpReader rb = AtpReader.open(back)) {
        assertThat(rb.size()).as(name).isEqualTo(src.size());
        for (long i = 0; i < rb.size(); i++) assertThat(rb.get(i).atomCount()).isEqualTo(src.get(i).atomCount());
      }
      JsonNode it = json(CliRun.of("iterate", store.toString(), "--batch-size", "4", "--json"));
      try (var src = org.atomstore.data.ExtxyzTable.open(xyz)) {
        assertThat(it.get("molecules").asLong()).as(name).isEqualTo(src.size());
      }
      CliRun again = CliRun.of("convert", xyz.toString(), store.toString());
      assertThat(again.exitCode()).isEqualTo(ExitCodes.IO_ERROR);
      assertThat(again.err()).contains("exists");
    }
  }

  @Test
  void iterateJsonWorksOnEveryKindOfTable() throws IOException {
    Path xyz = Path.of(System.getProperty("atomstore.shared", "../shared")).resolve("testdata/generated/extxyz/g2_molecules.xyz");
    for (String store : new String[] {a.toString(), WrappedAtpProvider.SCHEME + a, dir.toString(), xyz.toString()}) {
      if (store.equals(dir.toString())) continue; // a directory of several files is no dataset here
      JsonNode r = json(CliRun.of("iterate", store, "--batch-size", "4", "--json"));
      assertThat(r.get("molecules").asLong()).as(store).isPositive();
      assertThat(r.has("seconds")).isTrue();
      assertThat(r.has("molecules_per_s")).isTrue();
    }
    for (String store : new String[] {a.toString(), WrappedAtpProvider.SCHEME + a}) {
      JsonNode r = json(CliRun.of("iterate", store, "--batch-size", "4", "--json"));
      assertThat(r.get("molecules").asLong()).as(store).isEqualTo(30);
      assertThat(r.has("seconds")).isTrue();
      assertThat(r.has("molecules_per_s")).isTrue();
    }
  }

  @Test
  void aPlaceholderRowStopsAConversionOrIsSkipped() throws IOException {
    String wa = WrappedAtpProvider.SCHEME + a + "#placeholder=4";
    Path out = dir.resolve("p.atp");
    CliRun stop = CliRun.of("convert", wa, out.toString());
    assertThat(stop.exitCode()).isEqualTo(ExitCodes.CORRUPT_INPUT);
    assertThat(stop.err()).contains("row 4").contains("placeholder");
    assertThat(out).doesNotExist();
    CliRun skip = CliRun.of("convert", wa, out.toString(), "--on-error", "skip");
    assertThat(skip.exitCode()).as(skip.err()).isZero();
    assertThat(skip.err()).contains("skipped row 4");
    try (AtpReader r = AtpReader.open(out)) {
      assertThat(r.size()).isEqualTo(29);
    }
    CliRun merge = CliRun.of("merge", wa, dir.resolve("q.atp").toString());
    assertThat(merge.exitCode()).isEqualTo(ExitCodes.CORRUPT_INPUT);
    assertThat(merge.err()).contains("row 4");
  }
}
