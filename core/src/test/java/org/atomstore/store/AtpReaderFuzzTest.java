package org.atomstore.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.atomstore.codec.Compression;
import org.atomstore.format.AtpLayout;
import org.atomstore.format.HeaderSlot;
import org.atomstore.model.Molecule;
import org.atomstore.model.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutation fuzzing of the {@code .atp} reader: the golden files of Atompack 0.4.0 and files written by
 * {@link AtpWriter} are damaged (bit flips, bytes and integer fields overwritten with boundary values, header
 * slots rewritten with a good checksum, truncation, index entries and header fields changed), then opened and
 * read every way a caller can: {@code get}, projected {@code get}, {@code get(long[])}, {@code readBatch} in
 * float32 and float64, and {@code verify}. The only failures allowed are {@link CorruptFileException} (with
 * its subtypes) and other {@link IOException}s that name the file; an unchecked exception or an
 * {@link OutOfMemoryError} (the core suite runs with {@code -Xmx256m}) fails the test with the seed and input.
 *
 * <p>Bounded for CI: about {@value #DEFAULT_SECONDS} s. A longer run: {@code -Datomstore.fuzz.seconds=600}
 * and/or {@code -Datomstore.fuzz.count=100000} (stops at whichever comes first when both are given; the count
 * alone lifts the time bound), {@code -Datomstore.fuzz.seed=N} to replay a seed. It prints the seed, the
 * inputs tried and the outcomes by exception class and message class.
 */
class AtpReaderFuzzTest {
  static final int DEFAULT_SECONDS = 12;
  private static final long[] BOUNDARY_64 = {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, 0xFFFF_FFFFL, 0x7FFF_FFFFL, 0x8000_0000L, 8192, 8191};
  private static final int[] BOUNDARY_32 = {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 0xFFFF, 89_478_485, 255, 256, 2, 3};
  private static final byte[] BOUNDARY_8 = {0, 1, (byte) 0xFF, 0x7F, (byte) 0x80, 2, 17, 18};

  @TempDir Path tmp;

  @Test
  void damagedFilesFailOnlyWithDeclaredExceptions() throws IOException {
    long seed = Long.getLong("atomstore.fuzz.seed", System.nanoTime());
    Long count = Long.getLong("atomstore.fuzz.count");
    long seconds = Long.getLong("atomstore.fuzz.seconds", count != null ? Long.MAX_VALUE / 2_000_000_000L : DEFAULT_SECONDS);
    long maxInputs = count != null ? count : Long.MAX_VALUE;
    System.out.println("AtpReaderFuzzTest seed=" + seed + " (replay with -Datomstore.fuzz.seed=" + seed + ")");
    List<byte[]> corpus = corpus();
    SplittableRandom rnd = new SplittableRandom(seed);
    Map<String, Long> outcomes = new TreeMap<>();
    Path file = tmp.resolve("fuzz.atp");
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    long inputs = 0;
    while (inputs < maxInputs && System.nanoTime() < deadline) {
      int pick = rnd.nextInt(corpus.size());
      byte[] input = corpus.get(pick).clone();
      StringBuilder how = new StringBuilder("corpus[" + pick + "]");
      input = mutate(input, rnd, how);
      Files.write(file, input);
      inputs++;
      String outcome;
      try {
        outcome = readEverything(file);
      } catch (RuntimeException | Error e) {
        Path kept = tmp.getParent().resolve("atomstore-fuzz-failure-" + seed + "-" + inputs + ".atp");
        Files.write(kept, input);
        throw new AssertionError("seed " + seed + ", input " + inputs + " (" + how + ", kept as " + kept + "): " + e, e);
      }
      outcomes.merge(outcome, 1L, Long::sum);
    }
    System.out.println("AtpReaderFuzzTest seed=" + seed + " inputs=" + inputs + " outcomes:");
    outcomes.forEach((k, v) -> System.out.printf("  %8d  %s%n", v, k));
    assertThat(inputs).isPositive();
  }

  /** Opens and reads the file every way; returns the outcome class. Unchecked exceptions propagate. */
  static String readEverything(Path p) {
    try (AtpReader r = AtpReader.open(p)) {
      long n = r.size();
      String firstProblem = null;
      long[] all = LongStream.range(0, Math.min(n, 400)).toArray();
      for (long i : all) {
        firstProblem = first(firstProblem, p, () -> r.get(i));
        firstProblem = first(firstProblem, p, () -> r.get(i, FieldSet.of("positions", "energy", "forces", "cell", "pbc")));
        firstProblem = first(firstProblem, p, () -> r.get(i, FieldSet.of("atomic_numbers", "name", "charges", "x", "tensor", "q")));
      }
      firstProblem = first(firstProblem, p, () -> r.get(all));
      firstProblem = first(firstProblem, p, () -> r.readBatch(all, FieldSet.ALL, false));
      firstProblem = first(firstProblem, p, () -> r.readBatch(all, FieldSet.ALL, true));
      firstProblem = first(firstProblem, p, () -> r.readBatch(all, FieldSet.of("positions", "energy", "tensor"), false));
      List<String> problems = r.verify(5);
      if (firstProblem != null) return firstProblem;
      return problems.isEmpty() ? "read whole" : "opened, verify: " + messageClass(problems.get(0));
    } catch (IOException e) {
      return declared(e, p);
    }
  }

  interface Read {
    Object run() throws IOException;
  }

  private static String first(String sofar, Path p, Read read) {
    try {
      read.run();
      return sofar;
    } catch (IOException e) {
      String d = declared(e, p);
      return sofar != null ? sofar : d;
    }
  }

  private static String declared(IOException e, Path p) {
    if (!(e instanceof CorruptFileException || e instanceof FileSystemException) || !String.valueOf(e.getMessage()).contains(p.toString())) {
      throw new AssertionError("undeclared or anonymous I/O failure: " + e, e);
    }
    return e.getClass().getSimpleName() + ": " + messageClass(e.getMessage());
  }

  /** A message without its file, numbers and quoted names: what kind of problem it is. */
  static String messageClass(String m) {
    String s = m.replaceAll(" \\([^()]*\\.atp[^()]*\\)$", "").replaceAll("'[^']*'", "'K'").replaceAll("-?\\d+", "N").replace(" (byte N of the decoded record)", "");
    int colon = s.indexOf(": ");
    if (s.startsWith("record N: ")) s = s.substring(10);
    else if (colon > 0 && colon < 40 && !s.startsWith("committed")) s = s.substring(0, colon);
    return s.length() > 90 ? s.substring(0, 90) : s;
  }

  private List<byte[]> corpus() throws IOException {
    List<byte[]> out = new ArrayList<>();
    Path golden = Golden.dir();
    if (Files.isDirectory(golden)) {
      for (Path g : Golden.atpFiles()) if (Files.size(g) < (1 << 20)) out.add(Files.readAllBytes(g));
    }
    for (String c : new String[] {"none", "zstd:3", "lz4"}) {
      out.add(written(Compression.parse(c), false));
      out.add(written(Compression.parse(c), true));
    }
    return out;
  }

  private byte[] written(Compression c, boolean f64) throws IOException {
    Path p = tmp.resolve("src-" + c.kindName() + f64 + ".atp");
    try (AtpWriter w = AtpWriter.create(p, c)) {
      for (int i = 0; i < 9; i++) {
        int n = 1 + i % 4;
        Molecule m;
        if (f64) {
          double[] pos = new double[3 * n];
          for (int k = 0; k < pos.length; k++) pos[k] = i + k * 0.5;
          m = Molecule.of(pos, new byte[n]).forces(new Value.Vec3Float64(pos.clone()));
        } else {
          float[] pos = new float[3 * n];
          for (int k = 0; k < pos.length; k++) pos[k] = i + k * 0.5f;
          m = Molecule.of(pos, new byte[n]).forces(pos.clone());
        }
        m.energy(-i).pbc(true, i % 2 == 0, false).name("mol" + i);
        m.property("x", new Value.Float64(i));
        m.property("tensor", new Value.TensorFloat32(new int[] {2, 1}, new float[] {i, 2}));
        m.atomProperty("q", new Value.Int64Array(new long[n]));
        w.add(m);
        if (i == 4) w.flush();
      }
    }
    return Files.readAllBytes(p);
  }

  /** One to three mutations; {@code how} says which. */
  static byte[] mutate(byte[] b, SplittableRandom rnd, StringBuilder how) {
    int rounds = 1 + rnd.nextInt(3);
    for (int m = 0; m < rounds && b.length > 0; m++) {
      int kind = rnd.nextInt(9);
      switch (kind) {
        case 0 -> { // bit flips anywhere past the header, where no checksum helps
          int at = pos(b, rnd, true);
          b[at] ^= (byte) (1 << rnd.nextInt(8));
          how.append(" flip@").append(at);
        }
        case 1 -> { // a byte set to a boundary value
          int at = pos(b, rnd, rnd.nextInt(4) != 0);
          b[at] = BOUNDARY_8[rnd.nextInt(BOUNDARY_8.length)];
          how.append(" byte@").append(at);
        }
        case 2 -> { // a u32 set to a boundary value, often in the index or at a record start
          int at = fieldPos(b, rnd, 4);
          if (at >= 0) ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(at, BOUNDARY_32[rnd.nextInt(BOUNDARY_32.length)] + (rnd.nextInt(4) == 0 ? rnd.nextInt(-3, 4) : 0));
          how.append(" u32@").append(at);
        }
        case 3 -> { // a u64 set to a boundary value
          int at = fieldPos(b, rnd, 8);
          long v = rnd.nextBoolean() ? BOUNDARY_64[rnd.nextInt(BOUNDARY_64.length)] : b.length + rnd.nextInt(-64, 64);
          if (at >= 0) ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(at, v);
          how.append(" u64@").append(at);
        }
        case 4 -> { // truncation
          int len = rnd.nextInt(4) == 0 ? rnd.nextInt(b.length) : Math.max(0, b.length - 1 - rnd.nextInt(Math.min(b.length, 200)));
          b = Arrays.copyOf(b, len);
          how.append(" cut@").append(len);
        }
        case 5, 6 -> { // a header field changed, the slot's checksum made good again so the change is believed
          if (b.length < AtpLayout.HEADER_REGION_SIZE) break;
          int slot = rnd.nextBoolean() ? 0 : AtpLayout.HEADER_SLOT_SIZE;
          int[] fields = {8, 16, 24, 32, 40, 48, 52, 56, 60, 68};
          int f = fields[rnd.nextInt(fields.length)];
          ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
          if (f == 48) b[slot + f] = BOUNDARY_8[rnd.nextInt(BOUNDARY_8.length)];
          else if (f == 52 || f == 56) bb.putInt(slot + f, rnd.nextBoolean() ? BOUNDARY_32[rnd.nextInt(BOUNDARY_32.length)] : rnd.nextInt(5));
          else bb.putLong(slot + f, rnd.nextBoolean() ? BOUNDARY_64[rnd.nextInt(BOUNDARY_64.length)] : bb.getLong(slot + f) + rnd.nextInt(-40, 41));
          reseal(b, slot);
          how.append(" slot").append(slot == 0 ? 'A' : 'B').append('+').append(f);
        }
        case 7 -> { // garbage appended (an uncommitted tail, or a file longer than its slots say)
          byte[] tail = new byte[1 + rnd.nextInt(300)];
          rnd.nextBytes(tail);
          byte[] c = Arrays.copyOf(b, b.length + tail.length);
          System.arraycopy(tail, 0, c, b.length, tail.length);
          b = c;
          how.append(" tail+").append(tail.length);
        }
        default -> { // a run of bytes overwritten with 0xFF or 0x00
          int at = pos(b, rnd, true);
          int len = Math.min(b.length - at, 1 + rnd.nextInt(64));
          Arrays.fill(b, at, at + len, rnd.nextBoolean() ? (byte) 0xFF : 0);
          how.append(" run@").append(at).append('+').append(len);
        }
      }
    }
    return b;
  }

  /** A position, past the header slots when {@code pastHeader} and the file has more. */
  private static int pos(byte[] b, SplittableRandom rnd, boolean pastHeader) {
    if (pastHeader && b.length > AtpLayout.HEADER_REGION_SIZE) return (int) AtpLayout.HEADER_REGION_SIZE + rnd.nextInt(b.length - (int) AtpLayout.HEADER_REGION_SIZE);
    return rnd.nextInt(b.length);
  }

  /** Where to overwrite a field of {@code width} bytes: in the index of the newest slot or a record start, or anywhere. */
  private static int fieldPos(byte[] b, SplittableRandom rnd, int width) {
    if (b.length < width) return -1;
    if (b.length >= AtpLayout.HEADER_REGION_SIZE && rnd.nextBoolean()) {
      HeaderSlot a = HeaderSlot.decode(Arrays.copyOfRange(b, 0, AtpLayout.HEADER_SLOT_SIZE), b.length).slot();
      HeaderSlot s = HeaderSlot.decode(Arrays.copyOfRange(b, AtpLayout.HEADER_SLOT_SIZE, 2 * AtpLayout.HEADER_SLOT_SIZE), b.length).slot();
      HeaderSlot newest = Long.compareUnsigned(a.generation(), s.generation()) >= 0 ? a : s;
      long count = newest.numMolecules();
      long idx = newest.indexOffset();
      if (count > 0 && count < 1_000_000 && idx > 0 && idx + 8 + count * 20 <= b.length) {
        long e = idx + 8 + rnd.nextLong(count) * 20;
        int[] fields = {0, 8, 12, 16};
        int at = (int) (e + fields[rnd.nextInt(fields.length)]);
        if (rnd.nextInt(3) == 0) { // the record it points to: its atom count or a section header
          long off = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong((int) e);
          if (off >= 8192 && off + 64 < b.length) at = (int) off + (rnd.nextBoolean() ? 0 : rnd.nextInt(64));
        }
        return Math.min(at, b.length - width);
      }
    }
    return rnd.nextInt(b.length - width + 1);
  }

  /** Recomputes a slot's checksum after its fields were changed. */
  private static void reseal(byte[] b, int slot) {
    java.util.zip.Adler32 a = new java.util.zip.Adler32();
    a.update(b, slot, AtpLayout.HEADER_SLOT_SIZE - 4);
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(slot + AtpLayout.HEADER_SLOT_SIZE - 4, (int) a.getValue());
  }
}
