package org.atomstore.io.extxyz.internal;

import java.nio.charset.StandardCharsets;
import org.atomstore.io.ase.ChemicalSymbols;

/**
 * The {@code species:S:1} column of one frame, kept as atomic numbers: ASE turns the symbols into numbers with
 * {@code symbols2numbers(s.capitalize())}, so one- and two-letter ASCII symbols are looked up in a table without
 * making a String. The first unknown symbol is remembered, for the KeyError ASE raises after reading the frame.
 * Owned by the thread parsing the frame.
 */
final class SpeciesColumn {

  private static final byte[] ONE = new byte[128];
  private static final byte[] TWO = new byte[128 * 128];

  static {
    java.util.Arrays.fill(ONE, (byte) -1);
    java.util.Arrays.fill(TWO, (byte) -1);
    for (int z = 0; z <= ChemicalSymbols.MAX_NUMBER; z++) {
      String s = ChemicalSymbols.symbol(z);
      char u0 = Character.toUpperCase(s.charAt(0));
      char l0 = Character.toLowerCase(s.charAt(0));
      if (s.length() == 1) {
        ONE[u0] = (byte) z;
        ONE[l0] = (byte) z;
      } else {
        char u1 = Character.toUpperCase(s.charAt(1));
        char l1 = Character.toLowerCase(s.charAt(1));
        for (char c0 : new char[] {u0, l0}) {
          for (char c1 : new char[] {u1, l1}) TWO[c0 << 7 | c1] = (byte) z;
        }
      }
    }
  }

  final long[] z;
  int firstUnknown = -1;
  String unknown;

  SpeciesColumn(int atoms) {
    z = new long[atoms];
  }

  /** Sets atom {@code a} from an ASCII token {@code b[s, s + len)}. */
  void setAscii(int a, byte[] b, int s, int len) {
    int v = len == 1 ? ONE[b[s]] : len == 2 ? TWO[b[s] << 7 | b[s + 1]] : -1;
    if (v >= 0) z[a] = v;
    else set(a, new String(b, s, len, StandardCharsets.ISO_8859_1));
  }

  /** Sets atom {@code a} from any symbol text. */
  void set(int a, String symbol) {
    int v = ChemicalSymbols.number(ChemicalSymbols.capitalize(symbol));
    if (v < 0 && (firstUnknown < 0 || a < firstUnknown)) {
      firstUnknown = a;
      unknown = symbol;
    }
    z[a] = Math.max(v, 0);
  }
}
