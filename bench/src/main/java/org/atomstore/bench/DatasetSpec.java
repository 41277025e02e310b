package org.atomstore.bench;

/**
 * What the comparison writes: {@code molecules} synthetic molecules of {@code atoms} atoms each, with
 * energy and forces when {@code withProps}, and with the custom properties when {@code withCustom}.
 */
public record DatasetSpec(int molecules, int atoms, boolean withProps, boolean withCustom) {
  public DatasetSpec {
    if (molecules < 1) throw new IllegalArgumentException("need at least one molecule: " + molecules);
    if (atoms < 1) throw new IllegalArgumentException("need at least one atom per molecule: " + atoms);
    if (withCustom && !withProps) throw new IllegalArgumentException("custom properties need --with-props");
  }

  /** Bytes of the molecules' arrays, without any container overhead: the floor for every store's size. */
  public long payloadBytes() {
    long perAtom = 12 + 1 + (withProps ? 12 : 0) + (withCustom ? 16 : 0);
    long perMolecule = (withProps ? 8 : 0) + (withCustom ? 16 + 8L * BenchMolecule.CustomProps.EIGENVALUES : 0);
    return (long) molecules * (perAtom * atoms + perMolecule);
  }
}
