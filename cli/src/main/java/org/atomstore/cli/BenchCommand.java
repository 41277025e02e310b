package org.atomstore.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.atomstore.bench.CompareBench;
import org.atomstore.bench.DatasetSpec;
import org.atomstore.bench.ReferenceBench;
import org.atomstore.bench.StoreResult;
import org.atomstore.bench.store.Stores;
import org.atomstore.codec.Compression;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code atomstore bench}: the reference's benchmark scenario, or with {@code --compare} the side-by-side harness. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Benchmark: the reference's scenario, or a side-by-side comparison with other stores.",
      "Compression defaults to none here as everywhere in Atomstore (Atompack's own default); the reference's "
          + "atompack-bench defaults to zstd:3, so pass --compression zstd:3 to repeat its default run.",
      "Without --compare: runs Atompack's atompack-bench scenario (same options and key=value output"
          + " lines) on the Atomstore engine: writes synthetic molecules to an .atp file, reopens it, reads it"
          + " sequentially, at random one molecule at a time, and shuffled in batches of --read-batch spread"
          + " over all cores. As in the reference, write_s counts generating the molecules and writing them"
          + " (a second thread generates while the writer writes); generate_s, threads and impl follow the"
          + " reference's lines at the end.",
      "With --compare: writes the same synthetic dataset into Atomstore (.atp none, lz4, zstd:3), LMDB, SQLite"
          + " (ASE db layout), extended XYZ and HDF5 (jhdf) and measures write, sequential, shuffled and"
          + " energy-only read rates, size on disk and peak memory in one process; writes results.md,"
          + " results.csv and PNG charts into --out (default: a new temporary directory, printed at the end)."
    })
public final class BenchCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--compare", description = "Run the side-by-side comparison instead of the reference scenario.")
  boolean compare;

  @Option(names = "--path", paramLabel = "FILE", description = "Output .atp file (default: ${DEFAULT-VALUE}).")
  Path path = Path.of("/tmp/atompack_bench.atp");

  @Option(names = "--num-molecules", paramLabel = "N", description = "Number of molecules (default: 100000; with --compare 10000).")
  Integer numMolecules;

  @Option(names = "--atoms-per-molecule", paramLabel = "N", description = "Atoms per molecule (default: 100; with --compare 64).")
  Integer atomsPerMolecule;

  @Option(names = "--write-batch", paramLabel = "N", description = "Molecules per write batch (default: ${DEFAULT-VALUE}).")
  int writeBatch = 8192;

  @Option(names = "--read-batch", paramLabel = "N", description = "Indices per parallel read batch (default: ${DEFAULT-VALUE}).")
  int readBatch = 4096;

  @Option(names = "--random-reads", paramLabel = "N", description = "Number of random single reads (default: ${DEFAULT-VALUE}).")
  int randomReads = 10_000;

  @Option(names = "--shuffle-samples", paramLabel = "N",
      description = "Molecules to read shuffled (default: 0 = all; with --compare: per store, for shuffled and energy reads).")
  int shuffleSamples;

  @Option(names = "--compression", paramLabel = "SPEC", converter = CompressionOption.class,
      description = CompressionOption.HELP + " (default: none, as Atompack's own default; the reference's"
          + " atompack-bench uses zstd:3).")
  Compression compression = Compression.NONE;

  @Option(names = "--with-props", description = "Include energy + forces fields.")
  boolean withProps;

  @Option(names = "--with-custom", description = "With --compare: add the custom properties (bandgap, formation_energy,"
      + " eigenvalues[20], mulliken_charges, hirshfeld_volumes); implies --with-props.")
  boolean withCustom;

  @Option(names = "--keep", description = "Keep the generated file(s).")
  boolean keep;

  @Option(names = "--threads", paramLabel = "N",
      description = "With --compare: threads for shuffled and energy reads, each with its own cursor (default: 1)."
          + " Without --compare, shuffled batches always use all cores.")
  Integer threads;

  @Option(names = "--stores", split = ",", paramLabel = "ID",
      description = "With --compare: stores to compare (default: all): atp-none, atp-lz4, atp-zstd:3 (any atp-<compression>),"
          + " lmdb, sqlite, extxyz, hdf5.")
  List<String> stores;

  @Option(names = "--out", paramLabel = "DIR",
      description = "With --compare: report directory (default: a new directory under the system's temporary directory).")
  Path out;

  @Option(names = "--work-dir", paramLabel = "DIR", description = "With --compare: where the stores' files go (default: ${DEFAULT-VALUE}).")
  Path workDir = Path.of(System.getProperty("java.io.tmpdir"), "atomstore-compare");

  @Option(names = "--no-verify", description = "With --compare: skip the untimed check that every store reads back what was written.")
  boolean noVerify;

  @Option(names = "--seed", paramLabel = "N", description = "Seed of the shuffled order (default: ${DEFAULT-VALUE}).")
  long seed = 12_345;

  @Override
  public Integer call() throws Exception {
    var stdout = spec.commandLine().getOut();
    if (compare) {
      int n = numMolecules == null ? 10_000 : numMolecules;
      int a = atomsPerMolecule == null ? 64 : atomsPerMolecule;
      var ds = new DatasetSpec(n, a, withProps || withCustom, withCustom);
      List<String> ids = stores == null ? Stores.ALL : stores;
      for (String id : ids) Stores.create(id, workDir, ds); // rejects unknown ids before any work
      // never into the working directory unless asked: a checkout would collect reports
      Path out = this.out != null ? this.out : Files.createTempDirectory("atomstore-bench-");
      var options = new CompareBench.Options(ds, ids, workDir, out, writeBatch, shuffleSamples,
          threads == null ? 1 : threads, seed, !noVerify, keep);
      List<StoreResult> results = new CompareBench(options, System.err).run();
      stdout.println("report: " + out.toAbsolutePath());
      List<String> failed = new ArrayList<>();
      for (StoreResult r : results) if (r.measured() && !noVerify && !r.verified()) failed.add(r.id());
      if (!failed.isEmpty()) {
        spec.commandLine().getErr().println("atomstore bench: stores that did not read back what was written: " + failed);
        return ExitCodes.CHECK_FAILED;
      }
      return ExitCodes.OK;
    }
    var options = new ReferenceBench.Options(path, numMolecules == null ? 100_000 : numMolecules,
        atomsPerMolecule == null ? 100 : atomsPerMolecule, writeBatch, readBatch, randomReads, shuffleSamples,
        compression, withProps, keep);
    new ReferenceBench(options, stdout).run();
    stdout.flush();
    return ExitCodes.OK;
  }
}
