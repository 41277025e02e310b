package org.atomstore.io.extxyz.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.atomstore.io.ase.AseAtoms;
import org.atomstore.io.ase.ChemicalSymbols;
import org.atomstore.io.ase.internal.PyText;
import org.atomstore.io.ase.PyValue;
import org.atomstore.io.ase.PyValue.NdArray;
import org.atomstore.io.extxyz.ExtxyzFormatException;

/**
 * Turns one frame's text into what ASE 3.22's {@code _read_xyz_frame} builds: symbols/numbers, positions, cell,
 * pbc, info, arrays, SinglePointCalculator results and move_mask constraints. Stateless; safe for any number of
 * threads (the parallel reader runs one per worker).
 */
public final class FrameParser {

  private static final List<String> PER_CONFIG = List.of("energy", "stress", "dipole", "magmom", "free_energy");
  private static final List<String> PER_ATOM = List.of("forces", "stresses", "charges", "magmoms", "energies");

  private FrameParser() {}

  public static AseAtoms parse(FrameText f, Path file) throws ExtxyzFormatException {
    return parse(f, file, false);
  }

  /**
   * With {@code headerOnly}, only the comment line is read: the frame comes back with its info and with its
   * columns as arrays of zero atoms (their types and widths as in the file), and atom-line errors are not found.
   */
  public static AseAtoms parse(FrameText f, Path file, boolean headerOnly) throws ExtxyzFormatException {
    if (headerOnly) f = new FrameText(f.buf(), f.from(), f.to(), Math.min(1, f.lineCount()), f.headerLine(), 0, f.nvec(), f.bufOffset());
    long commentLine = f.headerLine() + 1;
    if (f.lineCount() < 1) {
      throw new ExtxyzFormatException(file, commentLine, 1, "RuntimeError",
          "generator raised StopIteration (file ends before the comment line)");
    }
    int eol = Lines.terminator(f.buf(), f.from(), f.to());
    if (!Utf8.isAscii(f.buf(), f.from(), eol)) Utf8.check(f.buf(), f.from(), eol, eol < f.to(), file, commentLine, f.bufOffset());
    String comment = PyText.strip(new String(f.buf(), f.from(), eol - f.from(), StandardCharsets.UTF_8));
    LinkedHashMap<String, PyValue> info;
    List<ColumnSpec> specs;
    if (f.nvec() > 0) return vecFrame(f, file, comment, Lines.next(f.buf(), eol, f.to(), true), headerOnly);
    try {
      info = comment.isEmpty() ? new LinkedHashMap<>() : CommentParser.parse(comment);
      PyValue props = info.remove("Properties");
      String propStr = props == null ? "species:S:1:pos:R:3" : propertiesString(props);
      specs = ColumnSpec.parse(propStr);
    } catch (CommentParser.CommentException e) {
      throw new ExtxyzFormatException(file, commentLine, 1, e.aseError, e.getMessage());
    }
    return build(f, file, info, specs, Lines.next(f.buf(), eol, f.to(), true));
  }

  private static final List<ColumnSpec> DEFAULT_SPECS;

  static {
    try {
      DEFAULT_SPECS = ColumnSpec.parse("species:S:1:pos:R:3");
    } catch (CommentParser.CommentException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * A frame followed by {@code VEC1}..{@code VEC3} lines, read as ASE's {@code _read_xyz_frame} reads it with
   * {@code nvec > 0}: the comment line is not parsed but kept whole as {@code info['comment']}, the columns are
   * species and positions, and VEC<i>k</i> sets cell row <i>k</i> and makes that direction periodic.
   */
  private static AseAtoms vecFrame(FrameText f, Path file, String comment, int firstAtomLine, boolean headerOnly)
      throws ExtxyzFormatException {
    var info = new LinkedHashMap<String, PyValue>();
    info.put("comment", new PyValue.PyStr(comment));
    // The bare pbc/cell here are replaced below; "comment" is not a key ASE reads results from.
    AseAtoms a = build(f, file, info, DEFAULT_SPECS, firstAtomLine);
    if (headerOnly) return a;
    byte[] buf = f.buf();
    int pos = firstAtomLine;
    for (long i = 0; i < f.natoms(); i++) pos = Lines.next(buf, Lines.terminator(buf, pos, f.to()), f.to(), true);
    double[] cell = a.cell();
    boolean[] pbc = a.pbc();
    long lineNo = f.headerLine() + f.lineCount() + 1;
    for (int row = 0; row < f.nvec(); row++, lineNo++) {
      int eol = Lines.terminator(buf, pos, f.to());
      Utf8.check(buf, pos, eol, eol < f.to(), file, lineNo, f.bufOffset());
      List<String> entry = PyText.split(new String(buf, pos, eol - pos, StandardCharsets.UTF_8));
      String label = entry.getFirst().substring(3);
      var k = PyText.parseBigInt(label);
      if (k == null) {
        throw new ExtxyzFormatException(file, lineNo, 1, "XYZError", "Expected VEC" + (row + 1) + ", got VEC" + label);
      }
      if (k.intValue() != row + 1 || k.bitLength() > 31) {
        throw new ExtxyzFormatException(file, lineNo, 1, "XYZError", "Expected VEC" + (row + 1) + ", got VEC" + k);
      }
      double[] v = new double[entry.size() - 1];
      for (int j = 0; j < v.length; j++) {
        try {
          v[j] = PyText.parseFloat(entry.get(j + 1));
        } catch (NumberFormatException e) {
          throw new ExtxyzFormatException(file, lineNo, 1, "ValueError", e.getMessage());
        }
      }
      // NumPy assigns a row from 3 values or broadcasts a single one
      if (v.length != 3 && v.length != 1) {
        throw new ExtxyzFormatException(file, lineNo, 1, "ValueError",
            "could not broadcast input array from shape (" + v.length + ",) into shape (3,)");
      }
      for (int j = 0; j < 3; j++) cell[row * 3 + j] = v[v.length == 1 ? 0 : j];
      pbc[row] = true;
      pos = Lines.next(buf, eol, f.to(), true);
    }
    return a;
  }

  private static String propertiesString(PyValue v) throws CommentParser.CommentException {
    if (v instanceof PyValue.PyStr s) return s.value();
    throw new CommentParser.CommentException("AttributeError", "Properties is not a string but " + v);
  }

  private static AseAtoms build(FrameText f, Path file, LinkedHashMap<String, PyValue> info, List<ColumnSpec> specs,
      int firstAtomLine) throws ExtxyzFormatException {
    long commentLine = f.headerLine() + 1;
    // pbc and cell as ASE derives them from the comment line
    PyValue pbcValue = info.remove("pbc");
    PyValue lattice = info.remove("Lattice");
    boolean[] pbc = pbcValue != null ? toPbc(pbcValue, file, commentLine) : new boolean[] {lattice != null, lattice != null, lattice != null};
    double[] cell = lattice == null ? new double[9] : cell((NdArray) lattice);

    long totalFields = 0;
    for (int c = 0; c < specs.size(); c++) totalFields += specs.get(c).cols();
    if (totalFields > MAX_FIELDS) {
      throw new ExtxyzFormatException(file, commentLine, 1, "MemoryError",
          "Properties declares " + totalFields + " columns per atom line (at most " + MAX_FIELDS + " are read)");
    }
    int fields = (int) totalFields;
    int present = Math.max(0, f.lineCount() - 1);
    long natomsDecl = Math.max(0, f.natoms());
    int n = (int) Math.min(present, natomsDecl);
    // A frame whose lines all hold every field has at least one byte per field: a column count the text cannot
    // hold is checked line by line instead of being allocated as lines x columns.
    if ((long) n * fields > f.to() - firstAtomLine) {
      throw tooFewColumns(f, file, specs, fields, n, natomsDecl, firstAtomLine);
    }
    Object[] columns = allocateColumns(specs, n, file, commentLine);
    long shortLine = n == 0 ? -1 : parseAtomLines(f, file, specs, columns, fields, n, firstAtomLine);
    if (n < natomsDecl) {
      throw new ExtxyzFormatException(file, f.headerLine() + 1 + f.lineCount(), 1, "XYZError",
          "ase.io.extxyz: Frame has " + n + " atoms, expected " + natomsDecl);
    }
    if (shortLine >= 0) {
      throw new ExtxyzFormatException(file, f.headerLine() + 2 + (shortLine >>> 32), 1, "ValueError",
          "could not assign tuple of length " + (int) shortLine + " to structure with " + fields + " fields.");
    }
    return assemble(f, file, n, info, specs, columns, cell, pbc);
  }

  /** Columns per atom line beyond which a Properties string is refused (ASE's NumPy dtype would not be built). */
  static final int MAX_FIELDS = 1 << 24;

  /**
   * The error of a frame whose Properties declare more fields than its atom lines can hold, found without sizing
   * anything by the declared count: each line is parsed into one reused row of at most as many fields as the
   * longest line can hold, which gives ASE's errors in ASE's order (a bad value first, then a missing line, then
   * the short line).
   */
  private static ExtxyzFormatException tooFewColumns(FrameText f, Path file, List<ColumnSpec> specs, int fields,
      int n, long natomsDecl, int firstAtomLine) throws ExtxyzFormatException {
    byte[] buf = f.buf();
    int to = f.to();
    int longest = 0;
    for (int a = 0, pos = firstAtomLine; a < n; a++) {
      int eol = Lines.terminator(buf, pos, to);
      longest = Math.max(longest, eol - pos);
      pos = Lines.next(buf, eol, to, true);
    }
    int kept = Math.min(fields, longest / 2 + 1);
    var truncated = new ArrayList<ColumnSpec>();
    for (int c = 0, left = kept; c < specs.size() && left > 0; c++) {
      ColumnSpec s = specs.get(c);
      int cols = Math.min(s.cols(), left);
      truncated.add(new ColumnSpec(s.name(), s.aseName(), s.type(), cols));
      left -= cols;
    }
    Object[] row = allocateColumns(truncated, 1, file, f.headerLine() + 1);
    var plan = new AtomLineParser(truncated, row, kept);
    Tokens tok = null;
    long shortLine = -1;
    for (int a = 0, pos = firstAtomLine; a < n; a++) {
      int got = plan.parseLine(buf, pos, to, 0);
      int eol = plan.lineEnd();
      if (got < 0) {
        if (got != AtomLineParser.NOT_ASCII) throw plan.error(file, f.headerLine() + 2 + a);
        Utf8.check(buf, pos, eol, eol < to, file, f.headerLine() + 2 + a, f.bufOffset());
        if (tok == null) tok = new Tokens(kept);
        got = parseGeneral(tok, buf, pos, eol, 0, truncated, row, file, f.headerLine() + 2 + a);
      }
      if (got < fields && shortLine < 0) shortLine = (long) a << 32 | got;
      pos = Lines.next(buf, eol, to, true);
    }
    if (n < natomsDecl) {
      return new ExtxyzFormatException(file, f.headerLine() + 1 + f.lineCount(), 1, "XYZError",
          "ase.io.extxyz: Frame has " + n + " atoms, expected " + natomsDecl);
    }
    return new ExtxyzFormatException(file, f.headerLine() + 2 + (shortLine >>> 32), 1, "ValueError",
        "could not assign tuple of length " + (int) shortLine + " to structure with " + fields + " fields.");
  }

  // Lattice is kept 3x3 Fortran-ordered; ASE's cell is its transpose, i.e. the nine numbers in row order.
  private static double[] cell(NdArray lattice) {
    double[] l = lattice.toDoubles();
    double[] cell = new double[9];
    for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) cell[i * 3 + j] = l[j * 3 + i];
    return cell;
  }

  private static Object[] allocateColumns(List<ColumnSpec> specs, int n, Path file, long commentLine)
      throws ExtxyzFormatException {
    Object[] columns = new Object[specs.size()];
    for (int c = 0; c < specs.size(); c++) {
      ColumnSpec s = specs.get(c);
      long size = (long) n * s.cols();
      if (size > Integer.MAX_VALUE - 16) {
        throw new ExtxyzFormatException(file, commentLine, 1, "MemoryError", "frame too large: " + n + " atoms x "
            + s.cols() + " columns of " + s.name());
      }
      char type = s.type();
      if (type == 'R') columns[c] = new double[(int) size];
      else if (type == 'I') columns[c] = new long[(int) size];
      else if (type == 'L') columns[c] = new boolean[(int) size];
      else columns[c] = isSpecies(s) ? new SpeciesColumn(n) : new String[(int) size];
    }
    return columns;
  }

  /**
   * Parses the atom lines into the columns. Returns -1, or for the first line with fewer tokens than fields its
   * atom index (high 32 bits) and token count (low 32 bits), which ASE reports after reading the frame.
   */
  private static long parseAtomLines(FrameText f, Path file, List<ColumnSpec> specs, Object[] columns, int fields,
      int n, int firstAtomLine) throws ExtxyzFormatException {
    var plan = new AtomLineParser(specs, columns, fields);
    Tokens tok = null;
    long shortLine = -1;
    byte[] buf = f.buf();
    int to = f.to();
    int pos = firstAtomLine;
    for (int a = 0; a < n; a++) {
      int got = plan.parseLine(buf, pos, to, a);
      int eol = plan.lineEnd();
      if (got < 0) {
        if (got != AtomLineParser.NOT_ASCII) throw plan.error(file, f.headerLine() + 2 + a);
        Utf8.check(buf, pos, eol, eol < to, file, f.headerLine() + 2 + a, f.bufOffset());
        if (tok == null) tok = new Tokens(fields);
        got = parseGeneral(tok, buf, pos, eol, a, specs, columns, file, f.headerLine() + 2 + a);
      }
      if (got < fields && shortLine < 0) shortLine = (long) a << 32 | got;
      pos = Lines.next(buf, eol, to, true);
    }
    return shortLine;
  }

  private static boolean isSpecies(ColumnSpec s) {
    return s.aseName().equals("symbols") && s.type() == 'S' && s.cols() == 1;
  }

  // Any line (non-ASCII text split by Python's Unicode whitespace); the slow twin of AtomLineParser.parseLine.
  private static int parseGeneral(Tokens tok, byte[] buf, int s, int e, int a, List<ColumnSpec> specs, Object[] columns,
      Path file, long lineNo) throws ExtxyzFormatException {
    int got = tok.split(buf, s, e);
    int t = 0;
    for (int c = 0; c < specs.size() && t < got; c++) {
      ColumnSpec spec = specs.get(c);
      for (int k = 0; k < spec.cols() && t < got; k++, t++) {
        int idx = a * spec.cols() + k;
        try {
          switch (columns[c]) {
            case double[] d -> d[idx] = PyText.parseFloat(tok.buf, tok.start[t], tok.end[t] - tok.start[t]);
            case long[] l -> l[idx] = (int) PyText.parseLong(tok.buf, tok.start[t], tok.end[t] - tok.start[t]);
            case boolean[] bo -> bo[idx] = parseBool(tok.buf, tok.start[t], tok.end[t]);
            case SpeciesColumn sp -> sp.set(a, tok.string(t));
            case String[] str -> str[idx] = tok.string(t);
            default -> throw new IllegalStateException();
          }
        } catch (NumberFormatException ex) {
          throw new ExtxyzFormatException(file, lineNo, tok.column(t), "ValueError", ex.getMessage());
        } catch (ArithmeticException ex) {
          throw new ExtxyzFormatException(file, lineNo, tok.column(t), "OverflowError", ex.getMessage());
        }
      }
    }
    return got;
  }

  private static boolean parseBool(byte[] b, int s, int e) {
    int len = e - s;
    if (len == 1) return b[s] == 'T';
    // ASE maps anything but T/F/True/False to None, which NumPy stores as False.
    return len == 4 && b[s] == 'T' && b[s + 1] == 'r' && b[s + 2] == 'u' && b[s + 3] == 'e';
  }

  private static AseAtoms assemble(FrameText f, Path file, int n, LinkedHashMap<String, PyValue> info,
      List<ColumnSpec> specs, Object[] columns, double[] cell, boolean[] pbc) throws ExtxyzFormatException {
    long commentLine = f.headerLine() + 1;
    var arrays = new LinkedHashMap<String, NdArray>();
    String[] symbols = null;
    SpeciesColumn species = null;
    NdArray numbersCol = null;
    NdArray chargesCol = null;
    double[] positions = null;
    NdArray moveMask = null;
    for (int c = 0; c < specs.size(); c++) {
      ColumnSpec s = specs.get(c);
      Object col = columns[c];
      String name = s.aseName();
      if (name.equals("symbols")) {
        if (col instanceof SpeciesColumn sp) species = sp;
        else symbols = symbols(s, col, n, file, commentLine);
        continue;
      }
      NdArray arr = toArray(s, col, n);
      if (name.equals("positions")) positions = positions(s, arr, n, file, commentLine);
      else if (name.equals("numbers")) numbersCol = arr;
      else if (name.equals("charges")) chargesCol = arr;
      else if (name.equals("move_mask")) moveMask = arr;
      else arrays.put(name, arr);
    }
    long[] numbers = species != null ? speciesNumbers(f, file, species, numbersCol, commentLine)
        : symbols != null ? symbolNumbers(f, file, symbols, n, numbersCol, commentLine)
        : numbersCol != null ? integers(numbersCol, file, commentLine)
        : new long[positions == null ? 0 : n];
    if (positions == null) positions = new double[numbers.length * 3];
    if (numbers.length != n && (!arrays.isEmpty() || chargesCol != null)) {
      throw new ExtxyzFormatException(file, commentLine, 1, "ValueError",
          "Array has wrong length: " + n + " != " + numbers.length + ".");
    }

    LinkedHashMap<String, NdArray> ordered = arrays;
    if (chargesCol != null) {
      if (chargesCol.shape().length != 1) {
        throw new ExtxyzFormatException(file, commentLine, 1, "ValueError", "charges column must have 1 column");
      }
      ordered = new LinkedHashMap<>();
      ordered.put("initial_charges", NdArray.float64(chargesCol.shape(), floats(chargesCol, file, commentLine)));
      ordered.putAll(arrays);
    }
    List<PyValue> constraints = moveMask == null ? new ArrayList<>() : constraints(moveMask, n, file, commentLine);
    if (chargesCol != null && arrays.containsKey("initial_charges")) {
      // ASE builds Atoms(charges=...) from a charge column, then new_array refuses the column of the same name
      throw new ExtxyzFormatException(file, commentLine, 1, "RuntimeError", "Array initial_charges already present");
    }
    LinkedHashMap<String, PyValue> results = results(info, ordered, file, commentLine);
    return new AseAtoms(numbers, positions, cell, pbc, info, ordered, results, constraints, f.headerLine());
  }

  private static String[] symbols(ColumnSpec s, Object col, int n, Path file, long commentLine)
      throws ExtxyzFormatException {
    if (col instanceof String[] str && s.cols() == 1) return str;
    if (n > 0) throw new ExtxyzFormatException(file, commentLine, 1, "AttributeError", "species column must be S:1");
    return new String[0];
  }

  private static double[] positions(ColumnSpec s, NdArray arr, int n, Path file, long commentLine)
      throws ExtxyzFormatException {
    if (s.cols() != 3) {
      throw new ExtxyzFormatException(file, commentLine, 1, "ValueError",
          "Array \"positions\" has wrong shape (" + n + ", " + s.cols() + ") != (" + n + ", 3).");
    }
    return floats(arr, file, commentLine);
  }

  private static long[] speciesNumbers(FrameText f, Path file, SpeciesColumn species, NdArray numbersCol,
      long commentLine) throws ExtxyzFormatException {
    if (species.firstUnknown >= 0) {
      throw new ExtxyzFormatException(file, f.headerLine() + 2 + species.firstUnknown, 1, "KeyError",
          PyText.repr(ChemicalSymbols.capitalize(species.unknown)));
    }
    return numbersCol != null ? integers(numbersCol, file, commentLine) : species.z;
  }

  private static long[] symbolNumbers(FrameText f, Path file, String[] symbols, int n, NdArray numbersCol,
      long commentLine) throws ExtxyzFormatException {
    long[] numbers = new long[n];
    for (int i = 0; i < n; i++) {
      int z = ChemicalSymbols.number(ChemicalSymbols.capitalize(symbols[i]));
      if (z < 0) {
        throw new ExtxyzFormatException(file, f.headerLine() + 2 + i, 1, "KeyError",
            PyText.repr(ChemicalSymbols.capitalize(symbols[i])));
      }
      numbers[i] = z;
    }
    return numbersCol != null ? integers(numbersCol, file, commentLine) : numbers;
  }

  // The SinglePointCalculator's results: per-config values from info, per-atom ones from the arrays; null when none.
  private static LinkedHashMap<String, PyValue> results(LinkedHashMap<String, PyValue> info,
      LinkedHashMap<String, NdArray> arrays, Path file, long commentLine) throws ExtxyzFormatException {
    LinkedHashMap<String, PyValue> results = null;
    for (var e : info.entrySet()) {
      if (!PER_CONFIG.contains(e.getKey())) continue;
      if (results == null) results = new LinkedHashMap<>();
      results.put(e.getKey(), configResult(e.getKey(), e.getValue(), file, commentLine));
    }
    for (var e : arrays.entrySet()) {
      if (PER_ATOM.contains(e.getKey())) {
        if (results == null) results = new LinkedHashMap<>();
        results.put(e.getKey(), NdArray.float64(e.getValue().shape(), floats(e.getValue(), file, commentLine)));
      }
    }
    return results;
  }

  private static PyValue configResult(String key, PyValue v, Path file, long line) throws ExtxyzFormatException {
    if (key.equals("energy") || key.equals("free_energy") || key.equals("magmom")) return v;
    if (v instanceof NdArray a) {
      if (key.equals("stress") && a.shape().length == 2 && a.shape()[0] == 3 && a.shape()[1] == 3) {
        double[] s = a.toDoubles();
        return NdArray.float64(new int[] {6}, new double[] {s[0], s[4], s[8], s[5], s[2], s[1]});
      }
      if (a.kind() != 'U' && a.kind() != 'c') return NdArray.float64(a.shape(), a.toDoubles());
    } else if (v instanceof PyValue.PyInt i) {
      return NdArray.float64(new int[0], new double[] {i.value()});
    } else if (v instanceof PyValue.PyFloat d) {
      return NdArray.float64(new int[0], new double[] {d.value()});
    } else if (v instanceof PyValue.PyBool b) {
      return NdArray.float64(new int[0], new double[] {b.value() ? 1 : 0});
    } else if (v instanceof PyValue.PyList l && l.items().stream().allMatch(x -> x instanceof PyValue.PyBool)) {
      double[] d = new double[l.items().size()];
      for (int i = 0; i < d.length; i++) d[i] = ((PyValue.PyBool) l.items().get(i)).value() ? 1 : 0;
      return NdArray.float64(new int[] {d.length}, d);
    }
    throw new ExtxyzFormatException(file, line, 1, "ValueError", "could not convert " + key + " value to float");
  }

  private static List<PyValue> constraints(NdArray mask, int n, Path file, long line) throws ExtxyzFormatException {
    if (!(mask.data() instanceof boolean[] m)) {
      throw new ExtxyzFormatException(file, line, 1, "XYZError", "move_mask column must be of type L");
    }
    var out = new ArrayList<PyValue>();
    if (mask.shape().length == 1) {
      var idx = new ArrayList<PyValue>();
      for (int i = 0; i < n; i++) if (!m[i]) idx.add(new PyValue.PyInt(i));
      out.add(constraint("FixAtoms", "indices", new PyValue.PyList(idx)));
    } else if (mask.shape()[1] == 3) {
      for (int a = 0; a < n; a++) {
        var kw = new LinkedHashMap<String, PyValue>();
        kw.put("a", new PyValue.PyInt(a));
        kw.put("mask", NdArray.bool(new int[] {3}, new boolean[] {!m[a * 3], !m[a * 3 + 1], !m[a * 3 + 2]}));
        var d = new LinkedHashMap<String, PyValue>();
        d.put("name", new PyValue.PyStr("FixCartesian"));
        d.put("kwargs", new PyValue.PyDict(kw));
        out.add(new PyValue.PyDict(d));
      }
    } else {
      throw new ExtxyzFormatException(file, line, 1, "XYZError", "Not implemented constraint");
    }
    return out;
  }

  private static PyValue constraint(String name, String key, PyValue value) {
    var kw = new LinkedHashMap<String, PyValue>();
    kw.put(key, value);
    var d = new LinkedHashMap<String, PyValue>();
    d.put("name", new PyValue.PyStr(name));
    d.put("kwargs", new PyValue.PyDict(kw));
    return new PyValue.PyDict(d);
  }

  private static NdArray toArray(ColumnSpec s, Object col, int n) {
    int[] shape = s.cols() == 1 ? new int[] {n} : new int[] {n, s.cols()};
    return switch (s.type()) {
      case 'R' -> NdArray.float64(shape, (double[]) col);
      case 'I' -> NdArray.int32(shape, (long[]) col);
      case 'L' -> NdArray.bool(shape, (boolean[]) col);
      default -> NdArray.str(shape, (String[]) col);
    };
  }

  private static double[] floats(NdArray a, Path file, long line) throws ExtxyzFormatException {
    if (a.data() instanceof String[] s) {
      double[] d = new double[s.length];
      try {
        for (int i = 0; i < s.length; i++) d[i] = PyText.parseFloat(s[i]);
      } catch (NumberFormatException e) {
        throw new ExtxyzFormatException(file, line, 1, "ValueError", e.getMessage());
      }
      return d;
    }
    return a.toDoubles();
  }

  private static long[] integers(NdArray a, Path file, long line) throws ExtxyzFormatException {
    long[] out = new long[a.size()];
    switch (a.data()) {
      case long[] l -> System.arraycopy(l, 0, out, 0, l.length);
      case double[] d -> { for (int i = 0; i < d.length; i++) out[i] = (long) d[i]; }
      case boolean[] b -> { for (int i = 0; i < b.length; i++) out[i] = b[i] ? 1 : 0; }
      case String[] s -> {
        for (int i = 0; i < s.length; i++) {
          var v = PyText.parseBigInt(s[i]);
          if (v == null) throw new ExtxyzFormatException(file, line, 1, "ValueError",
              "invalid literal for int() with base 10: " + PyText.repr(s[i]));
          out[i] = v.longValue();
        }
      }
      default -> throw new IllegalStateException();
    }
    if (a.shape().length != 1) throw new ExtxyzFormatException(file, line, 1, "ValueError", "Z column must have 1 column");
    for (long z : out) {
      if (z < 0 || z > ChemicalSymbols.MAX_NUMBER) {
        throw new ExtxyzFormatException(file, line, 1, "IndexError", "atomic number " + z + " out of range");
      }
    }
    return out;
  }

  private static boolean[] toPbc(PyValue v, Path file, long line) throws ExtxyzFormatException {
    if (v instanceof PyValue.PyList l && l.items().size() == 3 && l.items().stream().allMatch(x -> x instanceof PyValue.PyBool)) {
      return new boolean[] {((PyValue.PyBool) l.items().get(0)).value(), ((PyValue.PyBool) l.items().get(1)).value(),
          ((PyValue.PyBool) l.items().get(2)).value()};
    }
    if (v instanceof PyValue.PyBool b) return new boolean[] {b.value(), b.value(), b.value()};
    if (v instanceof PyValue.PyInt i) return new boolean[] {i.value() != 0, i.value() != 0, i.value() != 0};
    if (v instanceof PyValue.PyFloat d) return new boolean[] {d.value() != 0, d.value() != 0, d.value() != 0};
    if (v instanceof NdArray a && a.size() == 3 && a.shape().length == 1 && a.kind() != 'U') {
      double[] d = a.toDoubles();
      return new boolean[] {d[0] != 0, d[1] != 0, d[2] != 0};
    }
    throw new ExtxyzFormatException(file, line, 1, "ValueError", "cannot interpret pbc value " + v);
  }

  /** Whitespace tokenizer over one line's bytes, with a slow path for non-ASCII lines. */
  static final class Tokens {
    final int want;
    int[] start;
    int[] end;
    byte[] buf;
    int lineStart;
    private String[] decoded;

    Tokens(int want) {
      this.want = want;
      this.start = new int[Math.max(1, want)];
      this.end = new int[Math.max(1, want)];
    }

    int split(byte[] b, int s, int e) {
      for (int i = s; i < e; i++) {
        if (b[i] < 0) return splitUnicode(b, s, e);
      }
      buf = b;
      lineStart = s;
      decoded = null;
      int got = 0;
      int i = s;
      while (got < want) {
        while (i < e && isSpace(b[i])) i++;
        if (i >= e) break;
        start[got] = i;
        while (i < e && !isSpace(b[i])) i++;
        end[got++] = i;
      }
      return got;
    }

    private int splitUnicode(byte[] b, int s, int e) {
      String line = new String(b, s, e - s, StandardCharsets.UTF_8);
      List<String> parts = PyText.split(line);
      int got = Math.min(want, parts.size());
      decoded = new String[got];
      var bytes = new java.io.ByteArrayOutputStream();
      int[] cols = new int[got];
      int searchFrom = 0;
      for (int t = 0; t < got; t++) {
        decoded[t] = parts.get(t);
        int at = line.indexOf(parts.get(t), searchFrom);
        cols[t] = at;
        searchFrom = at + parts.get(t).length();
        byte[] tb = parts.get(t).getBytes(StandardCharsets.UTF_8);
        start[t] = bytes.size();
        bytes.writeBytes(tb);
        end[t] = bytes.size();
      }
      buf = bytes.toByteArray();
      lineStart = 0;
      decodedColumns = cols;
      return got;
    }

    private int[] decodedColumns;

    String string(int t) {
      if (decoded != null) return decoded[t];
      return new String(buf, start[t], end[t] - start[t], StandardCharsets.ISO_8859_1);
    }

    int column(int t) {
      if (decoded != null) return decodedColumns[t] + 1;
      return start[t] - lineStart + 1;
    }

    private static boolean isSpace(byte c) {
      return c == ' ' || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
    }
  }
}
