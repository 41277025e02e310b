package org.atomstore.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.atomstore.codec.Compression;
import org.atomstore.io.ase.AseAtoms;
import org.atomstore.io.extxyz.ExtxyzReader;
import org.atomstore.io.mapping.AseMapping;
import org.atomstore.loader.sampler.Sampler;
import org.atomstore.loader.sampler.Shuffle;
import org.atomstore.model.Molecule;
import org.atomstore.model.Value;
import org.atomstore.model.Values;
import org.atomstore.store.AtpReader;
import org.atomstore.store.AtpWriter;
import org.atomstore.store.FieldSet;
import org.atomstore.store.FlatBatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "demo", description = {
    "Run the main job on the bundled sample dataset.",
    "The sample holds 240 real structures (G2 molecules, ASE bulk crystals, aspirin MD frames); the demo converts",
    "it from extended XYZ to .atp, reopens it read-only, reads it shuffled, prints a few structures and the",
    "throughput."})
final class DemoCommand implements Callable<Integer> {
  static final String SAMPLE = "/samples/sample.extxyz";

  @Option(names = "--out", description = "Where to write sample.atp (default: a directory under the system temp dir).")
  Path out;

  @Option(names = "--compression", defaultValue = "zstd:3", description = "none, lz4 or zstd:LEVEL (default: ${DEFAULT-VALUE}).")
  String compression;

  @Option(names = "--seconds", defaultValue = "2", description = "How long to read shuffled epochs (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter o = spec.commandLine().getOut();
    Path dir = out != null ? out : Path.of(System.getProperty("java.io.tmpdir"), "atomstore-demo");
    Files.createDirectories(dir);
    Path atp = dir.resolve("sample.atp");

    // 1. extended XYZ -> Molecules -> .atp
    long t0 = System.nanoTime();
    List<Molecule> molecules = new ArrayList<>();
    try (InputStream in = DemoCommand.class.getResourceAsStream(SAMPLE);
        ExtxyzReader r = ExtxyzReader.open(in, Path.of("sample.extxyz"), 1)) {
      for (AseAtoms a = r.read(); a != null; a = r.read()) {
        molecules.add(AseMapping.toMolecule(a, AseMapping.Precision.FLOAT64).molecule());
      }
    }
    Compression c = Compression.parse(compression);
    try (AtpWriter w = AtpWriter.create(atp, c)) {
      w.addAll(molecules);
      w.flush();
    }
    double convertMs = (System.nanoTime() - t0) / 1e6;
    long atoms = molecules.stream().mapToLong(Molecule::atomCount).sum();
    o.printf("Converted the bundled sample (%d structures, %,d atoms) to %s%n", molecules.size(), atoms, atp);
    o.printf("  %,d bytes, %s, in %.0f ms%n%n", Files.size(atp), c, convertMs);

    // 2. reopen read-only, read shuffled
    try (AtpReader r = AtpReader.open(atp)) {
      int n = (int) r.size();
      o.printf("Reopened read-only: %d molecules, record format %d, compression %s%n", n, r.recordFormat(), r.compression());
      long[] perm = permutation(n, 42, 0);
      o.println("First structures of the shuffled epoch (seed 42):");
      for (int k = 0; k < Math.min(5, n); k++) o.println("  " + describe(perm[k], r.get(perm[k])));

      long reads = 0, readAtoms = 0;
      long start = System.nanoTime(), limit = (long) (seconds / 2 * 1e9);
      for (int epoch = 1; System.nanoTime() - start < limit; epoch++) {
        for (long i : permutation(n, 42, epoch)) {
          readAtoms += r.get(i).atomCount();
          reads++;
        }
      }
      double single = reads / ((System.nanoTime() - start) / 1e9);
      long batched = 0;
      FieldSet fields = FieldSet.of("positions", "atomic_numbers", "energy", "forces", "cell", "pbc");
      start = System.nanoTime();
      for (int epoch = 1; System.nanoTime() - start < limit; epoch++) {
        long[] p = permutation(n, 42, epoch + 1000);
        for (int off = 0; off < n; off += 32) {
          FlatBatch b = r.readBatch(java.util.Arrays.copyOfRange(p, off, Math.min(n, off + 32)), fields, false);
          batched += b.size();
        }
      }
      double flat = batched / ((System.nanoTime() - start) / 1e9);
      o.printf("%nShuffled reads, one thread, page cache warm:%n");
      o.printf("  whole molecules:          %,12.0f molecules/s (%,.0f atoms/s)%n", single, single * readAtoms / Math.max(1, reads));
      o.printf("  flat batches of 32 (f32): %,12.0f molecules/s%n", flat);
      o.printf("%nNext: ./atomstore info %s   |   ./atomstore dump %s | head%n", atp, atp);
    }
    o.flush();
    return ExitCodes.OK;
  }

  /** The epoch's shuffled order, as the loader and {@code iterate} give it for this seed. */
  private static long[] permutation(int n, long seed, long epoch) {
    return Sampler.of(Shuffle.full().order(new long[] {0, n}, seed, epoch)).indices(0, n);
  }

  private static String describe(long index, Molecule m) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("#%-3d %-16s %3d atoms", index, formula(m), m.atomCount()));
    if (m.energy() != null) sb.append(String.format("  E=%.4f eV", m.energyAsDouble()));
    if (m.forces() != null) sb.append("  forces");
    if (m.pbc() != null) sb.append(String.format("  pbc=%s%s%s", m.pbc().a() ? 'T' : 'F', m.pbc().b() ? 'T' : 'F', m.pbc().c() ? 'T' : 'F'));
    if (m.cell() != null) {
      double[] c = Values.toDoubles(m.cell());
      if (c[0] != 0 || c[4] != 0 || c[8] != 0) sb.append(String.format("  cell diag=(%.2f, %.2f, %.2f)", c[0], c[4], c[8]));
    }
    String name = m.name() != null ? m.name() : m.properties().get("name") instanceof Value.Text t ? t.value() : null;
    if (name != null) sb.append("  name=").append(name);
    return sb.toString();
  }

  /** Hill formula: C first, then H, then the rest alphabetically. */
  static String formula(Molecule m) {
    java.util.TreeMap<String, Integer> counts = new java.util.TreeMap<>();
    for (int i = 0; i < m.atomCount(); i++) counts.merge(org.atomstore.io.ase.ChemicalSymbols.symbol(m.atomicNumber(i)), 1, Integer::sum);
    StringBuilder sb = new StringBuilder();
    for (String first : counts.containsKey("C") ? new String[] {"C", "H"} : new String[0]) {
      Integer k = counts.remove(first);
      if (k != null) sb.append(first).append(k > 1 ? k : "");
    }
    counts.forEach((s, k) -> sb.append(s).append(k > 1 ? k : ""));
    return sb.toString();
  }
}
