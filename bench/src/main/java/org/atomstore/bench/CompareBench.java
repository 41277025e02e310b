package org.atomstore.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.atomstore.bench.store.Stores;

/**
 * The side-by-side comparison: writes the same synthetic dataset into every store and measures them in one
 * process, phase by phase with the stores interleaved (every store gets each write batch in turn; then every
 * store reads sequentially, then shuffled, then energy only), so page cache and JIT state are alike for all.
 *
 * <ul>
 *   <li>write: time in the store's {@code write} calls plus its {@code commit} (generation not counted);
 *   <li>sequential: every molecule in storage order, fully decoded;
 *   <li>shuffled: the first {@code samples} indices of a seeded permutation, one molecule at a time, fully
 *       decoded, split over {@code threads} threads (each with its own cursor/connection);
 *   <li>energy: the same indices, energy only;
 *   <li>size: bytes of the store's files; peak memory: the process's peak resident size during the store's
 *       read phases (a full GC runs, untimed, before each; heap the JVM keeps committed and pages of
 *       memory-mapped files count too, so this is an upper bound for the store's own needs). Write-phase
 *       memory is not reported: the interleaved writes share one heap, so it cannot be told apart per store.
 * </ul>
 * Before the timed reads every store reads {@value #WARM_UP} molecules untimed (the end of the shuffled
 * order), so JIT compilation does not land on whichever store is measured first.
 * Reads run against a warm page cache (the data was just written). One instance runs one comparison.
 */
public final class CompareBench {
  private static final int WARM_UP = 20_000;

  /** What to compare and how. */
  public record Options(DatasetSpec spec, List<String> stores, Path workDir, Path outDir, int writeBatch,
      int samples, int threads, long seed, boolean verify, boolean keep) {
    public Options {
      if (stores.isEmpty()) throw new IllegalArgumentException("no stores to compare");
      if (writeBatch < 1) throw new IllegalArgumentException("write batch must be >= 1");
      if (threads < 1) throw new IllegalArgumentException("threads must be >= 1");
      if (samples < 0) throw new IllegalArgumentException("samples must be >= 0");
      stores = List.copyOf(stores);
    }

    /** Shuffled and energy reads per store: {@code samples}, or every molecule when 0. */
    int sampleCount() { return samples == 0 ? spec.molecules() : Math.min(samples, spec.molecules()); }
  }

  private final Options options;
  private final PrintStream log;

  public CompareBench(Options options, PrintStream log) {
    this.options = options;
    this.log = log;
  }

  /** Runs every phase, writes the report into {@code outDir}, and returns the results in store order. */
  public List<StoreResult> run() throws IOException {
    DatasetSpec spec = options.spec();
    Files.createDirectories(options.workDir());
    Map<String, StoreResult> skipped = new LinkedHashMap<>();
    List<Entry> entries = new ArrayList<>();
    try {
      for (String id : options.stores()) {
        var reason = Stores.skipReason(id, spec);
        Path dir = options.workDir().resolve(id.replace(':', '_'));
        deleteTree(dir);
        BenchStore store = Stores.create(id, dir, spec);
        if (reason.isPresent()) {
          log.println("skip " + id + ": " + reason.get());
          skipped.put(id, StoreResult.skipped(id, store.description(), reason.get()));
          store.close();
        } else {
          entries.add(new Entry(store, dir));
        }
      }
      writePhase(entries);
      for (Entry e : entries) e.size = e.store.sizeOnDisk();
      long[] order = XorShift64.permutation(spec.molecules(), options.seed());
      for (Entry e : entries) warmUp(e, order);
      for (Entry e : entries) sequentialPhase(e);
      for (Entry e : entries) shuffledPhase(e, order);
      for (Entry e : entries) energyPhase(e, order);
      if (options.verify()) for (Entry e : entries) verify(e, order);
    } finally {
      for (Entry e : entries) {
        e.store.close();
        if (!options.keep()) deleteTree(e.dir);
      }
    }
    List<StoreResult> results = new ArrayList<>();
    for (String id : options.stores()) {
      if (skipped.containsKey(id)) {
        results.add(skipped.get(id));
        continue;
      }
      Entry e = entries.stream().filter(x -> x.store.id().equals(id) || x.requested(id)).findFirst().orElseThrow();
      results.add(new StoreResult(e.store.id(), e.store.description(), spec.molecules() / e.writeSeconds,
          e.seqRate, e.shuffledRate, e.energyRate, e.size, e.peakKib, e.verified, null));
    }
    if (options.outDir() != null) new CompareReport(options, results, Machine.current()).writeTo(options.outDir());
    return results;
  }

  private void writePhase(List<Entry> entries) throws IOException {
    DatasetSpec spec = options.spec();
    int batch = options.writeBatch();
    for (int first = 0; first < spec.molecules(); first += batch) {
      int count = Math.min(batch, spec.molecules() - first);
      MoleculeBatch b = SyntheticMolecules.batch(first, count, spec.atoms(), spec.withProps(), spec.withCustom());
      for (Entry e : entries) {
        long t0 = System.nanoTime();
        e.store.write(b);
        e.writeSeconds += (System.nanoTime() - t0) / 1e9;
      }
    }
    for (Entry e : entries) {
      long t0 = System.nanoTime();
      e.store.commit();
      e.writeSeconds += (System.nanoTime() - t0) / 1e9;
      log.printf("write      %-12s %,14.0f molecules/s%n", e.store.id(), spec.molecules() / e.writeSeconds);
    }
  }

  /**
   * Untimed: reads the last part of the shuffled sample (never the part the timed phases start with) so
   * every store's read path is compiled before it is timed, whichever store comes first.
   */
  private void warmUp(Entry e, long[] order) throws IOException {
    int n = Math.min(WARM_UP, order.length);
    e.store.readShuffled(order, order.length - n, order.length, new Tally());
    e.store.readEnergy(order, order.length - n, order.length);
  }

  private void sequentialPhase(Entry e) throws IOException {
    var tally = new Tally();
    settleHeap();
    long t0 = startMeasure();
    e.store.readSequential(tally);
    double s = endMeasure(e, t0);
    checkCount(e, "sequential", tally.molecules, options.spec().molecules());
    e.seqRate = tally.molecules / s;
    log.printf("sequential %-12s %,14.0f molecules/s%n", e.store.id(), e.seqRate);
  }

  private void shuffledPhase(Entry e, long[] order) throws IOException {
    int n = options.sampleCount();
    settleHeap();
    long t0 = startMeasure();
    List<Tally> tallies = inParallel(n, (from, to) -> {
      var tally = new Tally();
      e.store.readShuffled(order, from, to, tally);
      return tally;
    });
    double s = endMeasure(e, t0);
    checkCount(e, "shuffled", tallies.stream().mapToLong(t -> t.molecules).sum(), n);
    e.shuffledRate = n / s;
    log.printf("shuffled   %-12s %,14.0f molecules/s%n", e.store.id(), e.shuffledRate);
  }

  private void energyPhase(Entry e, long[] order) throws IOException {
    int n = options.sampleCount();
    settleHeap();
    long t0 = startMeasure();
    inParallel(n, (from, to) -> e.store.readEnergy(order, from, to));
    double s = endMeasure(e, t0);
    e.energyRate = n / s;
    log.printf("energy     %-12s %,14.0f molecules/s%n", e.store.id(), e.energyRate);
  }

  /** Untimed: every molecule read back sequentially and a shuffled sample must equal the generator's. */
  private void verify(Entry e, long[] order) throws IOException {
    DatasetSpec spec = options.spec();
    var problems = new ArrayList<String>();
    BenchStore.MoleculeSink check = (i, m) -> {
      var expected = SyntheticMolecules.molecule(i, spec.atoms(), spec.withProps(), spec.withCustom());
      if (!expected.equals(m) && problems.size() < 5) problems.add("molecule " + i + " differs: " + m);
    };
    var seen = new long[1];
    e.store.readSequential((i, m) -> {
      seen[0]++;
      check.accept(i, m);
    });
    int n = options.sampleCount();
    e.store.readShuffled(order, 0, n, check);
    double expectedEnergy = 0;
    for (int p = 0; p < n; p++) {
      expectedEnergy += spec.withProps() ? SyntheticMolecules.energy(order[p]) : Double.NaN;
    }
    double energy = e.store.readEnergy(order, 0, n);
    if (Double.compare(energy, expectedEnergy) != 0) problems.add("energy sum " + energy + " != " + expectedEnergy);
    if (seen[0] != spec.molecules()) problems.add("sequential read gave " + seen[0] + " molecules");
    e.verified = problems.isEmpty();
    if (!e.verified) log.println("verify " + e.store.id() + " FAILED: " + String.join("; ", problems));
  }

  private static void checkCount(Entry e, String phase, long got, long expected) throws IOException {
    if (got != expected) {
      throw new IOException(e.store.id() + ": " + phase + " read gave " + got + " molecules, expected " + expected);
    }
  }

  @FunctionalInterface
  private interface Part<T> {
    T run(int from, int to) throws IOException;
  }

  /** Splits {@code [0,n)} into one contiguous part per thread and runs them at once. */
  private <T> List<T> inParallel(int n, Part<T> part) throws IOException {
    int threads = options.threads();
    if (threads == 1) return List.of(part.run(0, n));
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      var futures = new ArrayList<Future<T>>();
      for (int t = 0; t < threads; t++) {
        int from = (int) ((long) n * t / threads);
        int to = (int) ((long) n * (t + 1) / threads);
        futures.add(pool.submit(() -> part.run(from, to)));
      }
      var out = new ArrayList<T>();
      for (Future<T> f : futures) out.add(f.get());
      return out;
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", ex);
    } catch (java.util.concurrent.ExecutionException ex) {
      if (ex.getCause() instanceof IOException io) throw io;
      if (ex.getCause() instanceof RuntimeException re) throw re;
      throw new IOException(ex.getCause());
    }
  }

  /** Untimed full collection before a read phase, so the heap garbage of earlier stores does not count as this one's memory. */
  private static void settleHeap() {
    System.gc();
  }

  private static long startMeasure() {
    ProcStatus.resetPeak();
    return System.nanoTime();
  }

  private static double endMeasure(Entry e, long t0) {
    double s = (System.nanoTime() - t0) / 1e9;
    e.peakKib = Math.max(e.peakKib, ProcStatus.kb("VmHWM:").orElse(-1));
    return s;
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    } catch (UncheckedIOException ex) {
      throw ex.getCause();
    }
  }

  /** Counts what a read delivered, touching the arrays so the JIT cannot skip decoding. */
  private static final class Tally implements BenchStore.MoleculeSink {
    long molecules;
    long atoms;
    double checksum;

    @Override
    public void accept(long index, BenchMolecule m) {
      molecules++;
      atoms += m.atomCount();
      checksum += m.positions()[m.positions().length - 1] + m.atomicNumbers()[0];
    }
  }

  private static final class Entry {
    final BenchStore store;
    final Path dir;
    double writeSeconds;
    double seqRate = Double.NaN;
    double shuffledRate = Double.NaN;
    double energyRate = Double.NaN;
    long size;
    long peakKib = -1;
    boolean verified;

    Entry(BenchStore store, Path dir) {
      this.store = store;
      this.dir = dir;
    }

    boolean requested(String id) { return dir.getFileName().toString().equals(id.replace(':', '_')); }
  }
}
