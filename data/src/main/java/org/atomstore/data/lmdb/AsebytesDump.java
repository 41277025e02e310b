package org.atomstore.data.lmdb;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.atomstore.data.BlobTable;
import org.atomstore.data.NumpyScalar;
import org.atomstore.data.internal.MsgpackCodec;
import org.atomstore.data.internal.MsgpackFormatException;
import org.atomstore.io.ase.ChemicalSymbols;
import org.atomstore.model.NdArray;

/**
 * Prints how Atomstore reads an asebytes LMDB store, in the {@code asebytes-expected/1} JSON layout of
 * {@code shared/compat/asebytes/README.md} (what the peers' {@code asebytes_dump.py} prints with the real
 * asebytes): every group with {@code len}, {@code rows} (the object rows, or base64 blob rows) and, for stores
 * whose keys are all in ASE's namespaces, {@code frames} (the rows as asebytes' {@code ASEIO} turns them into
 * Atoms); groups of more than 30000 atoms as a summary with digests and samples. The store is opened read-only
 * and nothing is written to it. Stateless.
 */
public final class AsebytesDump {

  public static final String SCHEMA = "asebytes-expected/1";
  /** Groups holding more atoms than this are summarized. */
  public static final int SUMMARY_ATOMS = 30000;
  private static final int COMPACT_ABOVE = 200_000;
  static final String DIGEST_DEFINITION = "SHA-256 (hex) of the concatenation, frame by frame in index order, of the raw "
      + "little-endian bytes of numbers as int64, positions as float64 row-major, cell as "
      + "float64 3x3 row-major (rows = lattice vectors), and (forces digest) forces as "
      + "float64 row-major for frames whose calculator has forces";

  private AsebytesDump() {}

  /** True for a directory named {@code *.lmdb} (an asebytes store; fairchem's {@code .aselmdb} is a file). */
  public static boolean handles(Path path) {
    return Files.isDirectory(path) && path.getFileName() != null
        && path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".lmdb");
  }

  /**
   * Writes the dump of {@code store}; {@code view} is {@code "atoms"}, {@code "object"}, {@code "blob"} or null
   * to guess it as the peer does (blob if a value is not one msgpack object or a name not UTF-8, else atoms when
   * every key is in ASE's namespaces, else object). Indented with one space, compact when over 200 kB.
   */
  public static void write(Path store, String view, Writer out) throws IOException {
    if (!Files.isDirectory(store)) throw new java.nio.file.NotDirectoryException(store + " (an asebytes LMDB store is a folder)");
    List<String> groups = AsebytesLmdb.listGroups(store);
    String v = view != null ? view : detectView(store, groups);
    if (!List.of("atoms", "object", "blob").contains(v)) throw new IllegalArgumentException("view must be atoms, object or blob: " + v);
    StringWriter text = new StringWriter();
    try (JsonGenerator g = generator(text, true)) {
      dump(store, groups, v, g);
    }
    if (text.getBuffer().length() > COMPACT_ABOVE / 4 && text.toString().getBytes(StandardCharsets.UTF_8).length > COMPACT_ABOVE) {
      text = new StringWriter();
      try (JsonGenerator g = generator(text, false)) {
        dump(store, groups, v, g);
      }
    }
    out.write(text.toString());
    out.write('\n');
    out.flush();
  }

  private static JsonGenerator generator(Writer out, boolean indent) throws IOException {
    JsonGenerator g = new JsonFactory().createGenerator(out);
    if (indent) {
      var indenter = new DefaultIndenter(" ", "\n");
      g.setPrettyPrinter(new DefaultPrettyPrinter().withObjectIndenter(indenter).withArrayIndenter(indenter)
          .withSeparators(com.fasterxml.jackson.core.util.Separators.createDefaultInstance()
              .withObjectFieldValueSpacing(com.fasterxml.jackson.core.util.Separators.Spacing.AFTER)));
    }
    g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    return g;
  }

  private static void dump(Path store, List<String> groups, String view, JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeStringField("schema", SCHEMA);
    g.writeStringField("file", store.getFileName().toString());
    g.writeStringField("view", view);
    g.writeObjectFieldStart("produced_by");
    g.writeStringField("atomstore", "org.atomstore.data.lmdb.AsebytesDump");
    g.writeStringField("reader", "lmdbjava + msgpack-core, read-only without lock file");
    g.writeEndObject();
    g.writeObjectFieldStart("groups");
    for (String group : groups) {
      g.writeFieldName(group);
      if (view.equals("blob")) dumpBlobs(store, group, g);
      else dumpObjects(store, group, view.equals("atoms"), g);
    }
    g.writeEndObject();
    g.writeEndObject();
  }

  static String detectView(Path store, List<String> groups) throws IOException {
    String view = "atoms";
    for (String group : groups) {
      try (LmdbBlobTable t = AsebytesLmdb.openBlobs(store, group, AsebytesLmdb.Mode.READ_ONLY)) {
        for (long i = 0; i < t.size(); i++) {
          List<BlobTable.Field> row = t.get(i);
          if (row == null) continue;
          for (BlobTable.Field f : row) {
            String key;
            try {
              MsgpackCodec.decode(f.value());
              key = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(f.key())).toString();
            } catch (MsgpackFormatException | java.nio.charset.CharacterCodingException e) {
              return "blob";
            }
            if (!isAseKey(key)) view = "object";
          }
        }
      }
    }
    return view;
  }

  static boolean isAseKey(String k) {
    return k.equals("cell") || k.equals("pbc") || k.equals("constraints") || k.startsWith("arrays.")
        || k.startsWith("info.") || k.startsWith("calc.");
  }

  private static void dumpBlobs(Path store, String group, JsonGenerator g) throws IOException {
    try (LmdbBlobTable t = AsebytesLmdb.openBlobs(store, group, AsebytesLmdb.Mode.READ_ONLY)) {
      long n = t.size();
      g.writeStartObject();
      g.writeNumberField("len", n);
      g.writeArrayFieldStart("rows");
      Base64.Encoder b64 = Base64.getEncoder();
      for (long i = 0; i < n; i++) {
        List<BlobTable.Field> row = t.get(i);
        if (row == null) {
          g.writeNull();
          continue;
        }
        g.writeStartObject();
        for (BlobTable.Field f : row) g.writeStringField(b64.encodeToString(f.key()), b64.encodeToString(f.value()));
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
  }

  private static void dumpObjects(Path store, String group, boolean atoms, JsonGenerator g) throws IOException {
    try (LmdbObjectTable t = AsebytesLmdb.openObjects(store, group, AsebytesLmdb.Mode.READ_ONLY)) {
      long n = t.size();
      long totalAtoms = 0;
      if (atoms) {
        for (Object numbers : t.column("arrays.numbers")) totalAtoms += numbers instanceof NdArray a ? lengthOf(a) : 0;
      }
      if (atoms && totalAtoms > SUMMARY_ATOMS) {
        summarize(t, n, totalAtoms, g);
        return;
      }
      g.writeStartObject();
      g.writeNumberField("len", n);
      List<Map<String, Object>> rows = new ArrayList<>();
      g.writeArrayFieldStart("rows");
      for (long i = 0; i < n; i++) {
        Map<String, Object> row = t.get(i);
        if (atoms) rows.add(row);
        writeRow(g, row);
      }
      g.writeEndArray();
      if (atoms) {
        g.writeArrayFieldStart("frames");
        for (Map<String, Object> row : rows) writeFrame(g, row);
        g.writeEndArray();
      }
      g.writeEndObject();
    }
  }

  /** len() of a NumPy array: its first dimension (1-element for a 0-d array's TypeError is not reachable here). */
  private static long lengthOf(NdArray a) { return a.shape().length == 0 ? 0 : a.shape()[0]; }

  static void writeRow(JsonGenerator g, Map<String, Object> row) throws IOException {
    if (row == null) {
      g.writeNull();
      return;
    }
    g.writeStartObject();
    for (var e : row.entrySet()) {
      g.writeFieldName(e.getKey());
      TypedJson.writeTyped(g, e.getValue());
    }
    g.writeEndObject();
  }

  /** FRAME of shared/testdata/README.md for the Atoms asebytes' ASEIO builds from {@code row} (null: placeholder). */
  static void writeFrame(JsonGenerator g, Map<String, Object> row) throws IOException {
    if (row == null) {
      g.writeNull();
      return;
    }
    Frame f = Frame.of(row);
    g.writeStartObject();
    g.writeNumberField("natoms", f.natoms());
    g.writeArrayFieldStart("symbols");
    for (long z : f.numbers()) g.writeString(ChemicalSymbols.symbol((int) z));
    g.writeEndArray();
    g.writeArrayFieldStart("numbers");
    for (long z : f.numbers()) g.writeNumber(z);
    g.writeEndArray();
    g.writeFieldName("positions");
    if (f.positionsArray() != null) {
      TypedJson.writeNested(g, f.positionsArray());
    } else {
      rows3(g, new double[f.natoms() * 3]);
    }
    g.writeFieldName("cell");
    rows3(g, f.cell());
    g.writeArrayFieldStart("pbc");
    for (boolean b : f.pbc()) g.writeBoolean(b);
    g.writeEndArray();
    g.writeObjectFieldStart("info");
    for (var e : row.entrySet()) {
      if (e.getKey().startsWith("info.")) {
        g.writeFieldName(e.getKey().substring(5));
        TypedJson.writeTyped(g, e.getValue());
      }
    }
    g.writeEndObject();
    g.writeObjectFieldStart("arrays");
    for (var e : row.entrySet()) {
      String k = e.getKey();
      if (k.startsWith("arrays.") && !k.equals("arrays.numbers") && !k.equals("arrays.positions")) {
        g.writeFieldName(k.substring(7));
        TypedJson.writeTyped(g, e.getValue());
      }
    }
    g.writeEndObject();
    g.writeFieldName("calc");
    if (!f.hasCalc()) {
      g.writeNull();
    } else {
      g.writeStartObject();
      g.writeStringField("name", "unknown");
      g.writeObjectFieldStart("results");
      for (var e : row.entrySet()) {
        if (e.getKey().startsWith("calc.")) {
          g.writeFieldName(e.getKey().substring(5));
          TypedJson.writeTyped(g, e.getValue());
        }
      }
      g.writeEndObject();
      g.writeEndObject();
    }
    g.writeArrayFieldStart("constraints");
    // ASE rebuilds each constraint with dict2constraint and prints todict(): for the FixConstraint classes
    // asebytes accepts, that is the stored dict again.
    if (row.get("constraints") instanceof List<?> cs) for (Object c : cs) TypedJson.writeTyped(g, c);
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void rows3(JsonGenerator g, double[] flat) throws IOException {
    g.writeStartArray();
    for (int i = 0; i + 2 < flat.length; i += 3) {
      g.writeStartArray();
      for (int k = 0; k < 3; k++) TypedJson.writeFloat(g, flat[i + k]);
      g.writeEndArray();
    }
    g.writeEndArray();
  }

  /** What ASEIO's dict_to_atoms makes of a row: numbers, positions, cell and pbc with their defaults. */
  record Frame(long[] numbers, NdArray positionsArray, double[] positions, double[] cell, boolean[] pbc, boolean hasCalc) {
    int natoms() { return positions.length / 3; }

    static Frame of(Map<String, Object> row) {
      long[] numbers = new long[0];
      if (row.get("arrays.numbers") instanceof NdArray a) {
        double[] d = TypedJson.doubles(a);
        numbers = new long[d.length];
        ByteBuffer buf = ByteBuffer.wrap(a.data()).order(a.order());
        for (int i = 0; i < numbers.length; i++) {
          numbers[i] = a.kind() == 'f' ? (long) d[i] : TypedJson.longAt(buf, i * a.itemSize(), a.itemSize(), a.kind() == 'u');
        }
      }
      NdArray pa = row.get("arrays.positions") instanceof NdArray p ? p : null;
      double[] positions = pa != null ? TypedJson.doubles(pa) : new double[numbers.length * 3];
      double[] cell = row.get("cell") instanceof NdArray c ? TypedJson.doubles(c) : new double[9];
      boolean[] pbc = new boolean[3];
      if (row.get("pbc") instanceof NdArray p) {
        double[] d = TypedJson.doubles(p);
        for (int i = 0; i < Math.min(3, d.length); i++) pbc[i] = d[i] != 0;
      }
      boolean calc = false;
      for (String k : row.keySet()) calc |= k.startsWith("calc.");
      return new Frame(numbers, pa, positions, cell, pbc, calc);
    }
  }

  // ------------------------------------------------------------------ summaries

  private static void summarize(LmdbObjectTable t, long n, long totalAtoms, JsonGenerator g) throws IOException {
    List<Object> natoms = new ArrayList<>(), formula = new ArrayList<>(), pbc = new ArrayList<>(), energy = new ArrayList<>(),
        forces = new ArrayList<>(), stress = new ArrayList<>();
    List<List<String>> keys = new ArrayList<>();
    MessageDigest hNumbers = sha256(), hPositions = sha256(), hCell = sha256(), hForces = sha256();
    for (long i = 0; i < n; i++) {
      Map<String, Object> row = t.get(i);
      keys.add(row == null ? List.of() : new ArrayList<>(row.keySet()));
      if (row == null) {
        for (List<Object> l : List.of(natoms, formula, pbc, energy, forces, stress)) l.add(null);
        continue;
      }
      Frame f = Frame.of(row);
      natoms.add(f.natoms());
      formula.add(hill(f.numbers()));
      pbc.add((f.pbc()[0] ? "T" : "F") + (f.pbc()[1] ? "T" : "F") + (f.pbc()[2] ? "T" : "F"));
      energy.add(row.containsKey("calc.energy") ? realOf(row.get("calc.energy")) : null);
      forces.add(row.containsKey("calc.forces"));
      stress.add(row.containsKey("calc.stress"));
      ByteBuffer b = ByteBuffer.allocate(f.numbers().length * 8).order(ByteOrder.LITTLE_ENDIAN);
      for (long z : f.numbers()) b.putLong(z);
      hNumbers.update(b.array());
      hPositions.update(le(f.positions()));
      hCell.update(le(f.cell()));
      if (row.get("calc.forces") instanceof NdArray fa) hForces.update(le(TypedJson.doubles(fa)));
    }
    g.writeStartObject();
    g.writeNumberField("len", n);
    g.writeBooleanField("summary_only", true);
    g.writeNumberField("total_atoms", totalAtoms);
    g.writeObjectFieldStart("per_row");
    writeList(g, "natoms", natoms);
    writeList(g, "formula", formula);
    writeList(g, "pbc", pbc);
    writeList(g, "energy", energy);
    writeList(g, "has_forces", forces);
    writeList(g, "has_stress", stress);
    g.writeArrayFieldStart("keys");
    for (List<String> ks : keys) {
      g.writeStartArray();
      for (String k : ks) g.writeString(k);
      g.writeEndArray();
    }
    g.writeEndArray();
    g.writeEndObject();
    g.writeObjectFieldStart("digests");
    g.writeStringField("numbers", HexFormat.of().formatHex(hNumbers.digest()));
    g.writeStringField("positions", HexFormat.of().formatHex(hPositions.digest()));
    g.writeStringField("cell", HexFormat.of().formatHex(hCell.digest()));
    g.writeStringField("forces", HexFormat.of().formatHex(hForces.digest()));
    g.writeEndObject();
    g.writeStringField("digest_definition", DIGEST_DEFINITION);
    List<Long> sample = sampleIndices(n);
    g.writeObjectFieldStart("rows_sample");
    for (long i : sample) {
      g.writeFieldName(Long.toString(i));
      writeRow(g, t.get(i));
    }
    g.writeEndObject();
    g.writeObjectFieldStart("frames_sample");
    for (long i : sample) {
      g.writeFieldName(Long.toString(i));
      writeFrame(g, t.get(i));
    }
    g.writeEndObject();
    g.writeEndObject();
  }

  private static void writeList(JsonGenerator g, String name, List<Object> values) throws IOException {
    g.writeArrayFieldStart(name);
    for (Object v : values) {
      switch (v) {
        case null -> g.writeNull();
        case Integer i -> g.writeNumber(i);
        case Boolean b -> g.writeBoolean(b);
        case Double d -> TypedJson.writeFloat(g, d);
        default -> g.writeString(v.toString());
      }
    }
    g.writeEndArray();
  }

  private static Double realOf(Object v) {
    return switch (v) {
      case Double d -> d;
      case Long l -> (double) l;
      case NumpyScalar s when s.asArray().kind() == 'f' || s.asArray().kind() == 'i' || s.asArray().kind() == 'u' ->
          TypedJson.doubles(s.asArray())[0];
      default -> null;
    };
  }

  /** About every 5% of n, plus the last index (peerjson.sample_indices). */
  static List<Long> sampleIndices(long n) {
    List<Long> out = new ArrayList<>();
    if (n == 0) return out;
    long step = Math.max(1, n / 20);
    for (long i = 0; i < n; i += step) out.add(i);
    if (out.getLast() != n - 1) out.add(n - 1);
    return out;
  }

  /** ASE's Hill formula ({@code Formula.format('hill')}): C, then H, then the rest alphabetically; counts of 1 unwritten. */
  static String hill(long[] numbers) {
    TreeMap<String, Integer> count = new TreeMap<>();
    for (long z : numbers) count.merge(ChemicalSymbols.symbol((int) z), 1, Integer::sum);
    StringBuilder sb = new StringBuilder();
    for (String s : new String[] {"C", "H"}) {
      Integer c = count.remove(s);
      if (c != null) sb.append(s).append(c == 1 ? "" : c.toString());
    }
    count.forEach((s, c) -> sb.append(s).append(c == 1 ? "" : c.toString()));
    return sb.toString();
  }

  private static byte[] le(double[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (double d : v) b.putDouble(d);
    return b.array();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
