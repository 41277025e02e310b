package org.atomstore.bench;

import java.util.stream.IntStream;

/**
 * The reference benchmark's synthetic molecules, computed with the same float32 formulas so that files
 * written from them have the same fields, dtypes and sizes: atom {@code i} of molecule {@code id} sits at
 * {@code t = id*0.001 + i*0.01}, {@code (sin(1.3t), cos(1.7t), sin(2.1t)) * 10} with atomic number
 * {@code [1,6,7,8,16][(id+i) % 5]}; with properties, energy {@code -1000 - id*1e-3} (float64) and forces
 * {@code (sin(0.7u), cos(0.9u), sin(1.1u))} with {@code u = id*0.002 + i*0.02} (float32).
 *
 * <p>Custom properties (our addition; the reference's Python benchmark draws them at random) are smooth
 * float64 functions of the id, so every store can be checked against the generator.
 *
 * <p>Stateless and thread-safe; batches are filled in parallel because a molecule depends only on its id.
 */
public final class SyntheticMolecules {
  private static final byte[] ELEMENTS = {1, 6, 7, 8, 16};
  private static final int PARALLEL_THRESHOLD = 256;

  private SyntheticMolecules() {}

  /** Molecules {@code firstId .. firstId+count-1}. */
  public static MoleculeBatch batch(long firstId, int count, int atoms, boolean withProps, boolean withCustom) {
    if (count < 0 || atoms < 0) throw new IllegalArgumentException("count and atoms must be >= 0");
    if ((long) count * atoms * 3 > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("batch too large: " + count + " x " + atoms + " atoms");
    }
    var pos = new float[count * atoms * 3];
    var z = new byte[count * atoms];
    double[] energy = withProps ? new double[count] : null;
    float[] forces = withProps ? new float[count * atoms * 3] : null;
    int ev = BenchMolecule.CustomProps.EIGENVALUES;
    double[] bandgap = withCustom ? new double[count] : null;
    double[] formation = withCustom ? new double[count] : null;
    double[] eigen = withCustom ? new double[count * ev] : null;
    double[] mulliken = withCustom ? new double[count * atoms] : null;
    double[] hirshfeld = withCustom ? new double[count * atoms] : null;
    IntStream range = IntStream.range(0, count);
    if (count >= PARALLEL_THRESHOLD) range = range.parallel();
    range.forEach(k -> {
      long id = firstId + k;
      fillAtoms(id, atoms, pos, z, k * atoms);
      if (withProps) {
        energy[k] = energy(id);
        fillForces(id, atoms, forces, k * atoms * 3);
      }
      if (withCustom) {
        bandgap[k] = bandgap(id);
        formation[k] = formationEnergy(id);
        for (int j = 0; j < ev; j++) eigen[k * ev + j] = eigenvalue(id, j);
        for (int i = 0; i < atoms; i++) {
          mulliken[k * atoms + i] = mullikenCharge(id, i);
          hirshfeld[k * atoms + i] = hirshfeldVolume(id, i);
        }
      }
    });
    return new MoleculeBatch(firstId, count, atoms, pos, z, energy, forces, bandgap, formation, eigen, mulliken,
        hirshfeld);
  }

  /** One molecule, the same values {@link #batch} gives for it. */
  public static BenchMolecule molecule(long id, int atoms, boolean withProps, boolean withCustom) {
    return batch(id, 1, atoms, withProps, withCustom).molecule(0);
  }

  private static void fillAtoms(long id, int atoms, float[] pos, byte[] z, int atomBase) {
    float idf = (float) id;
    for (int i = 0; i < atoms; i++) {
      float t = idf * 0.001f + (float) i * 0.01f;
      int p = (atomBase + i) * 3;
      pos[p] = sin(t * 1.3f) * 10.0f;
      pos[p + 1] = cos(t * 1.7f) * 10.0f;
      pos[p + 2] = sin(t * 2.1f) * 10.0f;
      z[atomBase + i] = ELEMENTS[(int) Long.remainderUnsigned(id + i, ELEMENTS.length)];
    }
  }

  private static void fillForces(long id, int atoms, float[] forces, int base) {
    float idf = (float) id;
    for (int i = 0; i < atoms; i++) {
      float t = idf * 0.002f + (float) i * 0.02f;
      forces[base + i * 3] = sin(t * 0.7f);
      forces[base + i * 3 + 1] = cos(t * 0.9f);
      forces[base + i * 3 + 2] = sin(t * 1.1f);
    }
  }

  static double energy(long id) { return -1000.0 - (double) id * 1e-3; }

  static double bandgap(long id) { return 2.5 + 2.5 * Math.sin(id * 0.37); }

  static double formationEnergy(long id) { return -0.5 + Math.cos(id * 0.11); }

  static double eigenvalue(long id, int j) { return 10.0 * Math.sin(id * 0.013 + j * 0.31) - j; }

  static double mullikenCharge(long id, int atom) { return 0.1 * Math.sin(id * 0.003 + atom * 0.07); }

  static double hirshfeldVolume(long id, int atom) { return 17.5 + 12.5 * Math.cos(id * 0.005 + atom * 0.09); }

  // float32 sin/cos: the double result rounded to float, as libm's sinf/cosf give it (equal but for rare last bits).
  private static float sin(float x) { return (float) Math.sin(x); }

  private static float cos(float x) { return (float) Math.cos(x); }
}
