package org.atomstore.cli;

import java.io.IOException;
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
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "demo", mixinStandardHelpOptions = true, description = {
    "Convert the bundled sample, then measure shuffled reads on a larger copy of it.",
    "The sample holds 240 real structures (G2 molecules, ASE bulk crystals, aspirin MD frames). The demo converts "
        + "it from extended XYZ to .atp, reopens it read-only and prints a few structures in shuffled order. "
        + "Reading 240 structures once would measure the JVM warming up, not the store, so it then writes the "
        + "sample --copies times into a larger .atp, reads it for one untimed warm-up epoch and measures "
        + "shuffled reads for --seconds, and says what the figures mean.",
    "Files go to --out, or to a temporary directory that is removed at the end."})
final class DemoCommand implements Callable<Integer> {
  static final String SAMPLE = "/samples/sample.extxyz";

  @Option(names = "--out", paramLabel = "DIR", description = "Keep sample.atp and sample-xN.atp in DIR (default: a temporary directory, removed at the end).")
  Path out;

  @Option(names = "--compression", paramLabel = "SPEC", defaultValue = "none", converter = CompressionOption.class,
      description = CompressionOption.HELP + " (default: ${DEFAULT-VALUE}, as Atompack's own default).")
  Compression compression;

  @Option(names = "--copies", paramLabel = "N", defaultValue = "100",
      description = "Copies of the sample in the dataset that is measured (default: ${DEFAULT-VALUE}, 24,000 structures).")
  int copies;

  @Option(names = "--seconds", paramLabel = "S", defaultValue = "2", description = "How long to measure shuffled reads, split between whole molecules and flat batches (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (copies < 1) throw new CommandLine.ParameterException(spec.commandLine(), "--copies must be at least 1, not " + copies);
    if (!(seconds > 0)) throw new CommandLine.ParameterException(spec.commandLine(), "--seconds must be positive, not " + seconds);
    Path dir = out != null ? Files.createDirectories(out) : Temporaries.register(Files.createTempDirectory("atomstore-demo-"));
    try {
      return run(dir, spec.commandLine().getOut());
    } finally {
      if (out == null) Temporaries.discard(dir);
    }
  }

  private int run(Path dir, PrintWriter o) throws IOException {
    Path atp = dir.resolve("sample.atp");
    Compression c = compression;

    // 1. extended XYZ -> Molecules -> .atp
    long t0 = System.nanoTime();
    List<Molecule> molecules = new ArrayList<>();
    try (InputStream in = DemoCommand.class.getResourceAsStream(SAMPLE);
        ExtxyzReader r = ExtxyzReader.open(in, Path.of("sample.extxyz"), 1)) {
      for (AseAtoms a = r.read(); a != null; a = r.read()) {
        molecules.add(AseMapping.toMolecule(a, AseMapping.Precision.FLOAT64).molecule());
      }
    }
    try (AtpWriter w = AtpWriter.create(atp, c)) {
      w.addAll(molecules);
      w.flush();
    }
    double convertS = Summary.seconds(t0);
    long atoms = molecules.stream().mapToLong(Molecule::atomCount).sum();
    o.printf("1. Converted the bundled sample (%d structures, %,d atoms) to %s%n", molecules.size(), atoms, atp);
    o.printf("   %s, %s, in %s (mostly the JVM loading and compiling the parser: this is a first run)%n%n",
        Summary.human(Files.size(atp)), c, Summary.time(convertS));

    // 2. reopen read-only, show a shuffled epoch's first structures
    try (AtpReader r = AtpReader.open(atp)) {
      int n = (int) r.size();
      o.printf("2. Reopened read-only: %d molecules, record format %d, compression %s%n", n, r.recordFormat(), r.compression());
      long[] perm = permutation(n, 42, 0);
      o.println("   First structures of the shuffled epoch (seed 42):");
      for (int k = 0; k < Math.min(5, n); k++) o.println("   " + describe(perm[k], r.get(perm[k])));
    }

    // 3. a dataset large enough to measure the store rather than the JIT
    Path big = dir.resolve("sample-x" + copies + ".atp");
    t0 = System.nanoTime();
    try (AtpWriter w = AtpWriter.create(big, c)) {
      for (int k = 0; k < copies; k++) w.addAll(molecules);
      w.flush();
    }
    double writeS = Summary.seconds(t0);
    long bigCount = (long) copies * molecules.size();
    long bigBytes = Files.size(big);
    o.printf("%n3. Wrote the sample %d times to %s: %,d structures, %,d atoms, %s, in %s (%s structures/s)%n",
        copies, big, bigCount, atoms * copies, Summary.human(bigBytes), Summary.time(writeS), Summary.rate(bigCount, writeS));

    // 4. shuffled reads: one warm-up epoch, then timed epochs
    try (AtpReader r = AtpReader.open(big)) {
      int n = (int) r.size();
      for (long i : permutation(n, 42, 0)) r.get(i); // warm-up: the read path gets compiled here, untimed
      long reads = 0, readAtoms = 0;
      long start = System.nanoTime(), limit = (long) (seconds / 2 * 1e9);
      for (int epoch = 1; System.nanoTime() - start < limit; epoch++) {
        for (long i : permutation(n, 42, epoch)) {
          readAtoms += r.get(i).atomCount();
          reads++;
        }
      }
      double singleS = Summary.seconds(start);
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
      double flatS = Summary.seconds(start);
      o.printf("%n4. Shuffled reads of those %,d structures, one thread, after one untimed warm-up epoch:%n", n);
      o.printf("   whole molecules (every field):        %,12.0f molecules/s, %,.0f atoms/s (%,d reads in %s)%n",
          reads / singleS, readAtoms / singleS, reads, Summary.time(singleS));
      o.printf("   flat batches of 32 (6 fields, f32):   %,12.0f molecules/s (%,d molecules in %s)%n",
          batched / flatS, batched, Summary.time(flatS));
      o.printf("%nWhat was measured: random access in a shuffled order through the memory-mapped reader, each%n");
      o.printf("record decompressed (here: %s) and decoded into Java objects or a flat batch. The file was just%n", c);
      o.printf("written, so it is in the operating system's page cache: these are the store's costs, not the%n");
      o.printf("disk's. A training job reading a dataset larger than memory adds the disk's random-read time;%n");
      o.printf("see 'atomstore bench' and 'atomstore iterate'.%n");
    }
    if (out != null) o.printf("%nNext: ./atomstore info %s   |   ./atomstore dump %s | head%n", atp, atp);
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
