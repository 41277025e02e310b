package org.atomstore.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.atomstore.io.ase.AseAtoms;
import org.atomstore.io.asedb.AseDbReader;
import org.atomstore.io.asedb.AseRow;
import org.atomstore.io.extxyz.ExtxyzFormatException;
import org.atomstore.io.extxyz.ExtxyzReader;
import org.atomstore.store.CorruptFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded fuzzing of the extended XYZ reader (text mutations of the corpus files, damaged gzip streams) and the ASE
 * database reader (damaged SQLite files, mutated JSON and blob columns): every input must either read or fail
 * with a declared exception ({@link ExtxyzFormatException}, {@link CorruptFileException} and its subtypes), never
 * with an unchecked exception or an error such as {@code OutOfMemoryError} (the io suite runs at {@code -Xmx256m}).
 *
 * <p>The default run is sized for CI (about 10-20 s on a 2-core machine). A longer run:
 * {@code ./mvnw -pl io verify -Dtest=ReaderFuzzTest -Datomstore.fuzz.xyz=20000 -Datomstore.fuzz.db=3000}
 * ({@code -Datomstore.fuzz.seed=N} replays a run; the seed and each failing input, saved under
 * {@code target/fuzz-failures}, are printed on failure). Outcomes by class are printed at the end of each part.
 */
class ReaderFuzzTest {

  static final Path CORPUS = Path.of(System.getProperty("atomstore.shared", "../shared")).resolve("testdata");
  static final long SEED = Long.getLong("atomstore.fuzz.seed", System.nanoTime());
  static final int XYZ_INPUTS = Integer.getInteger("atomstore.fuzz.xyz", 3000);
  static final int DB_INPUTS = Integer.getInteger("atomstore.fuzz.db", 150);
  static final Path FAILURES = Path.of("target/fuzz-failures");

  private static final String[] TOKENS = {"Properties=species:S:1:pos:R:1000000", "Properties=", ":R:3", ":I:99999999",
      ":L:1", ":S:2", "VEC1 1 2 3\n", "VEC2 ", "Lattice=\"", "pbc=\"T T", "\"", "'", "_JSON ", "[", "]", "{", "}", "T",
      "F", "nan", "inf", "-0", "1e308", "99999999999999999999", "\r", "\n", "\n\n", "\t", " ", "=", "\\", "\u00e9",
      "\u2003", "1_000", "0x10", "energy=", "stress=\"1 2 3 4 5 6 7 8 9\"", "move_mask:L:3", "Z:I:1", "charge:R:1",
      "species:S:1:pos:R:3:species:S:1"};

  @TempDir Path dir;

  static List<byte[]> corpusTexts() throws IOException {
    try (Stream<Path> s = Files.walk(CORPUS)) {
      var out = new ArrayList<byte[]>();
      for (Path p : s.filter(p -> p.toString().endsWith(".xyz") || p.toString().endsWith(".extxyz")).sorted().toList()) {
        byte[] b = Files.readAllBytes(p);
        out.add(b.length > 32768 ? Arrays.copyOf(b, 32768) : b);
      }
      return out;
    }
  }

  @Test
  void extxyzReaderFailsOnlyWithDeclaredExceptions() throws Exception {
    List<byte[]> corpus = corpusTexts();
    assertThat(corpus).hasSizeGreaterThan(20);
    var rnd = new Random(SEED);
    var outcomes = new TreeMap<String, Integer>();
    for (int i = 0; i < XYZ_INPUTS; i++) {
      boolean gz = i % 10 == 9;
      byte[] input = gz ? damagedGzip(corpus.get(rnd.nextInt(corpus.size())), rnd)
          : mutate(corpus.get(rnd.nextInt(corpus.size())), rnd);
      String outcome = gz ? readXyzFile(input) : readXyz(input, 1 + rnd.nextInt(2));
      if (outcome.startsWith("UNDECLARED")) fail("xyz", i, input, gz ? ".xyz.gz" : ".xyz", outcome);
      outcomes.merge(outcome, 1, Integer::sum);
    }
    System.out.println("ReaderFuzzTest extxyz: seed " + SEED + ", " + XYZ_INPUTS + " inputs: " + outcomes);
  }

  @Test
  void aseDbReaderFailsOnlyWithDeclaredExceptions() throws Exception {
    List<Path> dbs;
    try (Stream<Path> s = Files.walk(CORPUS)) {
      dbs = s.filter(p -> p.toString().endsWith(".db")).sorted().toList();
    }
    assertThat(dbs).isNotEmpty();
    var rnd = new Random(SEED ^ 0x5deece66dL);
    var outcomes = new TreeMap<String, Integer>();
    for (int i = 0; i < DB_INPUTS; i++) {
      Path db = dir.resolve("fuzz" + i + ".db");
      Files.copy(dbs.get(rnd.nextInt(dbs.size())), db);
      if (i % 2 == 0) mutateColumns(db, rnd);
      else mutateFile(db, rnd);
      String outcome = readDb(db);
      if (outcome.startsWith("UNDECLARED")) fail("db", i, Files.readAllBytes(db), ".db", outcome);
      outcomes.merge(outcome, 1, Integer::sum);
      Files.delete(db);
    }
    System.out.println("ReaderFuzzTest asedb: seed " + SEED + ", " + DB_INPUTS + " inputs: " + outcomes);
  }

  private static void fail(String what, int i, byte[] input, String ext, String outcome) throws IOException {
    Files.createDirectories(FAILURES);
    Path saved = FAILURES.resolve(what + "-seed" + SEED + "-" + i + ext);
    Files.write(saved, input);
    throw new AssertionError("seed " + SEED + ", " + what + " input " + i + " (saved as " + saved.toAbsolutePath()
        + "): " + outcome);
  }

  static String readXyz(byte[] input, int threads) {
    try (var r = ExtxyzReader.open(new ByteArrayInputStream(input), Path.of("fuzz.xyz"), threads)) {
      int n = 0;
      for (AseAtoms a = r.read(); a != null; a = r.read()) n++;
      return n == 0 ? "ok, no frames" : "ok";
    } catch (Throwable t) {
      return classify(t, true);
    }
  }

  private String readXyzFile(byte[] gz) throws IOException {
    Path p = dir.resolve("fuzz.xyz.gz");
    Files.write(p, gz);
    try {
      ExtxyzReader.readAll(p);
      return "ok";
    } catch (Throwable t) {
      return classify(t, true);
    }
  }

  static String readDb(Path db) {
    try (var r = AseDbReader.open(db)) {
      r.metadata();
      r.count();
      r.forEach(AseRow::toAtoms);
      return "ok";
    } catch (Throwable t) {
      return classify(t, false);
    }
  }

  private static String classify(Throwable t, boolean xyz) {
    if (t instanceof ExtxyzFormatException e && xyz) return "ExtxyzFormatException/" + e.aseError();
    if (t instanceof CorruptFileException) return t.getClass().getSimpleName();
    var sw = new java.io.StringWriter();
    t.printStackTrace(new java.io.PrintWriter(sw));
    return "UNDECLARED " + sw;
  }

  static byte[] mutate(byte[] src, Random rnd) {
    var b = new ByteArrayOutputStream();
    b.writeBytes(src);
    byte[] cur = b.toByteArray();
    int n = 1 + rnd.nextInt(6);
    for (int k = 0; k < n; k++) {
      int at = cur.length == 0 ? 0 : rnd.nextInt(cur.length + 1);
      cur = switch (rnd.nextInt(7)) {
        case 0 -> { // flip a byte
          if (cur.length > 0) cur[Math.min(at, cur.length - 1)] ^= (byte) (1 << rnd.nextInt(8));
          yield cur;
        }
        case 1 -> splice(cur, at, at, new byte[] {(byte) rnd.nextInt(256)});
        case 2 -> splice(cur, at, Math.min(cur.length, at + rnd.nextInt(64)), new byte[0]);
        case 3 -> { // duplicate a range
          int end = Math.min(cur.length, at + rnd.nextInt(256));
          yield splice(cur, at, at, Arrays.copyOfRange(cur, at, end));
        }
        case 4 -> splice(cur, at, at, TOKENS[rnd.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8));
        case 5 -> { // a digit becomes a huge count
          int d = indexOfDigit(cur, at);
          yield d < 0 ? cur : splice(cur, d, d + 1, ("" + (1L << rnd.nextInt(40))).getBytes(StandardCharsets.US_ASCII));
        }
        default -> Arrays.copyOf(cur, at); // truncate
      };
    }
    return cur;
  }

  private static int indexOfDigit(byte[] b, int from) {
    for (int i = from; i < b.length; i++) if (b[i] >= '0' && b[i] <= '9') return i;
    return -1;
  }

  private static byte[] splice(byte[] b, int from, int to, byte[] insert) {
    byte[] out = new byte[b.length - (to - from) + insert.length];
    System.arraycopy(b, 0, out, 0, from);
    System.arraycopy(insert, 0, out, from, insert.length);
    System.arraycopy(b, to, out, from + insert.length, b.length - to);
    return out;
  }

  static byte[] damagedGzip(byte[] text, Random rnd) throws IOException {
    var bytes = new ByteArrayOutputStream();
    try (var gz = new GZIPOutputStream(bytes)) {
      gz.write(text);
    }
    byte[] b = bytes.toByteArray();
    switch (rnd.nextInt(3)) {
      case 0 -> b = Arrays.copyOf(b, rnd.nextInt(b.length)); // cut short
      case 1 -> { for (int k = 0; k < 1 + rnd.nextInt(4); k++) b[rnd.nextInt(b.length)] ^= (byte) (1 + rnd.nextInt(255)); }
      default -> { // garbage after a member, or a second damaged member
        byte[] tail = new byte[1 + rnd.nextInt(32)];
        rnd.nextBytes(tail);
        if (rnd.nextBoolean()) { tail[0] = 0x1f; if (tail.length > 1) tail[1] = (byte) 0x8b; }
        b = splice(b, b.length, b.length, tail);
      }
    }
    return b;
  }

  // Damage the SQLite file itself: flipped bytes in its pages, or a cut.
  private static void mutateFile(Path db, Random rnd) throws IOException {
    byte[] b = Files.readAllBytes(db);
    if (rnd.nextInt(4) == 0) {
      b = Arrays.copyOf(b, rnd.nextInt(b.length));
    } else {
      for (int k = 0; k < 1 + rnd.nextInt(16); k++) b[100 + rnd.nextInt(b.length - 100)] ^= (byte) (1 + rnd.nextInt(255));
    }
    Files.write(db, b);
  }

  private static final String[] JSON_COLUMNS = {"key_value_pairs", "constraints", "calculator_parameters", "data"};
  private static final String[] BLOB_COLUMNS = {"numbers", "positions", "cell", "forces", "stress", "tags", "momenta",
      "initial_magmoms", "data", "magmoms"};

  // Rewrite columns of some rows with mutated JSON text and blobs, as a damaged or hand-edited database holds them.
  private static void mutateColumns(Path db, Random rnd) throws Exception {
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath())) {
      var rows = new ArrayList<Object[]>();
      try (var s = c.createStatement(); var rs = s.executeQuery("SELECT id, key_value_pairs, data, numbers FROM systems")) {
        while (rs.next()) rows.add(new Object[] {rs.getLong(1), rs.getString(2), rs.getBytes(3), rs.getBytes(4)});
      }
      for (int k = 0; k < 1 + rnd.nextInt(3); k++) {
        Object[] row = rows.get(rnd.nextInt(rows.size()));
        boolean json = rnd.nextBoolean();
        String col = json ? JSON_COLUMNS[rnd.nextInt(JSON_COLUMNS.length)] : BLOB_COLUMNS[rnd.nextInt(BLOB_COLUMNS.length)];
        Object value;
        if (json) {
          String base = row[1] == null ? "{}" : (String) row[1];
          if (col.equals("data") && row[2] instanceof byte[] d) value = mutate(d, rnd);
          else value = new String(mutate(base.getBytes(StandardCharsets.UTF_8), rnd), StandardCharsets.UTF_8);
        } else {
          byte[] base = row[3] == null ? new byte[8] : (byte[]) row[3];
          byte[] v = rnd.nextBoolean() ? mutate(base, rnd) : new byte[rnd.nextInt(64)];
          if (rnd.nextInt(4) == 0) rnd.nextBytes(v);
          value = v;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE systems SET " + col + " = ? WHERE id = ?")) {
          ps.setObject(1, value);
          ps.setLong(2, (Long) row[0]);
          ps.executeUpdate();
        }
      }
    }
  }
}
