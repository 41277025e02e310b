package org.atomstore.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.atomstore.data.AseFrames;
import org.atomstore.data.lmdb.AsebytesLmdb;
import org.atomstore.data.lmdb.LmdbObjectTable;
import org.atomstore.io.ase.AseAtoms;

/**
 * Atomstore against real asebytes 0.3.2 on one asebytes LMDB store, in the same run: shuffled whole-structure
 * reads (each frame once, in a seeded random order; Atomstore's {@link LmdbObjectTable#atoms(long)} -> {@link AseAtoms},
 * asebytes' {@code ASEIO[i]} -> {@code ase.Atoms}) and one full {@code calc.energy} column (best of 3). Also printed:
 * the same frames through the object tier ({@code get(i)} then {@link AseFrames#toAtoms}) and object rows alone.
 *
 * <pre>
 * java -cp ... org.atomstore.bench.AsebytesBench [--frames 100000] [--store DIR] [--source large_5000.lmdb]
 *     [--python /usr/bin/python3] [--asebytes DIR-with-the-asebytes-package] [--seed 42]
 * </pre>
 *
 * The store is written by Atomstore's writer (when {@code --store} does not exist yet) from the 40-atom frames of
 * {@code large_5000.lmdb}, repeated, with {@code info.step} set to each frame's index. Single-threaded both sides.
 */
public final class AsebytesBench {

  private AsebytesBench() {}

  public static void main(String[] args) throws Exception {
    int frames = 100_000;
    long seed = 42;
    Path shared = Path.of(System.getProperty("atomstore.shared", "../shared"));
    Path source = shared.resolve("compat/asebytes/large_5000.lmdb");
    Path store = null;
    String python = "/usr/bin/python3";
    Path asebytes = shared.resolve("peers/vendor");
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--frames" -> frames = Integer.parseInt(args[i + 1]);
        case "--store" -> store = Path.of(args[i + 1]);
        case "--source" -> source = Path.of(args[i + 1]);
        case "--python" -> python = args[i + 1];
        case "--asebytes" -> asebytes = Path.of(args[i + 1]);
        case "--seed" -> seed = Long.parseLong(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    boolean temporary = store == null;
    if (temporary) store = Files.createTempDirectory("asebytes-bench-").resolve("bench.lmdb");
    try {
      if (!Files.exists(store)) write(source, store, frames);
      Result java = measureAtomstore(store, seed);
      JsonNode py = measureAsebytes(store, python, asebytes, seed);
      report(java, py);
    } finally {
      if (temporary) deleteTree(store.getParent());
    }
  }

  record Result(long frames, double shuffledSeconds, double shuffledCpu, double viaRowsSeconds, double rowsOnlySeconds,
      double columnSeconds, double columnCpu, double energySum) {}

  /** CPU seconds of this whole process (JIT and GC threads included), the steadier figure on a shared machine. */
  private static double cpu() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime() / 1e9;
  }

  private static void write(Path source, Path store, int frames) throws IOException {
    List<Map<String, Object>> base = new ArrayList<>();
    try (LmdbObjectTable src = AsebytesLmdb.openObjects(source, "default", AsebytesLmdb.Mode.READ_ONLY)) {
      for (long i = 0; i < src.size(); i++) base.add(src.get(i));
    }
    long t0 = System.nanoTime();
    try (LmdbObjectTable dst = AsebytesLmdb.openObjects(store, "default", AsebytesLmdb.Mode.READ_WRITE)) {
      for (int start = 0; start < frames; start += base.size()) {
        List<Map<String, Object>> chunk = new ArrayList<>();
        for (int k = 0; k < base.size() && start + k < frames; k++) {
          Map<String, Object> row = new java.util.LinkedHashMap<>(base.get(k));
          row.put("info.step", (long) (start + k));
          chunk.add(row);
        }
        dst.extend(chunk);
      }
    }
    double s = (System.nanoTime() - t0) / 1e9;
    System.out.printf(Locale.ROOT, "wrote %,d frames with Atomstore's writer in %.2f s (%,.0f frames/s): %s%n", frames, s, frames / s, store);
  }

  private static Result measureAtomstore(Path store, long seed) throws IOException {
    try (LmdbObjectTable t = AsebytesLmdb.openObjects(store, "default", AsebytesLmdb.Mode.READ_ONLY)) {
      int n = (int) t.size();
      long[] order = permutation(n, seed);
      // warm-up: one whole pass in another shuffled order, so the JIT has compiled the read path (C2 needs more
      // than the fifth of the frames the Python side warms up with; CPython has no JIT to warm)
      long sink = 0;
      long[] warm = permutation(n, seed + 1);
      for (long i : warm) sink += t.atoms(i).natoms() + AseFrames.toAtoms(t.get(i), i).natoms();
      long t0 = System.nanoTime();
      double c0 = cpu();
      for (long i : order) sink += t.atoms(i).natoms();
      double shuffled = (System.nanoTime() - t0) / 1e9;
      double shuffledCpu = cpu() - c0;
      t0 = System.nanoTime();
      for (long i : order) sink += AseFrames.toAtoms(t.get(i), i).natoms();
      double viaRows = (System.nanoTime() - t0) / 1e9;
      t0 = System.nanoTime();
      for (long i : order) sink += t.get(i).size();
      double rowsOnly = (System.nanoTime() - t0) / 1e9;
      double best = Double.MAX_VALUE, bestCpu = Double.MAX_VALUE, sum = 0;
      for (int r = 0; r < 4; r++) { // the first is the warm-up
        t0 = System.nanoTime();
        c0 = cpu();
        List<Object> col = t.column("calc.energy");
        double[] energy = new double[col.size()];
        for (int k = 0; k < energy.length; k++) energy[k] = (Double) col.get(k);
        double s = (System.nanoTime() - t0) / 1e9;
        double sc = cpu() - c0;
        if (r > 0) {
          best = Math.min(best, s);
          bestCpu = Math.min(bestCpu, sc);
        }
        sum = 0;
        for (double e : energy) sum += e;
      }
      if (sink == 42) System.out.print("");
      return new Result(n, shuffled, shuffledCpu, viaRows, rowsOnly, best, bestCpu, sum);
    }
  }

  private static JsonNode measureAsebytes(Path store, String python, Path asebytes, long seed) throws Exception {
    Path script = Files.createTempFile("asebytes_bench", ".py");
    try (InputStream in = AsebytesBench.class.getResourceAsStream("asebytes_bench.py")) {
      Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    try {
      int n;
      try (LmdbObjectTable t = AsebytesLmdb.openObjects(store, "default", AsebytesLmdb.Mode.READ_ONLY)) {
        n = (int) t.size();
      }
      ProcessBuilder pb = new ProcessBuilder(python, script.toString(), store.toString(), Integer.toString(n / 5), Long.toString(seed));
      pb.environment().put("PYTHONPATH", asebytes.toAbsolutePath().toString());
      pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
      pb.redirectError(ProcessBuilder.Redirect.INHERIT);
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes());
      if (p.waitFor() != 0) throw new IOException("asebytes side failed (exit " + p.exitValue() + "): " + out);
      return new ObjectMapper().readTree(out.strip().lines().reduce((a, b) -> b).orElseThrow());
    } finally {
      Files.deleteIfExists(script);
    }
  }

  private static void report(Result j, JsonNode py) {
    double jf = j.frames() / j.shuffledSeconds(), pf = py.get("shuffled_frames_per_s").asDouble();
    double jc = j.columnSeconds(), pc = py.get("column_seconds").asDouble();
    System.out.printf(Locale.ROOT, "store: %,d frames of 40 atoms; shuffled order seed given, each frame read once%n", j.frames());
    System.out.printf(Locale.ROOT, "%-44s %14s %14s %8s%n", "", "Atomstore", "asebytes", "ratio");
    System.out.printf(Locale.ROOT, "%-44s %,14.0f %,14.0f %7.1fx%n", "shuffled whole structures (frames/s)", jf, pf, jf / pf);
    double jcf = j.frames() / j.shuffledCpu(), pcf = j.frames() / py.get("shuffled_cpu_seconds").asDouble();
    System.out.printf(Locale.ROOT, "%-44s %,14.0f %,14.0f %7.1fx%n", "  same, per process CPU second (frames/s)", jcf, pcf, jcf / pcf);
    System.out.printf(Locale.ROOT, "%-44s %,14.0f %14s %7.1fx%n", "  same, via get(i) + AseFrames.toAtoms", j.frames() / j.viaRowsSeconds(), "",
        j.frames() / j.viaRowsSeconds() / pf);
    System.out.printf(Locale.ROOT, "%-44s %,14.0f %14s%n", "shuffled object rows only (rows/s)", j.frames() / j.rowsOnlySeconds(), "");
    System.out.printf(Locale.ROOT, "%-44s %14.4f %14.4f %7.1fx%n", "calc.energy column, all rows (s, best of 3)", jc, pc, pc / jc);
    System.out.printf(Locale.ROOT, "%-44s %14.4f %14.4f %7.1fx%n", "  same, process CPU seconds", j.columnCpu(),
        py.get("column_cpu_seconds").asDouble(), py.get("column_cpu_seconds").asDouble() / j.columnCpu());
    System.out.printf(Locale.ROOT, "%-44s %,14.0f %,14.0f%n", "calc.energy column (rows/s)", j.frames() / jc, j.frames() / pc);
    System.out.printf(Locale.ROOT, "energy sums agree: %s (%.6f vs %.6f)%n",
        Math.abs(j.energySum() - py.get("energy_sum").asDouble()) < 1e-6 * Math.abs(j.energySum()), j.energySum(), py.get("energy_sum").asDouble());
  }

  private static long[] permutation(int n, long seed) {
    long[] p = new long[n];
    for (int i = 0; i < n; i++) p[i] = i;
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = n - 1; i > 0; i--) {
      int k = r.nextInt(i + 1);
      long t = p[i];
      p[i] = p[k];
      p[k] = t;
    }
    return p;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }
}
