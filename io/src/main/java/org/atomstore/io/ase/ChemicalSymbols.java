package org.atomstore.io.ase;

import java.util.HashMap;
import java.util.Map;

/** ASE's {@code ase.data.chemical_symbols}: index 0 is the dummy {@code X}, then H (1) to Og (118). */
public final class ChemicalSymbols {

  private static final String[] SYMBOLS = (
      "X H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As Se Br Kr Rb Sr Y "
          + "Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd Pm Sm Eu Gd Tb Dy Ho Er Tm Yb Lu Hf Ta W Re "
          + "Os Ir Pt Au Hg Tl Pb Bi Po At Rn Fr Ra Ac Th Pa U Np Pu Am Cm Bk Cf Es Fm Md No Lr Rf Db Sg Bh Hs Mt Ds Rg "
          + "Cn Nh Fl Mc Lv Ts Og").split(" ");

  private static final Map<String, Integer> NUMBERS = new HashMap<>();

  static {
    for (int i = 0; i < SYMBOLS.length; i++) NUMBERS.put(SYMBOLS[i], i);
  }

  private ChemicalSymbols() {}

  public static final int MAX_NUMBER = 118;

  /** The symbol of atomic number z (0..118). */
  public static String symbol(int z) {
    if (z < 0 || z >= SYMBOLS.length) throw new IllegalArgumentException("no chemical symbol for number " + z);
    return SYMBOLS[z];
  }

  /** The atomic number of an exactly spelled symbol, or -1. */
  public static int number(String symbol) {
    Integer z = NUMBERS.get(symbol);
    return z == null ? -1 : z;
  }

  /** Python's {@code str.capitalize()}: first character upper case, the rest lower case. */
  public static String capitalize(String s) {
    if (s.isEmpty()) return s;
    int first = s.codePointAt(0);
    int n = Character.charCount(first);
    return new StringBuilder(s.length()).appendCodePoint(Character.toTitleCase(first))
        .append(s.substring(n).toLowerCase(java.util.Locale.ROOT)).toString();
  }
}
