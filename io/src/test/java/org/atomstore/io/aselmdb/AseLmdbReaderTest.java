package org.atomstore.io.aselmdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import org.atomstore.io.AseDump;
import org.atomstore.io.ase.PyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading {@code .aselmdb} files: nothing written, and every kind of bad input a checked exception naming file, row and problem. */
class AseLmdbReaderTest {

  static final Path DIR = AseLmdbGoldenTest.DIR;
  @TempDir Path tmp;

  private static List<String> listing(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static String sha(Path p) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
  }

  @Test
  void readsSharedFilesWithoutWritingAnythingNotEvenALockFile() throws Exception {
    List<String> before = listing(DIR);
    try (var r = AseLmdbReader.open(DIR.resolve("deleted_ids.aselmdb"))) {
      assertThat(r.ids()).containsExactly(1, 3, 4, 7, 8, 9, 10, 11);
      assertThat(r.nextId()).isEqualTo(13);
      assertThat(r.deletedIds()).containsExactly(2, 5, 6, 12);
      r.forEach(row -> assertThat(row.row().natoms()).isPositive());
    }
    assertThat(listing(DIR)).isEqualTo(before);

    Path ro = Files.createDirectory(tmp.resolve("ro"));
    Path f = Files.copy(DIR.resolve("molecules.aselmdb"), ro.resolve("m.aselmdb"));
    String digest = sha(f);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("r--r--r--"));
    Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
    try (var r = AseLmdbReader.open(f)) {
      assertThat(r.count()).isEqualTo(20);
      assertThat(r.rowAt(19).id()).isEqualTo(20);
    } finally {
      Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    assertThat(listing(ro)).containsExactly("m.aselmdb");
    assertThat(sha(f)).isEqualTo(digest);
  }

  @Test
  void closeIsIdempotentAndUseAfterCloseIsRefused() throws IOException {
    var r = AseLmdbReader.open(DIR.resolve("kvp_types.aselmdb"));
    r.close();
    r.close();
    assertThatThrownBy(() -> r.rowAt(0)).isInstanceOf(IllegalStateException.class);
  }

  /** A file with {@code nextid} and the given raw row values, written through the writer's raw access. */
  private Path craft(String name, String[] keys, byte[][] rawValues) throws IOException {
    Path p = tmp.resolve(name);
    try (var w = AseLmdbWriter.create(p)) {
      for (int i = 0; i < keys.length; i++) w.putRaw(keys[i], rawValues[i]);
    }
    return p;
  }

  private static byte[] zlib(String json) {
    return zlib(json.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] zlib(byte[] b) {
    var d = new Deflater();
    d.setInput(b);
    d.finish();
    var out = new ByteArrayOutputStream();
    byte[] buf = new byte[65536];
    while (!d.finished()) out.write(buf, 0, d.deflate(buf));
    d.end();
    return out.toByteArray();
  }

  /** zlib of head, then {@code count} copies of {@code unit}, then tail, compressed chunk by chunk (no big array). */
  private static byte[] zlibRepeated(String head, String unit, long count, String tail) {
    var d = new Deflater();
    var out = new ByteArrayOutputStream();
    byte[] buf = new byte[65536];
    byte[] chunk = unit.repeat(1 << 16).getBytes(StandardCharsets.US_ASCII);
    d.setInput(head.getBytes(StandardCharsets.US_ASCII));
    while (!d.needsInput()) out.write(buf, 0, d.deflate(buf));
    for (long done = 0; done < count; done += 1 << 16) {
      int units = (int) Math.min(1 << 16, count - done);
      d.setInput(chunk, 0, units * unit.length());
      while (!d.needsInput()) out.write(buf, 0, d.deflate(buf));
    }
    d.setInput(tail.getBytes(StandardCharsets.US_ASCII));
    d.finish();
    while (!d.finished()) out.write(buf, 0, d.deflate(buf));
    d.end();
    return out.toByteArray();
  }

  private static final String WATER = "{\"numbers\":[8,1,1],\"positions\":[[0.0,0.0,0.1],[0.0,0.7,-0.4],[0.0,-0.7,-0.4]]}";

  private void assertRowRefused(Path file, long row, String problem) {
    assertThatThrownBy(() -> {
      try (var r = AseLmdbReader.open(file)) {
        r.forEach(x -> { });
      }
    }).isInstanceOf(AseLmdbException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("row " + row + ":")
        .hasMessageContaining(problem)
        .satisfies(e -> assertThat(((AseLmdbException) e).rowId()).isEqualTo(row));
  }

  @Test
  void zlibBombInARowIsRefusedNamingFileRowAndProblem() throws IOException {
    // 100 MiB of JSON whitespace around a valid row, about 100 KB compressed
    byte[] bomb = zlibRepeated("", " ", 100L << 20, WATER);
    assertThat(bomb.length).isLessThan(1 << 20);
    Path f = craft("bomb.aselmdb", new String[] {"nextid", "1", "2"}, new byte[][] {zlib("3"), zlib(WATER), bomb});
    assertRowRefused(f, 2, "inflates beyond the limit of " + AseLmdbReader.DEFAULT_MAX_VALUE_BYTES);
    try (var r = AseLmdbReader.open(f)) {
      assertThat(r.rowAt(0).row().natoms()).isEqualTo(3); // the good row still reads
    }
  }

  @Test
  void hostileCountOfValuesIsRefusedBeforeTheHeapFills() throws IOException {
    // 20 million numbers in 40 MB of JSON: under the byte limit, over the value limit
    byte[] many = zlibRepeated("{\"numbers\":[8],\"positions\":[[0.0,0.0,0.0]],\"data\":{\"x\":[", "0,", 20_000_000, "0]}}");
    Path f = craft("many.aselmdb", new String[] {"nextid", "1"}, new byte[][] {zlib("2"), many});
    assertRowRefused(f, 1, "more values than the reader allows");
  }

  @Test
  void parallelDecodingGivesTheRowsInOrderAndTheFirstProblem() throws IOException {
    for (String name : List.of("molecules", "deleted_ids")) {
      try (var r = AseLmdbReader.open(DIR.resolve(name + ".aselmdb"))) {
        var seq = new java.util.ArrayList<Long>();
        var par = new java.util.ArrayList<Long>();
        r.forEach(row -> seq.add(row.id()));
        r.forEach(row -> par.add(row.id()), 3);
        assertThat(par).isEqualTo(seq).hasSize((int) r.count());
      }
    }
    String[] keys = new String[202];
    byte[][] values = new byte[202][];
    keys[0] = "nextid";
    values[0] = zlib("202");
    for (int i = 1; i < 202; i++) {
      keys[i] = Integer.toString(i);
      values[i] = zlib(i == 150 || i == 170 ? "{\"numbers\":[1]}" : WATER);
    }
    Path f = craft("par.aselmdb", keys, values);
    var seen = new java.util.ArrayList<Long>();
    try (var r = AseLmdbReader.open(f)) {
      assertThatThrownBy(() -> r.forEach(row -> seen.add(row.id()), 2)).isInstanceOf(AseLmdbException.class)
          .hasMessageContaining("row 150: no 'positions'");
    }
    assertThat(seen).hasSize(149);
  }

  @Test
  void corruptJsonTruncatedZlibAndNonZlibAreRefused() throws IOException {
    byte[] whole = zlib(WATER);
    byte[] cut = java.util.Arrays.copyOf(whole, whole.length / 2);
    Path f = craft("bad.aselmdb", new String[] {"nextid", "1", "2", "3", "4", "5"}, new byte[][] {zlib("6"),
        zlib("{\"numbers\":[8,1"), cut, "not zlib at all".getBytes(StandardCharsets.US_ASCII),
        zlib("{\"numbers\":[8],\"positions\":[[NaN,0.0,0.0]]}"), zlib("{\"numbers\":[8,1,1],\"positions\":[[0.0,0.0,0.0]]}")});
    try (var r = AseLmdbReader.open(f)) {
      assertThatThrownBy(() -> r.row(1)).isInstanceOf(AseLmdbException.class).hasMessageContaining("row 1: bad JSON");
      assertThatThrownBy(() -> r.row(2)).isInstanceOf(AseLmdbException.class).hasMessageContaining("row 2: zlib stream").hasMessageContaining("truncated");
      assertThatThrownBy(() -> r.row(3)).isInstanceOf(AseLmdbException.class).hasMessageContaining("row 3: not a zlib stream");
      // orjson refuses NaN tokens (fairchem stores NaN as null)
      assertThatThrownBy(() -> r.row(4)).isInstanceOf(AseLmdbException.class).hasMessageContaining("row 4: bad JSON");
      assertThatThrownBy(() -> r.row(5)).isInstanceOf(AseLmdbException.class)
          .hasMessageContaining("row 5: 'positions' of shape [1, 3] for 3 atoms").hasMessageContaining(f.toString());
      assertThatThrownBy(() -> r.row(7)).isInstanceOf(AseLmdbException.class).hasMessageContaining("row 7: missing");
    }
  }

  @Test
  void hostileNextidAndBadBookkeepingAreRefused() throws IOException {
    Path big = craft("nextid.aselmdb", new String[] {"nextid", "1"}, new byte[][] {zlib("1000000000000000"), zlib(WATER)});
    assertThatThrownBy(() -> AseLmdbReader.open(big)).isInstanceOf(AseLmdbException.class)
        .hasMessageContaining("key 'nextid'").hasMessageContaining("the file holds 2 keys").hasMessageContaining(big.toString());
    Path neg = craft("neg.aselmdb", new String[] {"nextid"}, new byte[][] {zlib("-4")});
    assertThatThrownBy(() -> AseLmdbReader.open(neg)).isInstanceOf(AseLmdbException.class).hasMessageContaining("key 'nextid': not a positive integer");
    Path del = craft("del.aselmdb", new String[] {"nextid", "deleted_ids"}, new byte[][] {zlib("2"), zlib("{\"a\":1}")});
    assertThatThrownBy(() -> AseLmdbReader.open(del)).isInstanceOf(AseLmdbException.class).hasMessageContaining("key 'deleted_ids'");
    // a gap that deleted_ids does not explain: the row is missing, as fairchem's KeyError says
    Path gap = craft("gap.aselmdb", new String[] {"nextid", "1", "3"}, new byte[][] {zlib("4"), zlib(WATER), zlib(WATER)});
    assertRowRefused(gap, 2, "missing from the database");
  }

  @Test
  void truncatedOrForeignFilesAreRefusedBeforeLmdbMapsThem() throws Exception {
    Path src = DIR.resolve("crystals_calc.aselmdb");
    long size = Files.size(src);
    for (long keep : new long[] {size - 4096, size / 2, 8192, 4096, 100, 0}) {
      Path f = Files.copy(src, tmp.resolve("t" + keep + ".aselmdb"));
      try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
        ch.truncate(keep);
      }
      assertThatThrownBy(() -> {
        try (var r = AseLmdbReader.open(f)) {
          r.forEach(x -> { });
        }
      }).as("truncated to %d bytes", keep).isInstanceOf(AseLmdbException.class).hasMessageContaining(f.toString());
    }
    Path junk = tmp.resolve("junk.aselmdb");
    byte[] b = new byte[16384];
    new Random(7).nextBytes(b);
    Files.write(junk, b);
    assertThatThrownBy(() -> AseLmdbReader.open(junk)).isInstanceOf(AseLmdbException.class).hasMessageContaining("not an LMDB file");
    assertThat(listing(tmp)).noneMatch(n -> n.endsWith("-lock"));
  }

  @Test
  void writerOutputReadsBackAsTheOriginal() throws Exception {
    for (String name : List.of("molecules", "crystals_calc", "data_arrays", "constraints_slabs", "kvp_types", "nonfinite", "deleted_ids")) {
      Path copy = tmp.resolve(name + ".copy.aselmdb");
      try (var r = AseLmdbReader.open(DIR.resolve(name + ".aselmdb")); var w = AseLmdbWriter.create(copy)) {
        if (r.metadata() instanceof PyValue.PyDict md && !md.entries().isEmpty()) w.metadata(md.entries());
        r.forEach(row -> {
          var data = (PyValue.PyDict) org.atomstore.io.aselmdb.internal.ZlibJson.unpack(row.row().data());
          w.write(row.row().toAtoms(), row.row().keyValuePairs(), new LinkedHashMap<>(data.entries()));
        });
      }
      try (var a = AseLmdbReader.open(DIR.resolve(name + ".aselmdb")); var b = AseLmdbReader.open(copy)) {
        assertThat(b.count()).isEqualTo(a.count());
        assertThat(b.metadata()).isEqualTo(a.metadata());
        for (long i = 0; i < a.count(); i++) {
          var x = a.rowAt(i).row();
          var y = b.rowAt(i).row();
          assertThat(frame(y.toAtoms())).as("%s row %d", name, i).isEqualTo(frame(x.toAtoms()));
          assertThat(y.keyValuePairs()).isEqualTo(x.keyValuePairs());
          assertThat(y.data()).isEqualTo(x.data());
        }
      }
    }
    assertThat(listing(tmp)).allMatch(n -> n.endsWith(".copy.aselmdb"));
  }

  private static String frame(org.atomstore.io.ase.AseAtoms a) throws IOException {
    var out = new StringWriter();
    try (var g = new com.fasterxml.jackson.core.JsonFactory().createGenerator(out)) {
      AseDump.writeFrame(g, a);
    }
    return out.toString();
  }
}
