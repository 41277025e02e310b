package org.atomstore.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.atomstore.bench.store.AtpBatches;
import org.atomstore.codec.Compression;
import org.atomstore.model.Molecule;
import org.atomstore.model.StackedBatch;
import org.atomstore.store.AtpReader;
import org.atomstore.store.AtpWriter;

/**
 * Atompack's {@code atompack-bench} scenario on the Atomstore engine, printing the reference's
 * {@code key=value} lines in the reference's order so the two programs compare line by line: create, write
 * synthetic molecules in batches, flush, reopen, read every molecule in order, {@code random_reads} single
 * random reads, then shuffled reads in batches of {@code read_batch}, each batch decoded by
 * {@link AtpReader#get(long[])} over all cores (as the reference's {@code get_molecules} does with rayon).
 * The random indices and the permutation come from the reference's generator with its seed (12345).
 *
 * <p>As in the reference, {@code write_s} counts generating the molecules and writing them; here a second
 * thread generates the next batch while the writer writes the current one. The time spent generating is
 * printed as {@code generate_s} after the reference's lines, with {@code threads} (cores available) and
 * {@code impl}. One instance runs once.
 */
public final class ReferenceBench {
  private static final long SEED = 12_345;
  private static final int MAX_PERM_LEN = 5_000_000;

  /** The reference's options. */
  public record Options(Path path, int numMolecules, int atomsPerMolecule, int writeBatch, int readBatch,
      int randomReads, int shuffleSamples, Compression compression, boolean withProps, boolean keep) {
    public Options {
      if (numMolecules < 0 || atomsPerMolecule < 0 || randomReads < 0 || shuffleSamples < 0) {
        throw new IllegalArgumentException("counts must be >= 0");
      }
      if (writeBatch < 1 || readBatch < 1) {
        throw new IllegalArgumentException("--write-batch and --read-batch must be >= 1");
      }
    }
  }

  private final Options o;
  private final PrintWriter out;

  public ReferenceBench(Options options, PrintWriter out) {
    this.o = options;
    this.out = out;
  }

  public ReferenceBench(Options options, PrintStream out) {
    this(options, new PrintWriter(out, true));
  }

  /** The reference's Debug spelling of a compression: {@code None}, {@code Lz4}, {@code Zstd(3)}. */
  static String debugName(Compression c) {
    String s = c.toString();
    if (s.equals("none")) return "None";
    if (s.equals("lz4")) return "Lz4";
    if (s.startsWith("zstd:")) return "Zstd(" + s.substring(5) + ")";
    return s;
  }

  public void run() throws IOException {
    line("format", "atompack_v2");
    line("path", o.path());
    line("num_molecules", o.numMolecules());
    line("atoms_per_molecule", o.atomsPerMolecule());
    line("with_props", o.withProps());
    line("write_batch", o.writeBatch());
    line("read_batch", o.readBatch());
    line("random_reads", o.randomReads());
    line("shuffle_samples", o.shuffleSamples());
    line("compression", debugName(o.compression()));

    long t = System.nanoTime();
    long writeNanos;
    long flushNanos;
    Generator generator = new Generator(o);
    try (AtpWriter writer = AtpWriter.create(o.path(), o.compression())) {
      long createNanos = System.nanoTime() - t;
      t = System.nanoTime();
      generator.start();
      for (StackedBatch stacked = generator.next(); stacked != null; stacked = generator.next()) writer.addBatch(stacked);
      writeNanos = System.nanoTime() - t;
      t = System.nanoTime();
      writer.flush();
      flushNanos = System.nanoTime() - t;
      line("create_s", seconds(createNanos));
    } finally {
      generator.interrupt();
    }
    long generateNanos = generator.nanos;
    long fileSize = Files.size(o.path());
    line("write_s", seconds(writeNanos));
    line("flush_s", seconds(flushNanos));
    line("file_size_bytes", fileSize);
    line("write_molecules_per_s", rate(o.numMolecules(), writeNanos));

    t = System.nanoTime();
    try (AtpReader db = AtpReader.open(o.path())) {
      line("open_s", seconds(System.nanoTime() - t));
      long len = db.size();
      line("len", len);

      t = System.nanoTime();
      long seqAtoms = 0;
      for (long i = 0; i < len; i++) seqAtoms += atomsOf(db, i);
      long seqNanos = System.nanoTime() - t;
      line("seq_read_s", seconds(seqNanos));
      line("seq_read_molecules_per_s", rate(len, seqNanos));
      line("seq_read_atoms", seqAtoms);

      var rng = new XorShift64(SEED);
      long reads = Math.min(o.randomReads(), Math.max(len, 1));
      t = System.nanoTime();
      long randAtoms = 0;
      if (len > 0) {
        for (long r = 0; r < reads; r++) randAtoms += atomsOf(db, rng.nextIndex(len));
      }
      long randNanos = System.nanoTime() - t;
      line("rand_read_s", seconds(randNanos));
      line("rand_read_molecules_per_s", rate(reads, randNanos));
      line("rand_read_atoms", randAtoms);

      long shuffleTotal = o.shuffleSamples() == 0 ? len : Math.min(o.shuffleSamples(), len);
      boolean fullPerm = shuffleTotal == len && len <= MAX_PERM_LEN;
      line("shuffle_mode", fullPerm ? "perm" : "random_with_replacement");
      t = System.nanoTime();
      long shuffleAtoms = shuffled(db, rng, len, shuffleTotal, fullPerm);
      long shuffleNanos = System.nanoTime() - t;
      line("shuffle_read_s", seconds(shuffleNanos));
      line("shuffle_read_molecules_per_s", rate(shuffleTotal, shuffleNanos));
      line("shuffle_read_atoms", shuffleAtoms);
    }

    t = System.nanoTime();
    try (AtpReader mapped = AtpReader.open(o.path())) {
      line("open_mmap_s", seconds(System.nanoTime() - t));
      ProcStatus.kb("VmRSS:").ifPresent(kb -> line("vmrss_kb", kb));
      ProcStatus.kb("VmHWM:").ifPresent(kb -> line("vmhwm_kb", kb));
      long len = mapped.size();
      if (len > 0) mapped.get(new long[] {0, len / 2, len - 1});
    }
    line("generate_s", seconds(generateNanos));
    line("threads", Runtime.getRuntime().availableProcessors());
    line("impl", "atomstore");
    if (!o.keep()) Files.deleteIfExists(o.path());
  }

  private long shuffled(AtpReader db, XorShift64 rng, long len, long total, boolean fullPerm) throws IOException {
    long atoms = 0;
    if (fullPerm) {
      long[] perm = new long[(int) len];
      for (int i = 0; i < perm.length; i++) perm[i] = i;
      rng.shuffle(perm);
      for (int s = 0; s < perm.length; s += o.readBatch()) {
        atoms += atomCount(db.get(Arrays.copyOfRange(perm, s, Math.min(perm.length, s + o.readBatch()))));
      }
    } else {
      for (long remaining = total; remaining > 0; ) {
        long[] idx = new long[(int) Math.min(remaining, o.readBatch())];
        for (int k = 0; k < idx.length; k++) idx[k] = rng.nextIndex(len);
        atoms += atomCount(db.get(idx));
        remaining -= idx.length;
      }
    }
    return atoms;
  }

  private static long atomCount(List<Molecule> molecules) {
    long n = 0;
    for (Molecule m : molecules) n += m.atomCount();
    return n;
  }

  private void line(String key, Object value) {
    out.println(key + "=" + value);
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.6f", nanos / 1e9);
  }

  private static String rate(long count, long nanos) {
    return String.format(Locale.ROOT, "%.3f", count / (nanos / 1e9));
  }

  /**
   * Reads molecule {@code i}: the step of both the sequential and the random phase. One method for both, so
   * the JIT has compiled it (with the reader's whole decoding path) by the end of the sequential phase. The
   * random phase's loop runs once, in the interpreter, and would otherwise have the reads compiled anew
   * during its 10 ms, while it is measured.
   */
  private static int atomsOf(AtpReader db, long i) throws IOException {
    return db.get(i).atomCount();
  }

  /** Generates the synthetic batches on its own thread, at most two batches ahead of the writer. */
  private static final class Generator extends Thread {
    private static final StackedBatch END = StackedBatch.of(0, 0, new float[0], new byte[0]);
    private final Options o;
    private final java.util.concurrent.BlockingQueue<Object> queue = new java.util.concurrent.ArrayBlockingQueue<>(2);
    volatile long nanos;

    Generator(Options o) {
      super("bench-generator");
      setDaemon(true);
      this.o = o;
    }

    @Override
    public void run() {
      try {
        long spent = 0;
        for (int written = 0; written < o.numMolecules(); ) {
          int n = Math.min(o.writeBatch(), o.numMolecules() - written);
          long t = System.nanoTime();
          StackedBatch stacked = AtpBatches.stacked(SyntheticMolecules.batch(written, n, o.atomsPerMolecule(), o.withProps(), false));
          spent += System.nanoTime() - t;
          queue.put(stacked);
          written += n;
        }
        nanos = spent;
        queue.put(END);
      } catch (InterruptedException e) {
        // the writer stopped early
      } catch (RuntimeException e) {
        queue.offer(e);
      }
    }

    StackedBatch next() throws IOException {
      Object x;
      try {
        x = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while waiting for generated molecules");
      }
      if (x instanceof RuntimeException e) throw e;
      return x == END ? null : (StackedBatch) x;
    }
  }
}
