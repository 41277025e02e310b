package org.atomstore.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.atomstore.cli.json.AtpJson;
import org.atomstore.store.internal.AtpWriters;
import org.atomstore.codec.Compression;
import org.atomstore.model.Molecule;
import org.atomstore.model.StackedBatch;
import org.atomstore.model.TypeTag;
import org.atomstore.model.Value;
import org.atomstore.store.AtpReader;
import org.atomstore.store.AtpWriter;
import org.atomstore.store.internal.EncodedRecord;
import org.atomstore.store.internal.RecordPacker;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What Atomstore writes, the reference Atompack 0.4.0 reads exactly as Atomstore does: files covering every value
 * type in every position (builtins of both float widths, atom properties, molecule properties; record formats 2
 * and 3; none, lz4 and zstd; every producer: single molecules, lists, packed records, stacked batches, appends)
 * are dumped with the reference's {@code atp-golden} and with Atomstore's {@code dump} layout, and the two dumps
 * are compared with {@code ../shared/reference/compare_dump.py} (values, keys, types, header and schema).
 *
 * <p>Needs the reference build: {@code ATP_GOLDEN} set by {@code ~/.cache/atomstore-reference/env.sh}, or the
 * Maven profile {@code -Preference} ({@code ./run-tests -Preference}), which points it at the default build place.
 * Without it every test is skipped, saying why, so CI does not depend on it.
 */
class ReferenceReadsWhatWeWriteTest {
  private static final String GOLDEN = System.getenv("ATP_GOLDEN");
  private static final Path SHARED = Path.of(System.getProperty("atomstore.shared", "../shared"));
  private static final Path COMPARE = SHARED.resolve("reference/compare_dump.py");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  // per test rather than @BeforeAll, so that every skipped test is reported with the reason
  @BeforeEach
  void needsTheReference() {
    assumeTrue(GOLDEN != null && Files.isExecutable(Path.of(GOLDEN)),
        "skipped: reference Atompack not built (run ../shared/reference/build.sh, then . ~/.cache/atomstore-reference/env.sh)");
    assumeTrue(Files.isRegularFile(COMPARE), "skipped: " + COMPARE + " not found");
  }

  enum Dtypes { V2, F32_V3, F64_V3 }

  enum Producer { ADD, ADD_ALL, PACKED, STACKED, APPEND }

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (Compression c : List.of(Compression.NONE, Compression.LZ4, Compression.zstd(3))) {
      for (Dtypes d : Dtypes.values()) {
        for (Producer p : Producer.values()) out.add(Arguments.of(c, d, p));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("cases")
  void referenceReadsEveryValueInEveryPositionAsAtomstoreDoes(Compression c, Dtypes d, Producer p) throws Exception {
    Path atp = tmp.resolve(d + "-" + p + ".atp");
    List<Molecule> mols = molecules(d, 7);
    try (AtpWriter w = AtpWriter.create(atp, c)) {
      switch (p) {
        case ADD -> { for (Molecule m : mols) w.add(m); }
        case ADD_ALL -> w.addAll(mols);
        case PACKED -> {
          List<EncodedRecord> recs = new ArrayList<>();
          try (RecordPacker packer = new RecordPacker(c)) {
            for (Molecule m : mols) recs.add(packer.pack(m));
          }
          AtpWriters.addEncoded(w, recs);
        }
        case STACKED -> {
          w.addBatch(stacked(d, 4, 3, 1));
          w.addBatch(stacked(d, 3, 5, 2));
        }
        case APPEND -> {
          w.addAll(mols.subList(0, 3));
          w.flush();
        }
      }
    }
    if (p == Producer.APPEND) {
      try (AtpWriter w = AtpWriter.openForAppend(atp)) {
        w.addAll(mols.subList(3, mols.size()));
      }
    }
    try (AtpReader r = AtpReader.open(atp)) {
      assertThat(r.recordFormat()).isEqualTo(d == Dtypes.V2 ? 2 : 3);
    }
    assertReferenceReadsAsAtomstore(atp);
  }

  @Test
  void longCompressedListsEncodedInParallelAreReadByTheReference() throws Exception {
    // 256 molecules or more are encoded and compressed on all cores
    for (Compression c : List.of(Compression.LZ4, Compression.zstd(3))) {
      Path atp = tmp.resolve("parallel-" + c.kindName() + ".atp");
      try (AtpWriter w = AtpWriter.create(atp, c)) {
        w.addAll(molecules(Dtypes.F64_V3, 300));
      }
      assertReferenceReadsAsAtomstore(atp);
    }
  }

  static Stream<Path> corpus() throws IOException {
    Path dir = SHARED.resolve("testdata");
    if (!Files.isDirectory(dir)) return Stream.empty();
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).filter(f -> f.toString().matches(".*\\.(xyz|extxyz|db)(\\.gz)?$"))
          .filter(f -> !f.toString().contains("/errors/")).sorted().toList().stream();
    }
  }

  /** The shared ASE corpus through {@code convert}: the reference reads every file converted (3x3 info values too). */
  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void referenceReadsTheConvertedAseCorpus(Path in) throws Exception {
    Path atp = tmp.resolve("converted.atp");
    CliRun run = CliRun.of("convert", in.toString(), atp.toString());
    assumeTrue(run.exitCode() == 0, "convert refused " + in + ": " + run.err().strip());
    assertReferenceReadsAsAtomstore(atp);
  }

  // ---- the comparison ------------------------------------------------------------------------

  private void assertReferenceReadsAsAtomstore(Path atp) throws Exception {
    Path expected = tmp.resolve(atp.getFileName() + ".reference.json");
    Path actual = tmp.resolve(atp.getFileName() + ".atomstore.json");
    Result ref = run(List.of(GOLDEN, "dump", atp.toString()), expected);
    assertThat(ref.code).as("reference dump of %s: %s", atp.getFileName(), ref.err).isZero();
    assertThat(Files.readString(expected)).as("the reference opens %s", atp.getFileName()).doesNotContain("\"open_error\"");
    try (AtpReader r = AtpReader.open(atp)) {
      Files.writeString(actual, JSON.writeValueAsString(AtpJson.describe(r)));
    }
    Result cmp = run(List.of("python3", COMPARE.toString(), expected.toString(), actual.toString()), null);
    assertThat(cmp.code).as("reference and Atomstore read %s differently: %s%s", atp.getFileName(), cmp.out, cmp.err).isZero();
  }

  private record Result(int code, String out, String err) {}

  private Result run(List<String> cmd, Path stdout) throws Exception {
    Path err = Files.createTempFile(tmp, "err", ".txt");
    Path out = stdout != null ? stdout : Files.createTempFile(tmp, "out", ".txt");
    Process pr = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(pr.waitFor(120, TimeUnit.SECONDS)).as("%s finished", cmd).isTrue();
    return new Result(pr.exitValue(), stdout == null ? Files.readString(out) : "", Files.readString(err, StandardCharsets.UTF_8));
  }

  // ---- what is written -----------------------------------------------------------------------

  private static final double[] EDGE = {Double.NaN, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
      Double.MIN_VALUE, Double.MAX_VALUE, 1e-300, 0.1};
  private static final float[] EDGE_F = {Float.NaN, -0.0f, Float.POSITIVE_INFINITY, Float.MIN_VALUE, Float.MAX_VALUE, 0.1f};

  /** Molecules with every value type in every position the dtypes allow; some fields missing from some molecules. */
  static List<Molecule> molecules(Dtypes d, int count) {
    SplittableRandom r = new SplittableRandom(11 + d.ordinal());
    int[] sizes = {3, 3, 5, 1, 3, 2, 3};
    List<Molecule> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int n = sizes[i % sizes.length];
      byte[] z = new byte[n];
      for (int a = 0; a < n; a++) z[a] = (byte) (1 + r.nextInt(118));
      Molecule m = d == Dtypes.F64_V3 ? Molecule.of(doubles(r, 3 * n), z) : Molecule.of(floats(r, 3 * n), z);
      boolean f64 = d != Dtypes.F32_V3;
      boolean v2 = d == Dtypes.V2;
      if (i % 3 != 1) m.energy(f64 ? new Value.Float64(EDGE[i % EDGE.length]) : new Value.Float32(EDGE_F[i % EDGE_F.length]));
      if (i % 4 != 2) m.forces(f64 && !v2 ? new Value.Vec3Float64(doubles(r, 3 * n)) : new Value.Vec3Float32(floats(r, 3 * n)));
      if (i % 2 == 0) m.velocities(f64 && !v2 ? new Value.Vec3Float64(doubles(r, 3 * n)) : new Value.Vec3Float32(floats(r, 3 * n)));
      if (i % 3 != 2) m.charges(f64 ? new Value.Float64Array(doubles(r, n)) : new Value.Float32Array(floats(r, n)));
      if (i % 2 == 1) m.cell(f64 ? new Value.Mat3Float64(doubles(r, 9)) : new Value.Mat3Float32(floats(r, 9)));
      if (i % 3 == 0) m.stress(f64 ? new Value.Mat3Float64(doubles(r, 9)) : new Value.Mat3Float32(floats(r, 9)));
      if (i % 2 == 0) m.pbc(i % 4 == 0, true, false);
      if (i % 3 != 1) m.name(i == 0 ? "h\u00e9llo \u2713 \ud834\udd1e \"q\" \\ \t" : "mol-" + i);
      // molecule properties: every type, fixed sizes (the schema fixes a molecule property's size)
      m.property("f64", new Value.Float64(EDGE[(i + 3) % EDGE.length]));
      m.property("f32", new Value.Float32(EDGE_F[(i + 1) % EDGE_F.length]));
      m.property("i64", new Value.Int64(i == 0 ? Long.MIN_VALUE : r.nextLong()));
      if (i % 2 == 0) m.property("text", new Value.Text(i == 0 ? "" : "caf\u00e9 " + i));
      m.property("none", Value.Null.INSTANCE);
      m.property("f64_array", new Value.Float64Array(doubles(r, 4)));
      m.property("f32_array", new Value.Float32Array(floats(r, 3)));
      m.property("i64_array", new Value.Int64Array(new long[] {r.nextLong(), Long.MAX_VALUE}));
      m.property("i32_array", new Value.Int32Array(new int[] {r.nextInt(), Integer.MIN_VALUE}));
      m.property("vec3_f32", new Value.Vec3Float32(floats(r, 6)));
      m.property("vec3_f64", new Value.Vec3Float64(doubles(r, 3)));
      m.property("virial", new Value.Mat3Float64(doubles(r, 9)));
      m.property("stress_f32", new Value.Mat3Float32(floats(r, 9)));
      m.property("tensor_f32", new Value.TensorFloat32(new int[] {2, 2}, floats(r, 4)));
      m.property("tensor_f64_rank0", new Value.TensorFloat64(new int[0], doubles(r, 1)));
      m.property("tensor_i32", new Value.TensorInt32(new int[] {3}, new int[] {1, -2, 3}));
      m.property("tensor_i64", new Value.TensorInt64(new int[] {1, 2, 1}, new long[] {-1, 1L << 40}));
      m.property("tensor_empty", new Value.TensorFloat64(new int[] {0, 3}, new double[0]));
      m.property("cl\u00e9 \u2603", new Value.Int64(i));
      // atom properties: every per-atom type
      m.atomProperty("a_f64", new Value.Float64Array(doubles(r, n)));
      m.atomProperty("a_f32", new Value.Float32Array(floats(r, n)));
      m.atomProperty("a_i64", new Value.Int64Array(longs(r, n)));
      m.atomProperty("a_i32", new Value.Int32Array(ints(r, n)));
      m.atomProperty("a_vec3_f32", new Value.Vec3Float32(floats(r, 3 * n)));
      m.atomProperty("a_vec3_f64", new Value.Vec3Float64(doubles(r, 3 * n)));
      m.atomProperty("a_tensor_f32", new Value.TensorFloat32(new int[] {n, 2}, floats(r, 2 * n)));
      m.atomProperty("a_tensor_f64", new Value.TensorFloat64(new int[] {n, 3, 3}, doubles(r, 9 * n)));
      m.atomProperty("a_tensor_i32", new Value.TensorInt32(new int[] {n, 1}, ints(r, n)));
      m.atomProperty("a_tensor_i64", new Value.TensorInt64(new int[] {n, 2}, longs(r, 2 * n)));
      m.atomProperty("a_none", Value.Null.INSTANCE);
      if (n == 3) m.atomProperty("a_mat3_rows", new Value.Mat3Float64(doubles(r, 9))); // one vec3 row per atom
      out.add(m);
    }
    return out;
  }

  /** A stacked batch with every builtin and every stackable custom type. */
  static StackedBatch stacked(Dtypes d, int b, int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    boolean f64 = d != Dtypes.F32_V3;
    boolean v2 = d == Dtypes.V2;
    byte[] z = new byte[b * n];
    for (int i = 0; i < z.length; i++) z[i] = (byte) (1 + r.nextInt(100));
    Object pos = d == Dtypes.F64_V3 ? doubles(r, 3 * b * n) : floats(r, 3 * b * n);
    boolean[] pbc = new boolean[3 * b];
    for (int i = 0; i < pbc.length; i++) pbc[i] = r.nextBoolean();
    String[] names = new String[b];
    for (int i = 0; i < b; i++) names[i] = i == 1 ? null : "s\u00e9-" + i;
    StackedBatch s = StackedBatch.of(b, n, pos, z)
        .energy(f64 ? doubles(r, b) : floats(r, b))
        .forces(f64 && !v2 ? doubles(r, 3 * b * n) : floats(r, 3 * b * n))
        .velocities(f64 && !v2 ? doubles(r, 3 * b * n) : floats(r, 3 * b * n))
        .charges(f64 ? doubles(r, b * n) : floats(r, b * n))
        .cell(f64 ? doubles(r, 9 * b) : floats(r, 9 * b))
        .stress(f64 ? doubles(r, 9 * b) : floats(r, 9 * b))
        .pbc(pbc).names(names);
    s.property("f64", TypeTag.FLOAT64, doubles(r, b));
    s.property("f32", TypeTag.FLOAT32, floats(r, b));
    s.property("i64", TypeTag.INT64, longs(r, b));
    s.property("f64_array", TypeTag.F64_ARRAY, doubles(r, 4 * b), 4);
    s.property("f32_array", TypeTag.F32_ARRAY, floats(r, 3 * b), 3);
    s.property("i64_array", TypeTag.I64_ARRAY, longs(r, 2 * b), 2);
    s.property("i32_array", TypeTag.I32_ARRAY, ints(r, 2 * b), 2);
    s.property("vec3_f32", TypeTag.VEC3_F32, floats(r, 6 * b), 2, 3);
    s.property("vec3_f64", TypeTag.VEC3_F64, doubles(r, 3 * b), 1, 3);
    s.property("virial", TypeTag.MAT3_F64, doubles(r, 9 * b), 3, 3);
    s.property("stress_f32", TypeTag.MAT3_F32, floats(r, 9 * b), 3, 3);
    s.property("tensor_f32", TypeTag.TENSOR_F32, floats(r, 4 * b), 2, 2);
    s.property("tensor_f64_rank0", TypeTag.TENSOR_F64, doubles(r, b));
    s.property("tensor_i32", TypeTag.TENSOR_I32, ints(r, 3 * b), 3);
    s.property("tensor_i64", TypeTag.TENSOR_I64, longs(r, 2 * b), 1, 2, 1);
    s.atomProperty("a_f64", TypeTag.F64_ARRAY, doubles(r, b * n));
    s.atomProperty("a_f32", TypeTag.F32_ARRAY, floats(r, b * n));
    s.atomProperty("a_i64", TypeTag.I64_ARRAY, longs(r, b * n));
    s.atomProperty("a_i32", TypeTag.I32_ARRAY, ints(r, b * n));
    s.atomProperty("a_vec3_f32", TypeTag.VEC3_F32, floats(r, 3 * b * n), 3);
    s.atomProperty("a_vec3_f64", TypeTag.VEC3_F64, doubles(r, 3 * b * n), 3);
    s.atomProperty("a_tensor_f32", TypeTag.TENSOR_F32, floats(r, 2 * b * n), 2);
    s.atomProperty("a_tensor_f64", TypeTag.TENSOR_F64, doubles(r, 9 * b * n), 3, 3);
    s.atomProperty("a_tensor_i32", TypeTag.TENSOR_I32, ints(r, b * n), 1);
    s.atomProperty("a_tensor_i64", TypeTag.TENSOR_I64, longs(r, 2 * b * n), 2);
    return s;
  }

  private static double[] doubles(SplittableRandom r, int n) {
    double[] a = new double[n];
    for (int i = 0; i < n; i++) a[i] = r.nextDouble(-10, 10);
    return a;
  }

  private static float[] floats(SplittableRandom r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) a[i] = (float) r.nextDouble(-10, 10);
    return a;
  }

  private static long[] longs(SplittableRandom r, int n) {
    long[] a = new long[n];
    for (int i = 0; i < n; i++) a[i] = r.nextLong();
    return a;
  }

  private static int[] ints(SplittableRandom r, int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) a[i] = r.nextInt();
    return a;
  }
}
