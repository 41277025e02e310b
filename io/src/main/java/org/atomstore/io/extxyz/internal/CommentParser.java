package org.atomstore.io.extxyz.internal;

import ch.randelshofer.fastdoubleparser.JavaDoubleParser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.atomstore.io.ase.internal.PyJson;
import org.atomstore.io.ase.internal.PyText;
import org.atomstore.io.ase.PyValue;

/**
 * The comment line's key=value pairs, parsed and typed as ASE 3.22's {@code key_val_str_to_dict} does: quotes
 * {@code "..."}, {@code '...'}, {@code {...}}, {@code [...]} and backslash escapes; a key without value is
 * {@code True}; values tried as int, then float (scalars, or 1-D arrays when several, comma or space separated);
 * {@code Lattice}, {@code stress}, {@code virial} reshaped 3x3 in column order; {@code T}/{@code F} and lists of
 * them as bools; {@code _JSON} values decoded. Stateless.
 */
public final class CommentParser {

  public static final List<String> SPECIAL_3_3_KEYS = List.of("Lattice", "virial", "stress");

  private CommentParser() {}

  /** A comment line whose parse ASE refuses; the message is ASE's. */
  static final class CommentException extends Exception {
    final String aseError;
    CommentException(String aseError, String message) {
      super(message);
      this.aseError = aseError;
    }
  }

  static LinkedHashMap<String, PyValue> parse(String line) throws CommentException {
    var pairs = new Pairs(PyText.strip(line));
    var out = new LinkedHashMap<String, PyValue>();
    for (int p = 0; p < pairs.count; p++) {
      String key = pairs.key(p);
      String value = pairs.value(p);
      out.put(key, isUid(key) ? new PyValue.PyStr(value) : type(key, value));
    }
    return out;
  }

  private static boolean isUid(String key) {
    return key.length() == 3 && key.equalsIgnoreCase("uid");
  }

  /**
   * ASE's character-by-character split into pairs, including its quirks. ASE keeps each pair as a list of
   * segments split at '=' (the value is the segments after the key joined with '='); here all text goes into one
   * buffer, with the '=' between value segments written in place, so a pair is two ranges of that buffer.
   */
  private static final class Pairs {
    private char[] text;
    private int len;
    private int[] keyStart = new int[8];
    private int[] valueStart = new int[8]; // -1: no '=' yet (a bare key means True)
    private int count;
    private int segmentStart; // start of the last segment of the last pair

    Pairs(String s) throws CommentException {
      text = new char[s.length()];
      startPair();
      char closing = 0;
      boolean escaped = false;
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (escaped) {
          text[len++] = c;
          escaped = false;
        } else if (c == '\\') {
          escaped = true;
        } else if (closing != 0) {
          if (c == closing) {
            closing = 0;
          } else {
            // the quoted run up to the closing character or a backslash, copied at once
            int j = i + 1;
            while (j < s.length() && s.charAt(j) != closing && s.charAt(j) != '\\') j++;
            s.getChars(i, j, text, len);
            len += j - i;
            i = j - 1;
          }
        } else if (c == '"' || c == '\'' || c == '{' || c == '[') {
          closing = c == '{' ? '}' : c == '[' ? ']' : c;
        } else if (PyText.isSpace(c)) {
          if (len == segmentStart) continue; // first pair still empty, or last segment empty
          startPair();
        } else if (c == '=') {
          equalsSign();
        } else {
          text[len++] = c;
        }
      }
    }

    private void startPair() {
      if (count == keyStart.length) {
        keyStart = java.util.Arrays.copyOf(keyStart, count * 2);
        valueStart = java.util.Arrays.copyOf(valueStart, count * 2);
      }
      keyStart[count] = len;
      valueStart[count] = -1;
      count++;
      segmentStart = len;
    }

    private void equalsSign() throws CommentException {
      int last = count - 1;
      if (valueStart[last] < 0 && keyStart[last] == len) {
        // an empty pair: the '=' belongs to the pair before it
        count--;
        if (count == 0) throw new CommentException("IndexError", "list index out of range");
        last--;
      }
      if (valueStart[last] < 0) {
        valueStart[last] = len;
      } else {
        if (len == text.length) text = java.util.Arrays.copyOf(text, len * 2 + 1);
        text[len++] = '=';
      }
      segmentStart = len;
    }

    private int end(int p) { return p + 1 < count ? keyStart[p + 1] : len; }

    String key(int p) {
      int e = valueStart[p] < 0 ? end(p) : valueStart[p];
      return new String(text, keyStart[p], e - keyStart[p]);
    }

    String value(int p) {
      if (valueStart[p] < 0) return "T";
      return new String(text, valueStart[p], end(p) - valueStart[p]);
    }
  }

  static PyValue type(String key, String value) throws CommentException {
    PyValue typed = simpleNumeric(value);
    List<String> parts = null;
    if (typed == null) {
      parts = isOneToken(value) ? List.of(value) : PyText.splitCommaSpace(value);
      typed = numeric(parts);
    }
    if (SPECIAL_3_3_KEYS.contains(key)) {
      if (!(typed instanceof PyValue.NdArray a) || a.shape().length != 1 || a.shape()[0] != 9) {
        throw new CommentException("ValueError", "Got info item " + key + ", expecting special 3x3 matrix, but value "
            + "is not in the form of a 9-long numerical vector");
      }
      return transpose9(a);
    }
    if (typed != null) return typed;
    if (parts == null) parts = PyText.splitCommaSpace(value);
    List<PyValue> bools = new ArrayList<>(parts.size());
    for (String p : parts) {
      if (p.equals("T")) bools.add(new PyValue.PyBool(true));
      else if (p.equals("F")) bools.add(new PyValue.PyBool(false));
      else { bools = null; break; }
    }
    if (bools != null) return bools.size() == 1 ? bools.getFirst() : new PyValue.PyList(bools);
    if (value.startsWith("_JSON ")) {
      try {
        return PyJson.asNumericArrayOrSelf(PyJson.parse(value.replaceFirst("_JSON ", "")));
      } catch (IllegalArgumentException e) {
        throw new CommentException("ValueError", String.valueOf(e.getMessage()));
      }
    }
    return new PyValue.PyStr(value);
  }

  // Non-empty ASCII text without separators (e.g. Properties): splitCommaSpace would give it back whole.
  private static boolean isOneToken(String v) {
    if (v.isEmpty()) return false;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c <= ' ' || c == ',' || c >= 0x7f) return false;
    }
    return true;
  }

  private static final int MAX_SIMPLE_TOKENS = 16;

  /**
   * What {@link #numeric} gives for the common values (up to 16 tokens of plain digits, or of plain decimal
   * floats), read from the text without a String per token; null when the value needs the general rules (or is
   * not numeric).
   */
  static PyValue simpleNumeric(String v) {
    int n = v.length();
    int[] start = new int[MAX_SIMPLE_TOKENS];
    int[] end = new int[MAX_SIMPLE_TOKENS];
    int count = 0;
    boolean ints = true;
    boolean notInt = false; // some token has '.', 'e' or 'E': NumPy's int conversion fails for sure
    for (int i = 0; i < n; ) {
      char c = v.charAt(i);
      if (c == ' ' || c == ',' || c == '\t') { i++; continue; }
      if (count == MAX_SIMPLE_TOKENS) return null;
      int ts = i;
      boolean digitsOnly = true;
      for (; i < n; i++) {
        c = v.charAt(i);
        if (c >= '0' && c <= '9') continue;
        if (c == ' ' || c == ',' || c == '\t') break;
        if (c == '.' || c == 'e' || c == 'E') {
          digitsOnly = false;
          notInt = true;
        } else if ((c == '-' || c == '+') && i > ts) {
          digitsOnly = false;
        }
        else if (!((c == '-' || c == '+') && i == ts)) return null; // other characters: general rules
      }
      int digits = i - ts - (v.charAt(ts) == '-' || v.charAt(ts) == '+' ? 1 : 0);
      if (digits == 0) return null;
      if (!digitsOnly || digits > 18) ints = false;
      start[count] = ts;
      end[count++] = i;
    }
    if (count == 0) return null;
    if (ints) return simpleInts(v, start, end, count);
    return notInt ? simpleFloats(v, start, end, count) : null;
  }

  private static PyValue simpleInts(String v, int[] start, int[] end, int count) {
    long[] out = new long[count];
    for (int t = 0; t < count; t++) {
      int i = start[t];
      boolean neg = v.charAt(i) == '-';
      if (neg || v.charAt(i) == '+') i++;
      long x = 0;
      for (; i < end[t]; i++) x = x * 10 + (v.charAt(i) - '0');
      out[t] = neg ? -x : x;
    }
    return count == 1 ? new PyValue.PyInt(out[0]) : PyValue.NdArray.int64(new int[] {count}, out);
  }

  private static PyValue simpleFloats(String v, int[] start, int[] end, int count) {
    double[] out = new double[count];
    for (int t = 0; t < count; t++) {
      try {
        out[t] = JavaDoubleParser.parseDouble(v, start[t], end[t] - start[t]);
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return count == 1 ? new PyValue.PyFloat(out[0]) : PyValue.NdArray.float64(new int[] {count}, out);
  }

  // np.array(parts, dtype=int), else dtype=float; one element becomes a scalar. Null when neither parses.
  static PyValue numeric(List<String> parts) {
    long[] ints = new long[parts.size()];
    boolean allInts = true;
    for (int i = 0; i < ints.length; i++) {
      String p = parts.get(i);
      if (!PyText.mayBeInt(p)) { allInts = false; break; }
      long simple = PyText.simpleLong(p);
      if (simple != PyText.NOT_SIMPLE) {
        ints[i] = simple;
        continue;
      }
      var v = PyText.parseBigInt(p);
      if (v == null || v.bitLength() > 63) { allInts = false; break; }
      ints[i] = v.longValue();
    }
    if (allInts) {
      return ints.length == 1 ? new PyValue.PyInt(ints[0]) : PyValue.NdArray.int64(new int[] {ints.length}, ints);
    }
    double[] d = new double[parts.size()];
    for (String p : parts) {
      if (!PyText.mayBeFloat(p)) return null; // spares the exception below for the common non-numeric values
    }
    try {
      for (int i = 0; i < d.length; i++) d[i] = PyText.parseFloat(parts.get(i));
    } catch (NumberFormatException e) {
      return null;
    }
    return d.length == 1 ? new PyValue.PyFloat(d[0]) : PyValue.NdArray.float64(new int[] {d.length}, d);
  }

  // reshape((3,3), order='F') stored C-order: element [i][j] = flat[j*3+i].
  private static PyValue.NdArray transpose9(PyValue.NdArray a) {
    int[] shape = {3, 3};
    if (a.data() instanceof long[] l) {
      long[] t = new long[9];
      for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) t[i * 3 + j] = l[j * 3 + i];
      return new PyValue.NdArray(a.dtype(), shape, t);
    }
    double[] d = a.doubles();
    double[] t = new double[9];
    for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) t[i * 3 + j] = d[j * 3 + i];
    return new PyValue.NdArray(a.dtype(), shape, t);
  }
}
