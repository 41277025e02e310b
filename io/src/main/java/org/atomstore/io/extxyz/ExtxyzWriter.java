package org.atomstore.io.extxyz;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.atomstore.io.ase.AseAtoms;
import org.atomstore.io.ase.ChemicalSymbols;
import org.atomstore.io.ase.internal.PyText;
import org.atomstore.io.ase.PyValue;
import org.atomstore.io.ase.PyValue.NdArray;
import org.atomstore.io.extxyz.internal.CommentParser;

/**
 * Writes extended XYZ the way ASE 3.22's {@code write_xyz} lays it out ({@code Lattice} when the cell is not
 * zero, {@code Properties}, info entries, calculator results, {@code pbc}; calculator forces/magmoms/energies as
 * columns), except that floats are written with all their digits (Python's shortest round-trip repr) instead of
 * {@code %16.8f}, so ASE reads back exactly the values written.
 *
 * <p>The file appears only when complete: frames go to a temporary sibling that {@link #close()} flushes and
 * renames over the target ({@link #abandon()} deletes it). A writer belongs to one thread; close is idempotent.
 */
public final class ExtxyzWriter implements AutoCloseable {

  private static final List<String> PER_CONFIG = List.of("energy", "free_energy", "stress", "dipole", "magmom");
  private static final List<String> PER_ATOM = List.of("forces", "magmoms", "energies", "stresses");

  private final Path target;
  private final Path temp;
  private final Writer out;
  private boolean closed;
  private long frames;

  private ExtxyzWriter(Path target, Path temp, Writer out) {
    this.target = target;
    this.temp = temp;
    this.out = out;
  }

  public static ExtxyzWriter create(Path target) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    return new ExtxyzWriter(target, temp, new BufferedWriter(
        new OutputStreamWriter(Files.newOutputStream(temp), StandardCharsets.UTF_8), 1 << 16));
  }

  /** Writes to a caller-owned writer (no temporary file; close() only flushes). */
  public static ExtxyzWriter to(Writer w) {
    return new ExtxyzWriter(null, null, w);
  }

  public long size() { return frames; }

  public void write(AseAtoms a) throws IOException {
    if (closed) throw new IllegalStateException("ExtxyzWriter is closed");
    out.write(format(a));
    frames++;
  }

  /** One frame as text (atom count line, comment line, atom lines). */
  public static String format(AseAtoms a) {
    int n = a.natoms();
    var cols = new ArrayList<String>();
    var colArrays = new LinkedHashMap<String, NdArray>();
    for (var e : a.arrays().entrySet()) {
      if (e.getValue().shape().length == 0 || e.getValue().shape()[0] != n) continue;
      colArrays.put(e.getKey(), e.getValue());
    }
    var info = new LinkedHashMap<String, PyValue>(a.info());
    for (var e : a.results().entrySet()) {
      String k = e.getKey();
      if (PER_ATOM.contains(k) && e.getValue() instanceof NdArray arr) {
        colArrays.put(k, arr);
      } else if (PER_CONFIG.contains(k)) {
        PyValue v = e.getValue();
        if (k.equals("stress") && v instanceof NdArray s && s.size() == 6) {
          double[] x = s.toDoubles();
          v = NdArray.float64(new int[] {3, 3}, new double[] {x[0], x[5], x[4], x[5], x[1], x[3], x[4], x[3], x[2]});
          if (info.containsKey("stress")) continue; // an exact 3x3 in info wins over the symmetric rebuild
        }
        info.put(k, v);
      }
    }
    var props = new StringBuilder("species:S:1:pos:R:3");
    for (var e : colArrays.entrySet()) {
      String name = e.getKey().equals("initial_charges") ? "charge" : e.getKey();
      NdArray arr = e.getValue();
      int ncol = arr.shape().length == 1 ? 1 : arr.size() / Math.max(1, n);
      char type = switch (arr.kind()) {
        case 'f' -> 'R';
        case 'i', 'u' -> 'I';
        case 'b' -> 'L';
        default -> 'S';
      };
      props.append(':').append(name).append(':').append(type).append(':').append(ncol);
      cols.add(e.getKey());
    }
    var sb = new StringBuilder(64 + n * 64);
    sb.append(n).append('\n');
    boolean zero = true;
    for (double c : a.cell()) if (c != 0) zero = false;
    if (!zero) {
      sb.append("Lattice=\"");
      for (int i = 0; i < 9; i++) sb.append(i > 0 ? " " : "").append(PyText.repr(a.cell()[i]));
      sb.append("\" ");
    }
    sb.append("Properties=").append(props);
    for (var e : info.entrySet()) {
      String v = infoString(e.getKey(), e.getValue());
      if (v == null) continue;
      sb.append(' ').append(escape(e.getKey())).append('=').append(escape(v));
    }
    sb.append(" pbc=\"").append(a.pbc()[0] ? 'T' : 'F').append(' ').append(a.pbc()[1] ? 'T' : 'F').append(' ')
        .append(a.pbc()[2] ? 'T' : 'F').append("\"\n");
    String[] symbols = a.symbols();
    for (int i = 0; i < n; i++) {
      sb.append(String.format("%-2s", symbols[i]));
      for (int k = 0; k < 3; k++) pad(sb, PyText.repr(a.positions()[3 * i + k]), 24);
      for (String c : cols) {
        NdArray arr = colArrays.get(c);
        int ncol = arr.shape().length == 1 ? 1 : arr.size() / n;
        for (int k = 0; k < ncol; k++) {
          int idx = i * ncol + k;
          switch (arr.data()) {
            case double[] d -> pad(sb, PyText.repr(d[idx]), 24);
            case long[] l -> pad(sb, Long.toString(l[idx]), 9);
            case boolean[] b -> sb.append(b[idx] ? " T" : " F");
            case String[] s -> sb.append(' ').append(s[idx]);
            default -> throw new IllegalStateException();
          }
        }
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static void pad(StringBuilder sb, String s, int width) {
    sb.append(' ');
    for (int i = s.length(); i < width - 1; i++) sb.append(' ');
    sb.append(s);
  }

  // ASE's key_val_dict_to_str value rules; null = skipped (ASE warns and skips unencodable values).
  private static String infoString(String key, PyValue v) {
    return switch (v) {
      case PyValue.PyBool b -> b.value() ? "T" : "F";
      case PyValue.PyInt i -> Long.toString(i.value());
      case PyValue.PyFloat f -> PyText.repr(f.value());
      case PyValue.PyStr s -> s.value();
      case NdArray a when CommentParser.SPECIAL_3_3_KEYS.contains(key) && a.size() == 9 && a.kind() != 'U' -> {
        // written in Fortran order so that the reader's reshape gives the same matrix back
        double[] d = a.toDoubles();
        var sb = new StringBuilder();
        for (int j = 0; j < 3; j++) for (int i = 0; i < 3; i++) {
          if (sb.length() > 0) sb.append(' ');
          sb.append(number(a, i * 3 + j, d));
        }
        yield sb.toString();
      }
      case NdArray a when a.shape().length == 1 && a.size() > 1 && a.kind() != 'U' && a.kind() != 'c' -> {
        double[] d = a.toDoubles();
        var sb = new StringBuilder();
        for (int i = 0; i < a.size(); i++) {
          if (i > 0) sb.append(' ');
          sb.append(a.kind() == 'b' ? (a.booleans()[i] ? "T" : "F") : number(a, i, d));
        }
        yield sb.toString();
      }
      default -> "_JSON " + org.atomstore.io.mapping.internal.Json.plain(v);
    };
  }

  private static String number(NdArray a, int i, double[] d) {
    return a.kind() == 'f' ? PyText.repr(d[i]) : Long.toString(a.longs()[i]);
  }

  // ASE's escape(): quote when the text has spaces, quotes or brackets.
  static String escape(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ' ' || c == '"' || c == '\'' || c == '{' || c == '}' || c == '[' || c == ']' || PyText.isSpace(c)
          || c == '\\' || c == '=') {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
      }
    }
    return s.isEmpty() ? "\"\"" : s;
  }

  /** Discards everything written; the target is left untouched. */
  public void abandon() throws IOException {
    if (closed) return;
    closed = true;
    out.close();
    if (temp != null) Files.deleteIfExists(temp);
  }

  @Override
  public void close() throws IOException {
    if (closed) return;
    closed = true;
    out.flush();
    if (temp == null) return;
    out.close();
    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

}
