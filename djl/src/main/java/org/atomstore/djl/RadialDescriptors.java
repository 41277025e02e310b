package org.atomstore.djl;

import java.util.Arrays;
import org.atomstore.store.FlatBatch;

/**
 * Per-atom radial symmetry functions in the style of Behler and Parrinello: for each atom, for each neighbour
 * species, a row of Gaussians of the distance to every neighbour within the cutoff, each weighted by a cosine
 * cutoff; then a one-hot of the atom's own species. Periodic cells are handled with every image within the
 * cutoff (minimum image is not enough for small cells). Species outside the list share one "other" slot.
 *
 * <p>Immutable; thread-safe (the loader's threads compute descriptors of different batches at once).
 */
public final class RadialDescriptors {
  private final int[] slotOf = new int[256];
  private final int species;
  private final double cutoff;
  private final double[] centres;
  private final double eta;
  /** exp(-eta d^2 (2k+1)) for the recurrence between neighbouring Gaussians (centres d apart). */
  private final double[] step;
  private final double spacing;

  /**
   * @param elements the atomic numbers given their own slot
   * @param cutoff the neighbour cutoff in Å
   * @param gaussians Gaussians per species pair, centred evenly on [0.5, cutoff]
   */
  public RadialDescriptors(int[] elements, double cutoff, int gaussians) {
    if (!(cutoff > 0) || gaussians < 1) throw new IllegalArgumentException("cutoff and gaussians must be positive");
    Arrays.fill(slotOf, elements.length);
    for (int k = 0; k < elements.length; k++) slotOf[elements[k]] = k;
    this.species = elements.length + 1;
    this.cutoff = cutoff;
    this.centres = new double[gaussians];
    double step = gaussians == 1 ? 0 : (cutoff - 0.5) / (gaussians - 1);
    for (int g = 0; g < gaussians; g++) centres[g] = 0.5 + g * step;
    double width = gaussians == 1 ? cutoff / 2 : step;
    this.eta = 1 / (2 * width * width);
    this.spacing = step;
    this.step = new double[gaussians];
    for (int k = 0; k < gaussians; k++) this.step[k] = Math.exp(-eta * step * step * (2 * k + 1));
  }

  /** Values per atom. */
  public int width() { return species * centres.length + species; }

  /** The slot of an element (the last slot for elements outside the list). */
  public int slot(int atomicNumber) { return slotOf[atomicNumber & 0xFF]; }

  /** Number of slots (elements plus "other"). */
  public int species() { return species; }

  /** Descriptors of every atom of the batch, row-major {@code [totalAtoms, width()]}. */
  public float[] compute(FlatBatch b) {
    int w = width();
    int g = centres.length;
    float[] out = new float[Math.multiplyExact(b.totalAtoms(), w)];
    int[] offsets = b.atomOffsets();
    int[] z = b.atomicNumbers();
    double[] pos = toDoubles(b.positions());
    double[] cells = b.cell() == null ? null : toDoubles(b.cell());
    boolean[] pbc = b.pbc();
    double rc2 = cutoff * cutoff;
    for (int m = 0; m < b.size(); m++) {
      int from = offsets[m];
      int to = offsets[m + 1];
      int[] reach = new int[3];
      double[] cell = new double[9];
      if (cells != null && pbc != null) {
        System.arraycopy(cells, 9 * m, cell, 0, 9);
        for (int a = 0; a < 3; a++) reach[a] = pbc[3 * m + a] ? images(cell, a) : 0;
      }
      for (int i = from; i < to; i++) {
        int row = i * w;
        out[row + species * g + slot(z[i])] = 1;
        for (int j = from; j < to; j++) {
          int sj = slot(z[j]) * g;
          for (int n0 = -reach[0]; n0 <= reach[0]; n0++) {
            for (int n1 = -reach[1]; n1 <= reach[1]; n1++) {
              for (int n2 = -reach[2]; n2 <= reach[2]; n2++) {
                if (i == j && n0 == 0 && n1 == 0 && n2 == 0) continue;
                double dx = pos[3 * j] - pos[3 * i] + n0 * cell[0] + n1 * cell[3] + n2 * cell[6];
                double dy = pos[3 * j + 1] - pos[3 * i + 1] + n0 * cell[1] + n1 * cell[4] + n2 * cell[7];
                double dz = pos[3 * j + 2] - pos[3 * i + 2] + n0 * cell[2] + n1 * cell[5] + n2 * cell[8];
                double r2 = dx * dx + dy * dy + dz * dz;
                if (r2 >= rc2) continue;
                double r = Math.sqrt(r2);
                double fc = 0.5 * (Math.cos(Math.PI * r / cutoff) + 1);
                // evenly spaced centres: each Gaussian follows from the one before with two products
                // (exp(-eta (r - c - d)^2) = exp(-eta (r - c)^2) * exp(2 eta d (r - c)) * exp(-eta d^2)), not one exp each
                double d0 = r - centres[0];
                double gk = Math.exp(-eta * d0 * d0) * fc;
                double up = Math.exp(2 * eta * spacing * d0);
                for (int k = 0; k < g; k++) {
                  out[row + sj + k] += (float) gk;
                  gk *= up * step[k];
                }
              }
            }
          }
        }
      }
    }
    return out;
  }

  /** How many images along cell vector {@code a} can hold a neighbour within the cutoff. */
  private int images(double[] cell, int a) {
    int b = (a + 1) % 3;
    int c = (a + 2) % 3;
    double cx = cell[3 * b + 1] * cell[3 * c + 2] - cell[3 * b + 2] * cell[3 * c + 1];
    double cy = cell[3 * b + 2] * cell[3 * c] - cell[3 * b] * cell[3 * c + 2];
    double cz = cell[3 * b] * cell[3 * c + 1] - cell[3 * b + 1] * cell[3 * c];
    double area = Math.sqrt(cx * cx + cy * cy + cz * cz);
    double volume = Math.abs(cell[3 * a] * cx + cell[3 * a + 1] * cy + cell[3 * a + 2] * cz);
    if (!(area > 0) || !(volume > 0)) return 0; // a degenerate cell: no images
    double height = volume / area;
    // bounded: a needle-thin cell would otherwise ask for millions of images
    return (int) Math.min(8, Math.ceil(cutoff / height));
  }

  private static double[] toDoubles(Object a) {
    if (a instanceof double[] d) return d;
    float[] f = (float[]) a;
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) d[i] = f[i];
    return d;
  }
}
