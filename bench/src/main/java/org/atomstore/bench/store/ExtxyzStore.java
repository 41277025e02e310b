package org.atomstore.bench.store;

import org.atomstore.io.ase.ChemicalSymbols;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.atomstore.bench.BenchMolecule;
import org.atomstore.bench.BenchStore;
import org.atomstore.bench.DatasetSpec;
import org.atomstore.bench.MoleculeBatch;

/**
 * Extended XYZ text, one frame per molecule, as ASE writes it: an atom-count line, a comment line of
 * {@code key=value} pairs ({@code Properties=species:S:1:pos:R:3[:forces:R:3...]}, {@code energy=...},
 * custom scalars and a quoted eigenvalue list, {@code pbc="F F F"}), then one line per atom. Numbers are
 * printed as the shortest decimal that reads back to the same float32/float64, so the text round-trips exactly.
 *
 * <p>Text has no index: random access needs the byte offset of every frame, which the store finds by
 * scanning the file once, on the first random read (that scan is part of the measured time).
 */
final class ExtxyzStore implements BenchStore {
  private static final String FILE = "molecules.extxyz";
  private static final int IO_BUFFER = 1 << 20;
  private static final int MAX_LINE = 1 << 20;

  private final Path dir;
  private final Path file;
  private Writer out;
  private long[] frameOffsets;
  private boolean closed;

  ExtxyzStore(Path dir, DatasetSpec spec) {
    this.dir = dir;
    this.file = dir.resolve(FILE);
  }

  @Override public String id() { return "extxyz"; }

  @Override
  public String description() { return "extended XYZ text, one frame per molecule (ASE conventions)"; }

  @Override
  public void write(MoleculeBatch b) throws IOException {
    if (closed) throw new IllegalStateException("store closed: " + id());
    if (out == null) {
      Files.createDirectories(dir);
      out = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8), IO_BUFFER);
    }
    var sb = new StringBuilder(8192);
    int a = b.atoms();
    for (int k = 0; k < b.count(); k++) {
      sb.setLength(0);
      sb.append(a).append('\n').append("Properties=species:S:1:pos:R:3");
      if (b.hasProps()) sb.append(":forces:R:3");
      if (b.hasCustom()) sb.append(":mulliken_charges:R:1:hirshfeld_volumes:R:1");
      if (b.hasProps()) sb.append(" energy=").append(b.energy()[k]);
      if (b.hasCustom()) {
        int ev = BenchMolecule.CustomProps.EIGENVALUES;
        sb.append(" bandgap=").append(b.bandgap()[k]).append(" formation_energy=").append(b.formationEnergy()[k]);
        sb.append(" eigenvalues=\"");
        for (int j = 0; j < ev; j++) sb.append(j == 0 ? "" : " ").append(b.eigenvalues()[k * ev + j]);
        sb.append('"');
      }
      sb.append(" pbc=\"F F F\"\n");
      for (int i = 0; i < a; i++) {
        int atom = k * a + i;
        sb.append(ChemicalSymbols.symbol(b.atomicNumbers()[atom] & 0xFF));
        for (int c = 0; c < 3; c++) sb.append(' ').append(b.positions()[atom * 3 + c]);
        if (b.hasProps()) for (int c = 0; c < 3; c++) sb.append(' ').append(b.forces()[atom * 3 + c]);
        if (b.hasCustom()) sb.append(' ').append(b.mullikenCharges()[atom]).append(' ').append(b.hirshfeldVolumes()[atom]);
        sb.append('\n');
      }
      out.append(sb);
    }
  }

  @Override
  public void commit() throws IOException {
    if (out != null) {
      out.close();
      out = null;
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
    }
  }

  @Override
  public long sizeOnDisk() throws IOException { return Stores.directorySize(dir); }

  @Override
  public void readSequential(MoleculeSink sink) throws IOException {
    checkOpen();
    try (var in = new LineInput(Files.newInputStream(file), file)) {
      for (long i = 0; ; i++) {
        BenchMolecule m = parseFrame(in);
        if (m == null) return;
        sink.accept(i, m);
      }
    }
  }

  @Override
  public void readShuffled(long[] order, int from, int to, MoleculeSink sink) throws IOException {
    long[] offsets = frameOffsets();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      for (int p = from; p < to; p++) {
        long i = order[p];
        byte[] frame = readFrame(ch, offsets, i);
        try (var in = new LineInput(new java.io.ByteArrayInputStream(frame), file, frame.length)) {
          BenchMolecule m = parseFrame(in);
          if (m == null) throw new IOException("extxyz frame " + i + " is empty in " + file);
          sink.accept(i, m);
        }
      }
    }
  }

  @Override
  public double readEnergy(long[] order, int from, int to) throws IOException {
    long[] offsets = frameOffsets();
    double sum = 0;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      for (int p = from; p < to; p++) {
        long i = order[p];
        sum += energyOf(commentLine(ch, offsets[(int) i], offsets[(int) i + 1]), i);
      }
    }
    return sum;
  }

  private void checkOpen() {
    if (closed) throw new IllegalStateException("store closed: " + id());
  }

  private synchronized long[] frameOffsets() throws IOException {
    checkOpen();
    if (frameOffsets == null) frameOffsets = scanFrames();
    return frameOffsets;
  }

  /** Offsets of every frame start plus the end of the file, found by reading atom-count lines. */
  private long[] scanFrames() throws IOException {
    long[] offsets = new long[1024];
    int n = 0;
    try (var in = new LineInput(Files.newInputStream(file), file)) {
      while (true) {
        long start = in.offset();
        String count = in.readLine();
        if (count == null || count.isBlank()) break;
        int atoms = parseAtomCount(count, in);
        if (n + 1 >= offsets.length) offsets = Arrays.copyOf(offsets, offsets.length * 2);
        offsets[n++] = start;
        for (int i = 0; i <= atoms; i++) {
          if (!in.skipLine()) throw in.error("file ends inside a frame");
        }
      }
      offsets[n] = in.offset();
    }
    return Arrays.copyOf(offsets, n + 1);
  }

  private byte[] readFrame(FileChannel ch, long[] offsets, long i) throws IOException {
    if (i < 0 || i >= offsets.length - 1) throw new IOException("extxyz has no frame " + i + " in " + file);
    long start = offsets[(int) i];
    long len = offsets[(int) i + 1] - start;
    if (len > Integer.MAX_VALUE - 16) throw new IOException("extxyz frame " + i + " too large in " + file);
    ByteBuffer buf = ByteBuffer.allocate((int) len);
    while (buf.hasRemaining()) {
      if (ch.read(buf, start + buf.position()) < 0) throw new IOException("extxyz file shrank: " + file);
    }
    return buf.array();
  }

  private String commentLine(FileChannel ch, long start, long end) throws IOException {
    int want = (int) Math.min(end - start, 4096);
    while (true) {
      ByteBuffer buf = ByteBuffer.allocate(want);
      while (buf.hasRemaining()) {
        if (ch.read(buf, start + buf.position()) < 0) break;
      }
      byte[] b = buf.array();
      int first = indexOf(b, 0, buf.position());
      int second = first < 0 ? -1 : indexOf(b, first + 1, buf.position());
      if (second >= 0) return new String(b, first + 1, second - first - 1, StandardCharsets.UTF_8);
      if (want >= end - start || want >= MAX_LINE) throw new IOException("extxyz frame at " + start + " has no comment line: " + file);
      want = (int) Math.min(end - start, want * 4L);
    }
  }

  private static int indexOf(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) if (b[i] == '\n') return i;
    return -1;
  }

  private double energyOf(String comment, long frame) throws IOException {
    String e = Comment.parse(comment).get("energy");
    if (e == null) return Double.NaN;
    try {
      return Double.parseDouble(e);
    } catch (NumberFormatException ex) {
      throw new IOException("extxyz frame " + frame + ": energy is not a number: " + e + " (" + file + ")");
    }
  }

  private static int parseAtomCount(String line, LineInput in) throws IOException {
    try {
      int n = Integer.parseInt(line.strip());
      if (n < 0 || n > PackedRecord.MAX_ATOMS) throw in.error("atom count out of range: " + n);
      return n;
    } catch (NumberFormatException e) {
      throw in.error("expected an atom count, found: " + line);
    }
  }

  /** Parses one frame; null at end of input. */
  private BenchMolecule parseFrame(LineInput in) throws IOException {
    String countLine = in.readLine();
    if (countLine == null || countLine.isBlank()) return null;
    int a = parseAtomCount(countLine, in);
    String comment = in.readLine();
    if (comment == null) throw in.error("file ends before the comment line");
    var info = Comment.parse(comment);
    String properties = info.getOrDefault("Properties", "species:S:1:pos:R:3");
    boolean hasForces = properties.contains(":forces:R:3");
    boolean hasCustom = properties.contains(":mulliken_charges:R:1");
    float[] pos = new float[a * 3];
    byte[] z = new byte[a];
    float[] forces = hasForces ? new float[a * 3] : null;
    double[] mulliken = hasCustom ? new double[a] : null;
    double[] hirshfeld = hasCustom ? new double[a] : null;
    int columns = 4 + (hasForces ? 3 : 0) + (hasCustom ? 2 : 0);
    String[] tok = new String[columns];
    for (int i = 0; i < a; i++) {
      String line = in.readLine();
      if (line == null) throw in.error("file ends inside a frame");
      if (split(line, tok) != columns) throw in.error("expected " + columns + " columns: " + line);
      int zi = ChemicalSymbols.number(tok[0]);
      if (zi < 0) throw in.error("unknown element symbol " + tok[0]);
      z[i] = (byte) zi;
      try {
        for (int c = 0; c < 3; c++) pos[i * 3 + c] = Float.parseFloat(tok[1 + c]);
        if (hasForces) for (int c = 0; c < 3; c++) forces[i * 3 + c] = Float.parseFloat(tok[4 + c]);
        if (hasCustom) {
          mulliken[i] = Double.parseDouble(tok[columns - 2]);
          hirshfeld[i] = Double.parseDouble(tok[columns - 1]);
        }
      } catch (NumberFormatException e) {
        throw in.error("not a number in: " + line);
      }
    }
    try {
      String e = info.get("energy");
      double energy = e == null ? Double.NaN : Double.parseDouble(e);
      BenchMolecule.CustomProps custom = null;
      if (hasCustom) {
        String[] ev = info.getOrDefault("eigenvalues", "").trim().split("\\s+");
        double[] eigen = new double[ev.length];
        for (int j = 0; j < ev.length; j++) eigen[j] = Double.parseDouble(ev[j]);
        custom = new BenchMolecule.CustomProps(Double.parseDouble(info.get("bandgap")),
            Double.parseDouble(info.get("formation_energy")), eigen, mulliken, hirshfeld);
      }
      return new BenchMolecule(pos, z, energy, forces, custom);
    } catch (NumberFormatException | NullPointerException e) {
      throw in.error("bad or missing value in comment line: " + comment);
    }
  }

  /** Splits on runs of spaces/tabs into {@code tok}; returns the number of fields (may exceed tok.length). */
  private static int split(String line, String[] tok) {
    int n = 0;
    int i = 0;
    int len = line.length();
    while (i < len) {
      while (i < len && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) i++;
      if (i >= len) break;
      int s = i;
      while (i < len && line.charAt(i) != ' ' && line.charAt(i) != '\t') i++;
      if (n < tok.length) tok[n] = line.substring(s, i);
      n++;
    }
    return n;
  }

  @Override
  public void close() throws IOException {
    if (closed) return;
    closed = true;
    if (out != null) out.close();
  }

  /** The extxyz comment line as key/value pairs; values may be double-quoted. */
  static final class Comment {
    private Comment() {}

    static java.util.Map<String, String> parse(String line) {
      var map = new java.util.HashMap<String, String>();
      int i = 0;
      int len = line.length();
      while (i < len) {
        while (i < len && Character.isWhitespace(line.charAt(i))) i++;
        int ks = i;
        while (i < len && line.charAt(i) != '=' && !Character.isWhitespace(line.charAt(i))) i++;
        String key = line.substring(ks, i);
        if (i >= len || line.charAt(i) != '=') {
          if (!key.isEmpty()) map.put(key, "T");
          continue;
        }
        i++;
        String value;
        if (i < len && line.charAt(i) == '"') {
          int end = line.indexOf('"', i + 1);
          if (end < 0) end = len;
          value = line.substring(i + 1, end);
          i = Math.min(len, end + 1);
        } else {
          int vs = i;
          while (i < len && !Character.isWhitespace(line.charAt(i))) i++;
          value = line.substring(vs, i);
        }
        map.put(key, value);
      }
      return map;
    }
  }

  /** Reads ASCII/UTF-8 lines while counting bytes and lines, for offsets and error messages. */
  private static final class LineInput implements AutoCloseable {
    private final InputStream in;
    private final Path file;
    private final byte[] buf;
    private int pos;
    private int lim;
    private long offset;
    private long line;
    private final StringBuilder sb = new StringBuilder(256);

    LineInput(InputStream in, Path file) {
      this(in, file, 1 << 16);
    }

    LineInput(InputStream in, Path file, int bufferSize) {
      this.in = in;
      this.file = file;
      this.buf = new byte[Math.max(1, bufferSize)];
    }

    long offset() { return offset; }

    IOException error(String problem) {
      return new IOException(file + ":" + line + ": " + problem);
    }

    private boolean fill() throws IOException {
      lim = in.read(buf);
      pos = 0;
      return lim > 0;
    }

    String readLine() throws IOException {
      sb.setLength(0);
      boolean any = false;
      while (true) {
        if (pos >= lim && !fill()) {
          if (!any) return null;
          line++;
          return sb.toString();
        }
        any = true;
        byte c = buf[pos++];
        offset++;
        if (c == '\n') {
          line++;
          int n = sb.length();
          if (n > 0 && sb.charAt(n - 1) == '\r') sb.setLength(n - 1);
          return sb.toString();
        }
        if (sb.length() >= MAX_LINE) throw error("line longer than " + MAX_LINE + " characters");
        sb.append((char) (c & 0xFF));
      }
    }

    boolean skipLine() throws IOException {
      boolean any = false;
      while (true) {
        if (pos >= lim && !fill()) {
          if (any) line++;
          return any;
        }
        any = true;
        for (int i = pos; i < lim; i++) {
          if (buf[i] == '\n') {
            offset += i + 1 - pos;
            pos = i + 1;
            line++;
            return true;
          }
        }
        offset += lim - pos;
        pos = lim;
      }
    }

    @Override
    public void close() throws IOException { in.close(); }
  }
}
