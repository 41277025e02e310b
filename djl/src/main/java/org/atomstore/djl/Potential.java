package org.atomstore.djl;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.util.Arrays;
import java.util.TreeSet;
import org.atomstore.store.FieldSet;
import org.atomstore.store.FlatBatch;
import org.atomstore.table.Table;

/**
 * What the small potential knows before it trains, fitted on the training rows: per-element reference energies
 * (least squares of the energy on the composition), the mean and spread of what is left per atom (the MLP's
 * target, normalized), and the mean and spread of every descriptor. Also the {@link BatchPreparer} that turns a
 * loader batch into normalized descriptors, a pooling matrix, targets and weights on the loader's threads.
 *
 * <p>Immutable after {@link #fit}; thread-safe.
 */
public final class Potential implements BatchPreparer<Potential.Prepared> {
  private static final FieldSet NUMBERS_AND_ENERGY = FieldSet.of("atomic_numbers", "energy");
  private static final int SCAN_BATCH = 1024;
  private static final int FEATURE_SAMPLE = 1024;

  private final RadialDescriptors descriptors;
  private final double[] reference;
  private final double residualMean;
  private final double residualScale;
  private final float[] featureMean;
  private final float[] featureScale;

  /** A prepared batch: row-major descriptors {@code [atoms, width]}, pooling {@code [size, atoms]}, targets, weights. */
  public record Prepared(int size, int atoms, float[] features, float[] pooling, float[] target, float[] weight) {}

  private Potential(RadialDescriptors d, double[] reference, double mean, double scale, float[] fMean, float[] fScale) {
    this.descriptors = d;
    this.reference = reference;
    this.residualMean = mean;
    this.residualScale = scale;
    this.featureMean = fMean;
    this.featureScale = fScale;
  }

  /** Fits the reference energies and the normalizations on {@code rows} of {@code table}. */
  public static Potential fit(Table table, long[] rows, double cutoff, int gaussians) throws IOException {
    TreeSet<Integer> seen = new TreeSet<>();
    for (int from = 0; from < rows.length; from += SCAN_BATCH) {
      FlatBatch b = table.readBatch(Arrays.copyOfRange(rows, from, Math.min(rows.length, from + SCAN_BATCH)),
          NUMBERS_AND_ENERGY, true);
      for (int z : b.atomicNumbers()) seen.add(z);
    }
    int[] elements = seen.stream().mapToInt(Integer::intValue).toArray();
    RadialDescriptors d = new RadialDescriptors(elements, cutoff, gaussians);
    int s = d.species();
    // normal equations of energy ~ counts . reference, with a small ridge for elements that always appear together
    double[][] ata = new double[s][s];
    double[] atb = new double[s];
    for (int from = 0; from < rows.length; from += SCAN_BATCH) {
      FlatBatch b = table.readBatch(Arrays.copyOfRange(rows, from, Math.min(rows.length, from + SCAN_BATCH)),
          NUMBERS_AND_ENERGY, true);
      for (int m = 0; m < b.size(); m++) {
        double e = b.energy()[m];
        if (Double.isNaN(e)) continue;
        double[] counts = counts(d, b, m);
        for (int p = 0; p < s; p++) {
          atb[p] += counts[p] * e;
          for (int q = 0; q < s; q++) ata[p][q] += counts[p] * counts[q];
        }
      }
    }
    for (int p = 0; p < s; p++) ata[p][p] += 1e-6 * (1 + ata[p][p]);
    double[] reference = solve(ata, atb);
    // the residual per atom: its mean and spread
    double sum = 0;
    double sum2 = 0;
    long n = 0;
    for (int from = 0; from < rows.length; from += SCAN_BATCH) {
      FlatBatch b = table.readBatch(Arrays.copyOfRange(rows, from, Math.min(rows.length, from + SCAN_BATCH)),
          NUMBERS_AND_ENERGY, true);
      for (int m = 0; m < b.size(); m++) {
        double r = residualPerAtom(d, reference, b, m);
        if (Double.isNaN(r)) continue;
        sum += r;
        sum2 += r * r;
        n++;
      }
    }
    if (n == 0) throw new IllegalArgumentException(table.source() + ": no training structure has an energy");
    double mean = sum / n;
    double scale = Math.sqrt(Math.max(sum2 / n - mean * mean, 0));
    if (!(scale > 1e-9)) scale = 1;
    // descriptor statistics on a sample of the training rows
    long[] sample = Arrays.copyOf(rows, Math.min(rows.length, FEATURE_SAMPLE));
    FlatBatch b = table.readBatch(sample, FieldSet.of("positions", "atomic_numbers", "cell", "pbc"), true);
    float[] f = d.compute(b);
    int w = d.width();
    float[] fMean = new float[w];
    float[] fScale = new float[w];
    int atoms = b.totalAtoms();
    for (int k = 0; k < w; k++) {
      double s1 = 0;
      double s2 = 0;
      for (int a = 0; a < atoms; a++) {
        s1 += f[a * w + k];
        s2 += (double) f[a * w + k] * f[a * w + k];
      }
      double mu = atoms == 0 ? 0 : s1 / atoms;
      double sd = atoms == 0 ? 1 : Math.sqrt(Math.max(s2 / atoms - mu * mu, 0));
      fMean[k] = (float) mu;
      fScale[k] = (float) (sd > 1e-3 ? sd : 1);
    }
    return new Potential(d, reference, mean, scale, fMean, fScale);
  }

  private static double[] counts(RadialDescriptors d, FlatBatch b, int m) {
    double[] c = new double[d.species()];
    for (int a = b.atomOffsets()[m]; a < b.atomOffsets()[m + 1]; a++) c[d.slot(b.atomicNumbers()[a])]++;
    return c;
  }

  private static double residualPerAtom(RadialDescriptors d, double[] reference, FlatBatch b, int m) {
    int atoms = b.atomOffsets()[m + 1] - b.atomOffsets()[m];
    double e = b.energy()[m];
    if (Double.isNaN(e) || atoms == 0) return Double.NaN;
    for (int a = b.atomOffsets()[m]; a < b.atomOffsets()[m + 1]; a++) e -= reference[d.slot(b.atomicNumbers()[a])];
    return e / atoms;
  }

  /** Gaussian elimination with partial pivoting; the matrix is small (one row per element). */
  private static double[] solve(double[][] a, double[] b) {
    int n = b.length;
    for (int c = 0; c < n; c++) {
      int p = c;
      for (int r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
      double[] t = a[c]; a[c] = a[p]; a[p] = t;
      double tb = b[c]; b[c] = b[p]; b[p] = tb;
      for (int r = c + 1; r < n; r++) {
        double f = a[r][c] / a[c][c];
        for (int k = c; k < n; k++) a[r][k] -= f * a[c][k];
        b[r] -= f * b[c];
      }
    }
    double[] x = new double[n];
    for (int r = n - 1; r >= 0; r--) {
      double s = b[r];
      for (int k = r + 1; k < n; k++) s -= a[r][k] * x[k];
      x[r] = s / a[r][r];
    }
    return x;
  }

  /** Descriptors per atom. */
  public int width() { return descriptors.width(); }

  /** eV per atom of one unit of the normalized target: multiply an RMSE in model units by this. */
  public double energyScale() { return residualScale; }

  /** The fitted reference energy of an element, in the energy's units. */
  public double referenceEnergy(int atomicNumber) { return reference[descriptors.slot(atomicNumber)]; }

  /** The fields a batch must hold. */
  public static FieldSet fields() { return FieldSet.of("positions", "atomic_numbers", "energy", "cell", "pbc"); }

  @Override
  public Prepared prepare(FlatBatch b) {
    float[] f = descriptors.compute(b);
    int w = descriptors.width();
    for (int i = 0; i < f.length; i++) f[i] = (f[i] - featureMean[i % w]) / featureScale[i % w];
    int size = b.size();
    int atoms = b.totalAtoms();
    float[] pooling = new float[Math.multiplyExact(size, atoms)];
    float[] target = new float[size];
    float[] weight = new float[size];
    int[] off = b.atomOffsets();
    for (int m = 0; m < size; m++) {
      int n = off[m + 1] - off[m];
      for (int a = off[m]; a < off[m + 1]; a++) pooling[m * atoms + a] = 1f / n;
      double r = residualPerAtom(descriptors, reference, b, m);
      if (!Double.isNaN(r)) {
        target[m] = (float) ((r - residualMean) / residualScale);
        weight[m] = 1;
      }
    }
    return new Prepared(size, atoms, f, pooling, target, weight);
  }

  @Override
  public NDList data(NDManager m, Prepared p) {
    return new NDList(m.create(p.features(), new Shape(p.atoms(), width())), m.create(p.pooling(), new Shape(p.size(), p.atoms())));
  }

  @Override
  public NDList labels(NDManager m, Prepared p) {
    return new NDList(m.create(p.target(), new Shape(p.size())), m.create(p.weight(), new Shape(p.size())));
  }

  @Override
  public int size(Prepared p) { return p.size(); }
}
