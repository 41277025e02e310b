package org.atomstore.io.ase.internal;

import ch.randelshofer.fastdoubleparser.JavaDoubleParser;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Python's text rules for numbers and whitespace, as ASE relies on them: {@code float(s)}, {@code int(s)},
 * {@code str.isspace()}, {@code str.split()} and {@code repr(float)}. Stateless; safe for any number of threads.
 */
public final class PyText {

  private PyText() {}

  /** Python's {@code str.isspace()} for one character. */
  public static boolean isSpace(int c) {
    if (c == ' ' || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f)) return true;
    if (c < 0x85) return false;
    return c == 0x85 || Character.isWhitespace(c) || Character.isSpaceChar(c);
  }

  /** Python's {@code str.strip()}. */
  public static String strip(String s) {
    int b = 0, e = s.length();
    while (b < e && isSpace(s.charAt(b))) b++;
    while (e > b && isSpace(s.charAt(e - 1))) e--;
    return s.substring(b, e);
  }

  /** Python's {@code str.split()} (runs of whitespace separate, no empty tokens). */
  public static List<String> split(String s) {
    var out = new ArrayList<String>();
    int i = 0, n = s.length();
    while (i < n) {
      while (i < n && isSpace(s.charAt(i))) i++;
      int start = i;
      while (i < n && !isSpace(s.charAt(i))) i++;
      if (i > start) out.add(s.substring(start, i));
    }
    return out;
  }

  /** {@code re.findall(r'[^\s,]+', s)}. */
  public static List<String> splitCommaSpace(String s) {
    var out = new ArrayList<String>();
    int i = 0, n = s.length();
    while (i < n) {
      while (i < n && (s.charAt(i) == ',' || isSpace(s.charAt(i)))) i++;
      int start = i;
      while (i < n && s.charAt(i) != ',' && !isSpace(s.charAt(i))) i++;
      if (i > start) out.add(s.substring(start, i));
    }
    return out;
  }

  /**
   * Python's {@code float(token)} for a token without surrounding whitespace, read from ASCII bytes.
   *
   * @throws NumberFormatException when Python would raise ValueError
   */
  public static double parseFloat(byte[] b, int off, int len) {
    if (len > 0 && plainDecimal(b, off, len)) {
      return JavaDoubleParser.parseDouble(b, off, len);
    }
    return parseFloatSlow(new String(b, off, len, java.nio.charset.StandardCharsets.ISO_8859_1));
  }

  /** Python's {@code float(s)}; surrounding whitespace is allowed as in Python. */
  public static double parseFloat(String s) {
    String t = strip(s);
    if (!t.isEmpty() && plainDecimal(t)) return JavaDoubleParser.parseDouble(t);
    return parseFloatSlow(t);
  }

  // Only digits, one optional sign, '.', and an exponent: the grammar where Java and Python agree.
  private static boolean plainDecimal(byte[] b, int off, int len) {
    for (int i = off, e = off + len; i < e; i++) {
      int c = b[i];
      if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+')) return false;
    }
    return true;
  }

  private static boolean plainDecimal(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+')) return false;
    }
    return true;
  }

  private static double parseFloatSlow(String t) {
    String u = t.toLowerCase(java.util.Locale.ROOT);
    String body = u.startsWith("+") || u.startsWith("-") ? u.substring(1) : u;
    boolean neg = u.startsWith("-");
    switch (body) {
      case "inf", "infinity" -> { return neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY; }
      case "nan" -> { return Double.NaN; }
      default -> { }
    }
    String cleaned = removeUnderscores(t);
    if (cleaned == null || cleaned.isEmpty() || !plainDecimal(cleaned)) {
      throw new NumberFormatException("could not convert string to float: " + repr(t));
    }
    try {
      return JavaDoubleParser.parseDouble(cleaned);
    } catch (NumberFormatException e) {
      throw new NumberFormatException("could not convert string to float: " + repr(t));
    }
  }

  // Python allows single underscores between digits only.
  private static String removeUnderscores(String t) {
    if (t.indexOf('_') < 0) return t;
    var sb = new StringBuilder(t.length());
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c == '_') {
        boolean ok = i > 0 && i + 1 < t.length() && isDigit(t.charAt(i - 1)) && isDigit(t.charAt(i + 1));
        if (!ok) return null;
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static boolean isDigit(char c) { return c >= '0' && c <= '9'; }

  /**
   * Python's {@code int(s)} in base 10 (surrounding whitespace, a sign, underscores between digits), or null when
   * Python would raise ValueError. Values beyond 64 bits come back as BigInteger.
   */
  public static BigInteger parseBigInt(String s) {
    String t = strip(s);
    int i = 0;
    if (!t.isEmpty() && (t.charAt(0) == '+' || t.charAt(0) == '-')) i = 1;
    if (i >= t.length()) return null;
    var sb = new StringBuilder(t.length());
    if (t.charAt(0) == '-') sb.append('-');
    for (int k = i; k < t.length(); k++) {
      char c = t.charAt(k);
      if (isDigit(c)) {
        sb.append(c);
      } else if (c == '_' && k > i && k + 1 < t.length() && isDigit(t.charAt(k - 1)) && isDigit(t.charAt(k + 1))) {
        continue;
      } else {
        return null;
      }
    }
    return new BigInteger(sb.toString());
  }

  /** Returned by {@link #simpleLong} when the text is not plain digits. */
  public static final long NOT_SIMPLE = Long.MIN_VALUE;

  /**
   * The value of an optional sign and 1 to 18 ASCII digits (nothing else, no whitespace), or {@link #NOT_SIMPLE};
   * a quick path before {@link #parseBigInt}, which gives the same value for such text.
   */
  public static long simpleLong(String s) {
    int n = s.length();
    int i = n > 0 && (s.charAt(0) == '-' || s.charAt(0) == '+') ? 1 : 0;
    if (i >= n || n - i > 18) return NOT_SIMPLE;
    long v = 0;
    for (int k = i; k < n; k++) {
      int d = s.charAt(k) - '0';
      if (d < 0 || d > 9) return NOT_SIMPLE;
      v = v * 10 + d;
    }
    return s.charAt(0) == '-' ? -v : v;
  }

  /** False when {@link #parseBigInt} is sure to refuse {@code s} (a character that no int literal has). */
  public static boolean mayBeInt(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(isDigit(c) || c == '+' || c == '-' || c == '_' || isSpace(c))) return false;
    }
    return true;
  }

  /** False when {@link #parseFloat(String)} is sure to refuse {@code s} (its first non-space character starts no float). */
  public static boolean mayBeFloat(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (isSpace(c)) continue;
      return isDigit(c) || c == '+' || c == '-' || c == '.' || c == 'i' || c == 'I' || c == 'n' || c == 'N';
    }
    return false;
  }

  /** Fast {@code int(token)} on ASCII bytes; falls back to the general rules. Throws on ValueError. */
  public static long parseLong(byte[] b, int off, int len) {
    int i = off, e = off + len;
    boolean neg = false;
    if (i < e && (b[i] == '-' || b[i] == '+')) { neg = b[i] == '-'; i++; }
    if (i < e && e - i <= 18) {
      long v = 0;
      int k = i;
      for (; k < e; k++) {
        int c = b[k] - '0';
        if (c < 0 || c > 9) break;
        v = v * 10 + c;
      }
      if (k == e) return neg ? -v : v;
    }
    String t = new String(b, off, len, java.nio.charset.StandardCharsets.ISO_8859_1);
    BigInteger v = parseBigInt(t);
    if (v == null) throw new NumberFormatException("invalid literal for int() with base 10: " + repr(t));
    if (v.bitLength() > 63) throw new ArithmeticException("Python int too large to convert to C long");
    return v.longValue();
  }

  /** Python's {@code repr(float)}: shortest round-trip digits, scientific below 1e-4 and from 1e16. */
  public static String repr(double d) {
    if (Double.isNaN(d)) return "nan";
    if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
    if (d == 0) return (1 / d < 0) ? "-0.0" : "0.0";
    var bd = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
    String digits = bd.unscaledValue().toString();
    int exp = digits.length() - 1 - bd.scale();
    var sb = new StringBuilder(24);
    if (d < 0) sb.append('-');
    if (exp >= -4 && exp < 16) {
      if (exp < 0) {
        sb.append("0.");
        sb.append("0".repeat(-exp - 1)).append(digits);
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

  /** Python's {@code repr(str)} (enough for error messages). */
  public static String repr(String s) {
    boolean dq = s.indexOf('\'') >= 0 && s.indexOf('"') < 0;
    char q = dq ? '"' : '\'';
    var sb = new StringBuilder(s.length() + 2).append(q);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\\' -> sb.append("\\\\");
        default -> {
          if (c == q) sb.append('\\').append(c);
          else if (c < 0x20 || c == 0x7f) sb.append(String.format("\\x%02x", (int) c));
          else sb.append(c);
        }
      }
    }
    return sb.append(q).toString();
  }
}
