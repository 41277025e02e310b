package org.atomstore.io.internal;

import java.util.TreeMap;
import org.atomstore.io.ase.ChemicalSymbols;

/** Chemical formulas as ASE spells them. */
public final class Formulas {

  private Formulas() {}

  /** Hill order ({@code atoms.get_chemical_formula('hill')}): C and H first, then the rest alphabetically; counts above 1. */
  public static String hill(long[] numbers) {
    var counts = new TreeMap<String, Integer>();
    for (long z : numbers) counts.merge(ChemicalSymbols.symbol((int) z), 1, Integer::sum);
    var sb = new StringBuilder();
    for (String first : new String[] {"C", "H"}) {
      Integer n = counts.remove(first);
      if (n != null) append(sb, first, n);
    }
    counts.forEach((s, n) -> append(sb, s, n));
    return sb.toString();
  }

  private static void append(StringBuilder sb, String s, int n) {
    sb.append(s);
    if (n > 1) sb.append(n);
  }
}
