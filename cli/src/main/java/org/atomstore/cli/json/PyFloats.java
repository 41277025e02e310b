package org.atomstore.cli.json;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Formats floats as the golden dumps do: the shortest decimal that reads back to the same value in its
 * own dtype, laid out as Python's {@code repr} lays it out ({@code 0.1}, {@code 30000000000.0},
 * {@code 1e-05}, {@code 3.4028235e+38}). Non-finite values are not numbers in JSON; callers write them as
 * the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}.
 */
public final class PyFloats {
  private PyFloats() {}

  public static String format(double d) {
    if (d == 0) return Double.doubleToRawLongBits(d) != 0 ? "-0.0" : "0.0";
    BigDecimal bd = new BigDecimal(Double.toString(d));
    // Java keeps two digits for some subnormals (4.9E-324) where one reads back the same (5e-324)
    for (int digits = 1; digits < bd.precision(); digits++) {
      BigDecimal r = bd.round(new MathContext(digits, RoundingMode.HALF_EVEN));
      if (r.doubleValue() == d) { bd = r; break; }
    }
    return layout(bd);
  }

  public static String format(float f) {
    if (f == 0) return Float.floatToRawIntBits(f) != 0 ? "-0.0" : "0.0";
    BigDecimal bd = new BigDecimal(Float.toString(f));
    for (int digits = 1; digits < bd.precision(); digits++) {
      BigDecimal r = bd.round(new MathContext(digits, RoundingMode.HALF_EVEN));
      if (Float.parseFloat(r.toString()) == f) { bd = r; break; }
    }
    return layout(bd);
  }

  private static String layout(BigDecimal bd) {
    String sign = bd.signum() < 0 ? "-" : "";
    bd = bd.abs().stripTrailingZeros();
    String digits = bd.unscaledValue().toString();
    int exp = digits.length() - 1 - bd.scale();
    if (exp >= -4 && exp < 16) {
      String plain = bd.toPlainString();
      return sign + (plain.indexOf('.') < 0 ? plain + ".0" : plain);
    }
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    String e = String.valueOf(Math.abs(exp));
    if (e.length() < 2) e = "0" + e;
    return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + e;
  }
}
