package org.atomstore.io.ase;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One structure as ASE holds it after {@code ase.io.read} or {@code row.toatoms()}: atomic numbers, positions
 * (Angstrom, flat n*3), cell (row-major 3x3, rows are the lattice vectors), pbc, {@code info} and the remaining
 * {@code arrays} in ASE's order, the results of the attached SinglePointCalculator (null when there is none) and
 * the constraints as {@code constraint.todict()} values. A plain value owned by one thread.
 *
 * @param line the 1-based line of the frame's atom-count line in its file, or the row id for databases
 */
public record AseAtoms(
    long[] numbers,
    double[] positions,
    double[] cell,
    boolean[] pbc,
    LinkedHashMap<String, PyValue> info,
    LinkedHashMap<String, PyValue.NdArray> arrays,
    LinkedHashMap<String, PyValue> calcResults,
    List<PyValue> constraints,
    long line) {

  public int natoms() { return numbers.length; }

  /** The calculator results, or an empty map when no calculator is attached. */
  public Map<String, PyValue> results() { return calcResults == null ? Map.of() : calcResults; }

  public boolean hasCalculator() { return calcResults != null; }

  public String[] symbols() {
    String[] out = new String[numbers.length];
    for (int i = 0; i < out.length; i++) out[i] = ChemicalSymbols.symbol((int) numbers[i]);
    return out;
  }
}
