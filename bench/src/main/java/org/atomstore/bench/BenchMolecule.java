package org.atomstore.bench;

import java.util.Arrays;
import java.util.Objects;

/**
 * One molecule fully decoded into arrays: what every store hands back on a read, so reads cost the same
 * kind of work everywhere. Energy is NaN and forces/custom are null when the dataset has no properties.
 */
public record BenchMolecule(float[] positions, byte[] atomicNumbers, double energy, float[] forces, CustomProps custom) {

  public BenchMolecule {
    Objects.requireNonNull(positions, "positions");
    Objects.requireNonNull(atomicNumbers, "atomicNumbers");
    if (positions.length != atomicNumbers.length * 3) {
      throw new IllegalArgumentException(
          "positions has " + positions.length + " values for " + atomicNumbers.length + " atoms");
    }
  }

  public int atomCount() { return atomicNumbers.length; }

  @Override
  public boolean equals(Object o) {
    return o instanceof BenchMolecule m
        && Arrays.equals(positions, m.positions)
        && Arrays.equals(atomicNumbers, m.atomicNumbers)
        && Double.compare(energy, m.energy) == 0
        && Arrays.equals(forces, m.forces)
        && Objects.equals(custom, m.custom);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(positions), Arrays.hashCode(atomicNumbers), energy, Arrays.hashCode(forces), custom);
  }

  @Override
  public String toString() {
    return "BenchMolecule[atoms=" + atomicNumbers.length + ", energy=" + energy + ", forces=" + (forces != null)
        + ", custom=" + (custom != null) + "]";
  }

  /**
   * The custom properties of the reference's Python benchmark ("builtins plus custom properties"): two
   * per-molecule scalars, a 20-value spectrum, and two per-atom float64 arrays.
   */
  public record CustomProps(double bandgap, double formationEnergy, double[] eigenvalues, double[] mullikenCharges,
      double[] hirshfeldVolumes) {

    public static final int EIGENVALUES = 20;
    public static final String BANDGAP = "bandgap";
    public static final String FORMATION_ENERGY = "formation_energy";
    public static final String EIGENVALUES_KEY = "eigenvalues";
    public static final String MULLIKEN_CHARGES = "mulliken_charges";
    public static final String HIRSHFELD_VOLUMES = "hirshfeld_volumes";

    @Override
    public boolean equals(Object o) {
      return o instanceof CustomProps c
          && Double.compare(bandgap, c.bandgap) == 0
          && Double.compare(formationEnergy, c.formationEnergy) == 0
          && Arrays.equals(eigenvalues, c.eigenvalues)
          && Arrays.equals(mullikenCharges, c.mullikenCharges)
          && Arrays.equals(hirshfeldVolumes, c.hirshfeldVolumes);
    }

    @Override
    public int hashCode() {
      return Objects.hash(bandgap, formationEnergy, Arrays.hashCode(eigenvalues), Arrays.hashCode(mullikenCharges),
          Arrays.hashCode(hirshfeldVolumes));
    }
  }
}
