package org.atomstore.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.atomstore.arrays.ArrayCodec;
import org.atomstore.arrays.ArrayInfo;
import org.atomstore.arrays.ZarrDump;
import org.atomstore.arrays.ZarrStore;
import org.atomstore.io.ase.AseAtoms;
import org.atomstore.io.extxyz.ExtxyzReader;
import org.atomstore.io.mapping.AseMapping;
import org.atomstore.model.Molecule;
import org.atomstore.model.NdArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code atomstore arrays}: chunked N-d array stores in the Zarr v2 layout. */
@Command(name = "arrays", mixinStandardHelpOptions = true,
    description = "Inspect, dump and write chunked N-d array stores in the Zarr v2 layout (zarr-python and xarray read them).",
    subcommands = {ArraysCommand.Info.class, ArraysCommand.Dump.class, ArraysCommand.Convert.class, ArraysCommand.Bench.class})
final class ArraysCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  @Command(name = "info", mixinStandardHelpOptions = true, description = "One line per group and array: dtype, shape, chunks, compressor, dims and statistics.")
  static final class Info implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "STORE", description = "A Zarr v2 store directory.") Path store;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      try (ZarrStore z = ZarrStore.open(store)) {
        out.printf("%s: Zarr v2, %d groups, %d arrays%s%n", store, z.groups().size(), z.arrays().size(), z.consolidated() ? ", consolidated" : "");
        for (String g : z.groups()) out.printf("group  /%s%s%n", g, z.attributes(g).isEmpty() ? "" : "  attrs " + z.attributes(g).keySet());
        for (String a : z.arrays()) {
          ArrayInfo i = z.array(a).orElseThrow();
          String comp = i.compressor() == null ? "none" : String.valueOf(i.compressor().get("id"))
              + (i.compressor().containsKey("cname") ? ":" + i.compressor().get("cname") : "");
          out.printf("array  /%s  %s %s chunks %s %s %s%s%s%n", a, i.dtype(), Arrays.toString(i.shape()), Arrays.toString(i.chunks()), i.order(), comp,
              i.dims().isEmpty() ? "" : " dims " + i.dims(),
              z.stats(a).map(s -> String.format("  rows=%d count=%d nulls=%d min=%s max=%s", s.rows(), s.count(), s.nullCount(), s.min(), s.max())).orElse(""));
        }
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "dump", mixinStandardHelpOptions = true, description = {
      "Print a store as zarr-expected/1 JSON (the layout of shared/compat/zarr-v2/README.md and peers/zarr_dump.py): "
          + "groups and attributes, every array's metadata, chunk keys, values and SHA-256."})
  static final class Dump implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "STORE", description = "A Zarr v2 store directory.") Path store;
    @Option(names = "--max-elements", paramLabel = "N", description = "Arrays with more elements print their first and last 16 only.")
    long maxElements = Long.MAX_VALUE;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      String text;
      try (ZarrStore z = ZarrStore.open(store)) {
        text = ZarrDump.text(z, maxElements);
      }
      spec.commandLine().getOut().print(text);
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }
  }

  @Command(name = "convert", mixinStandardHelpOptions = true, description = {
      "IN.xyz OUT.zarr: a fixed-atom-count trajectory (extended XYZ) as positions[frame,atom,xyz], numbers[atom], "
          + "cell[frame,3,3], energy[frame] and forces[frame,atom,xyz] with dims and CF-style attributes (xarray.open_zarr opens it).",
      "IN.zarr OUT.zarr: every group, array and attribute rewritten with another --compression."})
  static final class Convert implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IN") Path in;
    @Parameters(index = "1", paramLabel = "OUT") Path out;
    @Option(names = "--compression", paramLabel = "C", description = "none, zstd[:L], lz4, zlib[:L], gzip[:L], blosc[:CNAME[:L[:SHUFFLE]]] (default ${DEFAULT-VALUE}).")
    String compression = "zstd:3";
    @Option(names = "--frames-per-chunk", paramLabel = "N", description = "Frames per chunk (default ${DEFAULT-VALUE}).") int framesPerChunk = 100;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      ArrayCodec codec = ArrayCodec.parse(compression);
      if (Files.exists(out)) throw new IllegalArgumentException("output exists: " + out);
      if (Files.isDirectory(in)) return rewrite(codec);
      List<AseAtoms> frames = ExtxyzReader.readAll(in);
      if (frames.isEmpty()) throw new IllegalArgumentException("no frames in " + in);
      int n = frames.size();
      List<Molecule> mols = new ArrayList<>(n);
      for (AseAtoms a : frames) mols.add(AseMapping.toMolecule(a, AseMapping.Precision.FLOAT64).molecule());
      Molecule first = mols.getFirst();
      int atoms = first.atomCount();
      for (int f = 0; f < n; f++) {
        if (!Arrays.equals(mols.get(f).atomicNumbers(), first.atomicNumbers())) {
          throw new IllegalArgumentException("frame " + f + " of " + in + " has other atoms than frame 0: not a fixed-atom-count trajectory");
        }
      }
      int fc = Math.max(1, Math.min(framesPerChunk, n));
      boolean hasEnergy = mols.stream().allMatch(m -> m.energy() != null);
      boolean hasForces = mols.stream().allMatch(m -> m.forces() != null);
      boolean hasCell = mols.stream().allMatch(m -> m.cell() != null);
      try (ZarrStore z = ZarrStore.create(out, codec)) {
        double[] pos = new double[n * atoms * 3];
        for (int f = 0; f < n; f++) System.arraycopy(mols.get(f).positionsAsDouble(), 0, pos, f * atoms * 3, atoms * 3);
        z.defineArray("positions", "<f8", List.of("frame", "atom", "xyz"), new long[] {n, atoms, 3}, new int[] {fc, atoms, 3}, Double.NaN);
        z.writeArray("positions", new long[3], new long[] {n, atoms, 3}, pos);
        z.setAttributes("positions", Map.of("units", "angstrom", "long_name", "atomic positions"));
        long[] numbers = new long[atoms];
        for (int i = 0; i < atoms; i++) numbers[i] = first.atomicNumber(i);
        // no fill value: xarray would mask an integer _FillValue and widen the numbers to float
        z.defineArray("numbers", "<i8", List.of("atom"), new long[] {atoms}, new int[] {atoms}, null);
        z.writeArray("numbers", new long[1], new long[] {atoms}, numbers);
        z.setAttributes("numbers", Map.of("long_name", "atomic numbers"));
        if (hasCell) {
          double[] cell = new double[n * 9];
          for (int f = 0; f < n; f++) System.arraycopy(org.atomstore.model.Values.toDoubles(mols.get(f).cell()), 0, cell, f * 9, 9);
          z.defineArray("cell", "<f8", List.of("frame", "cell_vector", "xyz"), new long[] {n, 3, 3}, new int[] {fc, 3, 3}, Double.NaN);
          z.writeArray("cell", new long[3], new long[] {n, 3, 3}, cell);
          z.setAttributes("cell", Map.of("units", "angstrom", "long_name", "unit cell vectors (rows)"));
        }
        if (hasEnergy) {
          double[] e = new double[n];
          for (int f = 0; f < n; f++) e[f] = mols.get(f).energyAsDouble();
          z.defineArray("energy", "<f8", List.of("frame"), new long[] {n}, new int[] {Math.max(fc, Math.min(n, 10_000))}, Double.NaN);
          z.writeArray("energy", new long[1], new long[] {n}, e);
          z.setAttributes("energy", Map.of("units", "eV", "long_name", "potential energy"));
        }
        if (hasForces) {
          double[] fo = new double[n * atoms * 3];
          for (int f = 0; f < n; f++) System.arraycopy(org.atomstore.model.Values.toDoubles(mols.get(f).forces()), 0, fo, f * atoms * 3, atoms * 3);
          z.defineArray("forces", "<f8", List.of("frame", "atom", "xyz"), new long[] {n, atoms, 3}, new int[] {fc, atoms, 3}, Double.NaN);
          z.writeArray("forces", new long[3], new long[] {n, atoms, 3}, fo);
          z.setAttributes("forces", Map.of("units", "eV/angstrom", "long_name", "atomic forces"));
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("source", in.getFileName().toString());
        root.put("conventions", "atomstore trajectory: positions[frame, atom, xyz]");
        z.setAttributes("", root);
      }
      spec.commandLine().getOut().printf("%s: %d frames of %d atoms -> %s%n", in, n, atoms, out);
      return ExitCodes.OK;
    }

    private int rewrite(ArrayCodec codec) throws Exception {
      try (ZarrStore src = ZarrStore.open(in); ZarrStore dst = ZarrStore.create(out, codec)) {
        for (String g : src.groups()) {
          if (!g.isEmpty()) dst.createDataset(g);
          dst.setAttributes(g, src.attributes(g));
        }
        for (String a : src.arrays()) {
          ArrayInfo i = src.array(a).orElseThrow();
          Map<String, Object> attrs = new LinkedHashMap<>(i.attributes());
          attrs.remove(ZarrStore.DIMS_ATTR);
          attrs.remove(ZarrStore.STATS_ATTR);
          dst.defineArray(a, i.dtype(), i.dims().isEmpty() ? null : i.dims(), i.shape(), i.chunks(), i.fillValue(), codec, i.order(), '.');
          dst.setAttributes(a, attrs);
          // a chunk-row at a time keeps memory to one row of chunks
          long rows = i.shape().length == 0 ? 1 : i.shape()[0];
          long step = i.shape().length == 0 ? 1 : i.chunks()[0];
          for (long r0 = 0; r0 < rows; r0 += step) {
            long[] start = new long[i.shape().length];
            long[] shape = i.shape().clone();
            if (shape.length > 0) {
              start[0] = r0;
              shape[0] = Math.min(step, rows - r0);
            }
            NdArray part = src.read(a, start, shape);
            dst.writeArray(a, start, part);
          }
          dst.flush();
        }
      }
      spec.commandLine().getOut().printf("%s -> %s (%s)%n", in, out, compression);
      return ExitCodes.OK;
    }
  }

  @Command(name = "bench", mixinStandardHelpOptions = true, description = {
      "Time reading one float32 array of a store: whole, and by random windows along the first dimension "
          + "(seeded; the same windows as bench/zarr/zarr_bench.py draws). Prints median and best milliseconds."})
  static final class Bench implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "STORE") Path store;
    @Option(names = "--array", description = "Array path (default ${DEFAULT-VALUE}).") String array = "positions";
    @Option(names = "--repeats", description = "Timed repetitions (default ${DEFAULT-VALUE}).") int repeats = 20;
    @Option(names = "--warmup", description = "Untimed repetitions first, so the JIT has compiled the read path (default ${DEFAULT-VALUE}).") int warmup = 50;
    @Option(names = "--windows", description = "Random windows per repetition (default ${DEFAULT-VALUE}).") int windows = 100;
    @Option(names = "--window", description = "Frames per window (default ${DEFAULT-VALUE}).") int window = 50;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      try (ZarrStore z = ZarrStore.open(store)) {
        ArrayInfo info = z.array(array).orElseThrow(() -> new IllegalArgumentException("no array '" + array + "' in " + store));
        long[] shape = info.shape();
        long frames = shape[0];
        long[] starts = new long[windows];
        // the same LCG as the Python side, so both read the same windows
        long x = 12345;
        for (int i = 0; i < windows; i++) {
          x = (x * 6364136223846793005L + 1442695040888963407L);
          starts[i] = Long.remainderUnsigned(x >>> 17, frames - window + 1);
        }
        double[] whole = new double[repeats];
        double[] win = new double[repeats];
        // CPU time of every Java thread (the reader and the pool's; not GC or JIT) beside wall-clock time: on a
        // shared machine it tells waiting for a core from work (but a VM may count the host's steal time as CPU).
        // The process total is only as fine as the 10 ms clock tick on some systems, so threads are summed.
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        java.util.function.LongSupplier cpu = () -> {
          long sum = 0;
          for (long t : threads.getThreadCpuTime(threads.getAllThreadIds())) sum += Math.max(0, t);
          return sum;
        };
        double[] wholeCpu = new double[repeats];
        double[] winCpu = new double[repeats];
        long checksum = 0;
        for (int rep = -warmup; rep < repeats; rep++) {
          long c0 = cpu.getAsLong();
          long t0 = System.nanoTime();
          float[] all = z.readFloats(array);
          long t1 = System.nanoTime();
          long c1 = cpu.getAsLong();
          checksum += Float.floatToRawIntBits(all[all.length - 1]);
          for (long s0 : starts) {
            long[] st = new long[shape.length];
            long[] sh = shape.clone();
            st[0] = s0;
            sh[0] = window;
            float[] part = z.readFloats(array, st, sh);
            checksum += Float.floatToRawIntBits(part[0]);
          }
          long t2 = System.nanoTime();
          long c2 = cpu.getAsLong();
          if (rep >= 0) {
            whole[rep] = (t1 - t0) / 1e6;
            win[rep] = (t2 - t1) / 1e6;
            wholeCpu[rep] = (c1 - c0) / 1e6;
            winCpu[rep] = (c2 - c1) / 1e6;
          }
        }
        Arrays.sort(whole);
        Arrays.sort(win);
        Arrays.sort(wholeCpu);
        Arrays.sort(winCpu);
        out.printf("atomstore %s %s %s: whole median %.2f ms best %.2f ms; %d windows of %d median %.2f ms best %.2f ms; cpu median whole %.2f ms windows %.2f ms (checksum %d)%n",
            store.getFileName(), array, Arrays.toString(shape), whole[repeats / 2], whole[0], windows, window, win[repeats / 2], win[0],
            wholeCpu[repeats / 2], winCpu[repeats / 2], checksum);
      }
      return ExitCodes.OK;
    }
  }
}
