package org.atomstore.bench;

import java.util.Arrays;

/**
 * A run of {@code count} consecutive synthetic molecules with {@code atoms} atoms each, as stacked flat
 * arrays (molecule-major): positions {@code [count*atoms*3]}, atomic numbers {@code [count*atoms]}, and when
 * the dataset has properties energy {@code [count]} and forces {@code [count*atoms*3]}; with custom
 * properties bandgap and formation energy {@code [count]}, eigenvalues {@code [count*20]}, Mulliken charges
 * and Hirshfeld volumes {@code [count*atoms]}. Absent fields are null. Immutable by convention: stores read it,
 * never write it.
 */
public record MoleculeBatch(long firstId, int count, int atoms, float[] positions, byte[] atomicNumbers,
    double[] energy, float[] forces, double[] bandgap, double[] formationEnergy, double[] eigenvalues,
    double[] mullikenCharges, double[] hirshfeldVolumes) {

  public boolean hasProps() { return energy != null; }

  public boolean hasCustom() { return bandgap != null; }

  /** Molecule {@code k} of this batch (id {@code firstId + k}) as its own arrays. */
  public BenchMolecule molecule(int k) {
    int a = atoms;
    float[] pos = Arrays.copyOfRange(positions, k * a * 3, (k + 1) * a * 3);
    byte[] z = Arrays.copyOfRange(atomicNumbers, k * a, (k + 1) * a);
    double e = energy == null ? Double.NaN : energy[k];
    float[] f = forces == null ? null : Arrays.copyOfRange(forces, k * a * 3, (k + 1) * a * 3);
    BenchMolecule.CustomProps c = null;
    if (bandgap != null) {
      int ev = BenchMolecule.CustomProps.EIGENVALUES;
      c = new BenchMolecule.CustomProps(bandgap[k], formationEnergy[k],
          Arrays.copyOfRange(eigenvalues, k * ev, (k + 1) * ev),
          Arrays.copyOfRange(mullikenCharges, k * a, (k + 1) * a),
          Arrays.copyOfRange(hirshfeldVolumes, k * a, (k + 1) * a));
    }
    return new BenchMolecule(pos, z, e, f, c);
  }
}
