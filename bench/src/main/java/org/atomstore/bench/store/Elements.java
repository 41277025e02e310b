package org.atomstore.bench.store;

import java.util.HashMap;
import java.util.Map;

/** Chemical symbols by atomic number (0 is "X", as ASE names a dummy atom). Immutable. */
final class Elements {
  private static final String[] SYMBOLS = (
      "X H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As Se Br Kr"
          + " Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd Pm Sm Eu Gd Tb Dy Ho Er Tm"
          + " Yb Lu Hf Ta W Re Os Ir Pt Au Hg Tl Pb Bi Po At Rn Fr Ra Ac Th Pa U Np Pu Am Cm Bk Cf Es Fm Md No"
          + " Lr Rf Db Sg Bh Hs Mt Ds Rg Cn Nh Fl Mc Lv Ts Og").split(" ");
  private static final Map<String, Integer> NUMBERS = new HashMap<>();

  static {
    for (int z = 0; z < SYMBOLS.length; z++) NUMBERS.put(SYMBOLS[z], z);
  }

  private Elements() {}

  static String symbol(int z) {
    if (z < 0 || z >= SYMBOLS.length) throw new IllegalArgumentException("no element with atomic number " + z);
    return SYMBOLS[z];
  }

  /** The atomic number of a symbol, or -1 when it names no element. */
  static int number(String symbol) {
    Integer z = NUMBERS.get(symbol);
    return z == null ? -1 : z;
  }
}
