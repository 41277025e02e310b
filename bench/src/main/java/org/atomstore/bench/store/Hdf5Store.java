package org.atomstore.bench.store;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.DatasetCreationOptions;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.atomstore.bench.BenchMolecule;
import org.atomstore.bench.BenchStore;
import org.atomstore.bench.DatasetSpec;
import org.atomstore.bench.MoleculeBatch;

/**
 * HDF5 through jhdf (pure Java), in the structure-of-arrays layout of Atompack's {@code hdf5_soa} baseline:
 * one chunked dataset per field, {@code positions [N,A,3] f32}, {@code atomic_numbers [N,A] u8},
 * {@code energy [N] f64}, {@code forces [N,A,3] f32}, custom fields under the same names, chunks of
 * {@value #CHUNK} molecules, no compression.
 *
 * <p>jhdf writes a dataset from one in-memory Java array when the file is closed; it cannot append or write
 * slices. So this store keeps every batch until {@link #commit} and then builds nested arrays for the whole
 * dataset (counted as write time), which limits it to datasets that fit in the heap several times over;
 * larger ones are skipped with that reason. Reads use jhdf's sliced reads: one slice per molecule for
 * random access, one chunk-sized slice per step for sequential reads.
 */
final class Hdf5Store implements BenchStore {
  static final int CHUNK = 1024;
  private static final String FILE = "molecules.h5";
  private static final double HEAP_SHARE = 0.5;

  private final Path dir;
  private final Path file;
  private final DatasetSpec spec;
  private final List<MoleculeBatch> pending = new ArrayList<>();
  private boolean closed;

  Hdf5Store(Path dir, DatasetSpec spec) {
    this.dir = dir;
    this.file = dir.resolve(FILE);
    this.spec = spec;
  }

  @Override public String id() { return "hdf5"; }

  @Override
  public String description() { return "HDF5 (jhdf), structure of arrays, chunks of " + CHUNK + " molecules"; }

  /** Heap that building the nested arrays needs (object headers dominate: 16 bytes per float[3]). */
  static long heapNeeded(DatasetSpec spec) {
    long n = spec.molecules();
    long a = spec.atoms();
    long vec3 = n * a * 32 + n * (16 + 4 * a);
    long perAtom = n * (16 + a);
    long total = vec3 + perAtom;
    if (spec.withProps()) total += vec3 + n * 8;
    if (spec.withCustom()) total += n * (16 + 8 * 20) + 2 * n * (16 + 8 * a) + 2 * n * 8;
    return total;
  }

  /** Why this dataset cannot be written with jhdf in this JVM, or null when it can. */
  static String skipReason(DatasetSpec spec) {
    long need = heapNeeded(spec);
    long max = Runtime.getRuntime().maxMemory();
    if (need > HEAP_SHARE * max) {
      return String.format("jhdf writes whole datasets from nested Java arrays; %d x %d atoms needs ~%.1f GiB"
          + " of heap, more than half of -Xmx (%.1f GiB)", spec.molecules(), spec.atoms(), need / 1073741824.0,
          max / 1073741824.0);
    }
    return null;
  }

  @Override
  public void write(MoleculeBatch batch) throws IOException {
    if (closed) throw new IllegalStateException("store closed: " + id());
    pending.add(batch);
  }

  @Override
  public void commit() throws IOException {
    if (pending.isEmpty()) return;
    Files.createDirectories(dir);
    int n = pending.stream().mapToInt(MoleculeBatch::count).sum();
    int a = spec.atoms();
    float[][][] pos = new float[n][a][3];
    byte[][] z = new byte[n][a];
    double[] energy = spec.withProps() ? new double[n] : null;
    float[][][] forces = spec.withProps() ? new float[n][a][3] : null;
    double[] bandgap = spec.withCustom() ? new double[n] : null;
    double[] formation = spec.withCustom() ? new double[n] : null;
    double[][] eigen = spec.withCustom() ? new double[n][] : null;
    double[][] mulliken = spec.withCustom() ? new double[n][] : null;
    double[][] hirshfeld = spec.withCustom() ? new double[n][] : null;
    int m = 0;
    for (MoleculeBatch b : pending) {
      for (int k = 0; k < b.count(); k++, m++) {
        for (int i = 0; i < a; i++) {
          int atom = k * a + i;
          System.arraycopy(b.positions(), atom * 3, pos[m][i], 0, 3);
          z[m][i] = b.atomicNumbers()[atom];
          if (forces != null) System.arraycopy(b.forces(), atom * 3, forces[m][i], 0, 3);
        }
        if (energy != null) energy[m] = b.energy()[k];
        if (bandgap != null) {
          BenchMolecule.CustomProps c = b.molecule(k).custom();
          bandgap[m] = c.bandgap();
          formation[m] = c.formationEnergy();
          eigen[m] = c.eigenvalues();
          mulliken[m] = c.mullikenCharges();
          hirshfeld[m] = c.hirshfeldVolumes();
        }
      }
    }
    pending.clear();
    int chunk = Math.min(CHUNK, n);
    try (WritableHdfFile out = HdfFile.write(file)) {
      out.putAttribute("atoms_per_molecule", a);
      out.putAttribute("num_molecules", n);
      out.putDataset("positions", pos, chunked(chunk, a, 3));
      out.putDataset("atomic_numbers", z, DatasetCreationOptions.builder().unsigned().chunkDimensions(chunk, a).build());
      if (energy != null) {
        out.putDataset("energy", energy, chunked(chunk));
        out.putDataset("forces", forces, chunked(chunk, a, 3));
      }
      if (bandgap != null) {
        out.putDataset("bandgap", bandgap, chunked(chunk));
        out.putDataset("formation_energy", formation, chunked(chunk));
        out.putDataset("eigenvalues", eigen, chunked(chunk, BenchMolecule.CustomProps.EIGENVALUES));
        out.putDataset("mulliken_charges", mulliken, chunked(chunk, a));
        out.putDataset("hirshfeld_volumes", hirshfeld, chunked(chunk, a));
      }
    } catch (RuntimeException e) {
      throw new IOException("jhdf failed to write " + file + ": " + e.getMessage(), e);
    }
  }

  private static DatasetCreationOptions chunked(int... dims) {
    return DatasetCreationOptions.builder().chunkDimensions(dims).build();
  }

  @Override
  public long sizeOnDisk() throws IOException { return Stores.directorySize(dir); }

  @Override
  public void readSequential(MoleculeSink sink) throws IOException {
    try (Reader r = new Reader()) {
      for (long s = 0; s < r.n; s += CHUNK) {
        int count = (int) Math.min(CHUNK, r.n - s);
        r.read(s, count, (k, mol) -> sink.accept(k, mol));
      }
    }
  }

  @Override
  public void readShuffled(long[] order, int from, int to, MoleculeSink sink) throws IOException {
    try (Reader r = new Reader()) {
      for (int p = from; p < to; p++) r.read(order[p], 1, sink);
    }
  }

  @Override
  public double readEnergy(long[] order, int from, int to) throws IOException {
    double sum = 0;
    try (Reader r = new Reader()) {
      if (r.energy == null) return Double.NaN;
      for (int p = from; p < to; p++) {
        sum += ((double[]) r.energy.getData(new long[] {order[p]}, new int[] {1}))[0];
      }
    } catch (RuntimeException e) {
      throw new IOException("jhdf failed to read " + file + ": " + e.getMessage(), e);
    }
    return sum;
  }

  @Override
  public void close() {
    closed = true;
    pending.clear();
  }

  /** One open file with its datasets; one per reading call, so threads never share jhdf state. */
  private final class Reader implements AutoCloseable {
    final HdfFile hdf;
    final long n;
    final int atoms;
    final Dataset positions, numbers, energy, forces, bandgap, formation, eigen, mulliken, hirshfeld;

    Reader() throws IOException {
      if (closed) throw new IllegalStateException("store closed: " + id());
      try {
        hdf = new HdfFile(file);
        positions = hdf.getDatasetByPath("positions");
        numbers = hdf.getDatasetByPath("atomic_numbers");
        n = positions.getDimensions()[0];
        atoms = positions.getDimensions()[1];
        energy = spec.withProps() ? hdf.getDatasetByPath("energy") : null;
        forces = spec.withProps() ? hdf.getDatasetByPath("forces") : null;
        bandgap = spec.withCustom() ? hdf.getDatasetByPath("bandgap") : null;
        formation = spec.withCustom() ? hdf.getDatasetByPath("formation_energy") : null;
        eigen = spec.withCustom() ? hdf.getDatasetByPath("eigenvalues") : null;
        mulliken = spec.withCustom() ? hdf.getDatasetByPath("mulliken_charges") : null;
        hirshfeld = spec.withCustom() ? hdf.getDatasetByPath("hirshfeld_volumes") : null;
      } catch (RuntimeException e) {
        throw new IOException("jhdf failed to open " + file + ": " + e.getMessage(), e);
      }
    }

    /** Reads molecules {@code start .. start+count-1} with one slice per field. */
    void read(long start, int count, MoleculeSink sink) throws IOException {
      if (start < 0 || start + count > n) throw new IOException("hdf5 has no molecule " + start + " in " + file);
      try {
        float[][][] p = (float[][][]) positions.getData(new long[] {start, 0, 0}, new int[] {count, atoms, 3});
        Object z = numbers.getData(new long[] {start, 0}, new int[] {count, atoms});
        double[] e = energy == null ? null : (double[]) energy.getData(new long[] {start}, new int[] {count});
        float[][][] f = forces == null ? null
            : (float[][][]) forces.getData(new long[] {start, 0, 0}, new int[] {count, atoms, 3});
        double[] bg = slice1(bandgap, start, count);
        double[] fe = slice1(formation, start, count);
        double[][] ev = slice2(eigen, start, count, BenchMolecule.CustomProps.EIGENVALUES);
        double[][] mc = slice2(mulliken, start, count, atoms);
        double[][] hv = slice2(hirshfeld, start, count, atoms);
        for (int k = 0; k < count; k++) {
          BenchMolecule.CustomProps c = bg == null ? null
              : new BenchMolecule.CustomProps(bg[k], fe[k], ev[k], mc[k], hv[k]);
          sink.accept(start + k, new BenchMolecule(flatten(p[k]), bytes(Array.get(z, k)), e == null ? Double.NaN : e[k],
              f == null ? null : flatten(f[k]), c));
        }
      } catch (RuntimeException ex) {
        throw new IOException("jhdf failed to read " + file + ": " + ex.getMessage(), ex);
      }
    }

    private static double[] slice1(Dataset d, long start, int count) {
      return d == null ? null : (double[]) d.getData(new long[] {start}, new int[] {count});
    }

    private static double[][] slice2(Dataset d, long start, int count, int width) {
      return d == null ? null : (double[][]) d.getData(new long[] {start, 0}, new int[] {count, width});
    }

    @Override
    public void close() { hdf.close(); }
  }

  private static float[] flatten(float[][] rows) {
    float[] out = new float[rows.length * 3];
    for (int i = 0; i < rows.length; i++) System.arraycopy(rows[i], 0, out, i * 3, 3);
    return out;
  }

  private static byte[] bytes(Object ints) {
    int len = Array.getLength(ints);
    byte[] out = new byte[len];
    for (int i = 0; i < len; i++) out[i] = (byte) ((Number) Array.get(ints, i)).intValue();
    return out;
  }
}
