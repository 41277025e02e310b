package org.atomstore.data;

import java.io.IOException;
import java.util.Map;
import org.atomstore.io.mapping.AseMapping;
import org.atomstore.model.Molecule;

/**
 * The object tier <-> {@link Molecule} tier adapter (DESIGN seam 5): a row becomes ASE atoms
 * ({@link AtomsRows}) and then a molecule by Atompack's own ASE mapping ({@link AseMapping#toMolecule}); a
 * molecule becomes a row the other way ({@link AseMapping#fromMolecule}). So a structure means the same in every
 * tier. Immutable; shareable by any number of threads.
 */
public record MoleculeRows(AtomsRows atoms, AseMapping.Precision precision) {

  /** Float64 positions (lossless) through the standard row adapter. */
  public static MoleculeRows standard() {
    return new MoleculeRows(AtomsRows.standard(), AseMapping.Precision.FLOAT64);
  }

  /** The molecule a row holds; null for a placeholder (null) row. */
  public Molecule toMolecule(Map<String, Object> row) throws IOException {
    if (row == null) return null;
    return AseMapping.toMolecule(atoms.toAtoms(row), precision).molecule();
  }

  /** The row of a molecule; null for null. */
  public Map<String, Object> toRow(Molecule m) {
    if (m == null) return null;
    return atoms.toRow(AseMapping.fromMolecule(m));
  }
}
