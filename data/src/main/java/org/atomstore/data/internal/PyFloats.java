package org.atomstore.data.internal;

import java.math.BigDecimal;

/**
 * Python's {@code repr(float)} (the same rule as io's internal {@code PyText.repr}, which this module cannot
 * reach): the shortest digits that round-trip, scientific below 1e-4 and from 1e16. Stateless.
 */
public final class PyFloats {
  private PyFloats() {}

  public static String repr(double d) {
    if (Double.isNaN(d)) return "nan";
    if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
    if (d == 0) return (1 / d < 0) ? "-0.0" : "0.0";
    // Double.toString gives the shortest round-trip digits since JDK 19, as Python's repr does.
    var bd = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
    String digits = bd.unscaledValue().toString();
    int exp = digits.length() - 1 - bd.scale();
    var sb = new StringBuilder(24);
    if (d < 0) sb.append('-');
    if (exp >= -4 && exp < 16) {
      if (exp < 0) {
        sb.append("0.").append("0".repeat(-exp - 1)).append(digits);
      } else if (digits.length() <= exp + 1) {
        sb.append(digits).append("0".repeat(exp + 1 - digits.length())).append(".0");
      } else {
        sb.append(digits, 0, exp + 1).append('.').append(digits, exp + 1, digits.length());
      }
    } else {
      sb.append(digits.charAt(0));
      if (digits.length() > 1) sb.append('.').append(digits, 1, digits.length());
      sb.append('e').append(exp < 0 ? '-' : '+');
      int a = Math.abs(exp);
      if (a < 10) sb.append('0');
      sb.append(a);
    }
    return sb.toString();
  }
}
