package org.atomstore.cli.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import com.fasterxml.jackson.databind.util.RawValue;
import java.util.Map;
import java.util.TreeMap;
import org.atomstore.model.BuiltinField;
import org.atomstore.model.Molecule;
import org.atomstore.model.TypeTag;
import org.atomstore.model.Value;
import org.atomstore.store.AtpFile;
import org.atomstore.store.AtpReader;
import org.atomstore.store.FileSchema;

/**
 * The canonical JSON description of an {@code .atp} file, with the keys, nesting and value encodings of
 * the Atompack golden dumps ({@code header}, {@code schema}, {@code molecules}); objects have their keys
 * in UTF-8 byte order.
 */
public final class AtpJson {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private AtpJson() {}

  /**
   * Writes the description of a file as {@link #describe} gives it, one molecule at a time, so that files of any
   * size can be dumped in constant memory.
   */
  public static void write(AtpFile r, java.io.Writer out, com.fasterxml.jackson.databind.ObjectMapper mapper) throws IOException {
    try (com.fasterxml.jackson.core.JsonGenerator g = mapper.getFactory().createGenerator(out)) {
      g.disable(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      g.writeFieldName("header");
      mapper.writeTree(g, header(r));
      g.writeArrayFieldStart("molecules");
      for (long i = 0; i < r.size(); i++) mapper.writeTree(g, molecule(r, i));
      g.writeEndArray();
      g.writeFieldName("schema");
      mapper.writeTree(g, schema(r));
      g.writeEndObject();
    }
  }

  public static ObjectNode describe(AtpFile r) throws IOException {
    ObjectNode root = F.objectNode();
    root.set("header", header(r));
    ArrayNode mols = root.putArray("molecules");
    for (long i = 0; i < r.size(); i++) mols.add(molecule(r, i));
    root.set("schema", schema(r));
    return root;
  }

  public static ObjectNode header(AtpFile r) {
    ObjectNode h = F.objectNode();
    h.put("compression", r.compression().kindName());
    h.put("compression_level", r.compression().level());
    h.put("num_molecules", r.size());
    int pt = r.fileSchema().map(FileSchema::positionsType).orElse(-1);
    h.put("positions_dtype", pt == TypeTag.VEC3_F64 ? "float64" : "float32");
    if (pt < 0) h.putNull("positions_type_tag"); else h.put("positions_type_tag", pt);
    h.put("record_format", r.recordFormat());
    return h;
  }

  public static JsonNode schema(AtpFile r) {
    FileSchema s = r.fileSchema().orElse(null);
    if (s == null) return F.nullNode();
    ObjectNode o = F.objectNode();
    int pt = s.positionsType();
    o.put("positions_dtype", pt == TypeTag.VEC3_F64 ? "float64" : pt < 0 ? null : "float32");
    if (pt < 0) o.putNull("positions_type_tag"); else o.put("positions_type_tag", pt);
    ArrayNode sections = o.putArray("sections");
    for (FileSchema.Field e : s.fields()) {
      ObjectNode x = sections.addObject();
      x.put("elem_bytes", e.elemBytes());
      x.put("key", e.key());
      x.put("kind", e.kind());
      x.put("kind_name", e.kindName());
      x.put("per_atom", e.perAtom());
      x.put("slot_bytes", e.slotBytes());
      x.put("type_tag", e.typeTag());
    }
    return o;
  }

  public static ObjectNode molecule(AtpFile r, long i) throws IOException {
    Molecule m = r.get(i);
    AtpReader.IndexEntry e = r.indexEntry(i);
    ObjectNode o = F.objectNode();
    o.set("atom_properties", props(m.atomProperties()));
    TreeMap<String, ObjectNode> builtins = new TreeMap<>();
    ObjectNode z = field("uint8", new int[] {m.atomCount()}, -1);
    ArrayNode zv = z.putArray("values");
    for (int a = 0; a < m.atomCount(); a++) zv.add(m.atomicNumber(a));
    builtins.put(BuiltinField.ATOMIC_NUMBERS.key(), z);
    builtins.put(BuiltinField.POSITIONS.key(), value(m.positions()));
    m.builtins().forEach((k, v) -> builtins.put(k, value(v)));
    ObjectNode b = o.putObject("builtins");
    builtins.forEach(b::set);
    o.put("index", i);
    ObjectNode ie = o.putObject("index_entry");
    ie.put("compressed_size", e.compressedSize());
    ie.put("num_atoms", e.atomCount());
    ie.put("offset", e.offset());
    ie.put("uncompressed_size", e.uncompressedSize());
    o.put("n_atoms", m.atomCount());
    o.set("properties", props(m.properties()));
    return o;
  }

  /** A molecule of any table, in the layout of {@link #molecule(AtpReader, long)} without the index entry. */
  public static ObjectNode molecule(Molecule m, long i) {
    ObjectNode o = F.objectNode();
    o.set("atom_properties", props(m.atomProperties()));
    TreeMap<String, ObjectNode> builtins = new TreeMap<>();
    ObjectNode z = field("uint8", new int[] {m.atomCount()}, -1);
    ArrayNode zv = z.putArray("values");
    for (int a = 0; a < m.atomCount(); a++) zv.add(m.atomicNumber(a));
    builtins.put(BuiltinField.ATOMIC_NUMBERS.key(), z);
    builtins.put(BuiltinField.POSITIONS.key(), value(m.positions()));
    m.builtins().forEach((k, v) -> builtins.put(k, value(v)));
    ObjectNode b = o.putObject("builtins");
    builtins.forEach(b::set);
    o.put("index", i);
    o.put("n_atoms", m.atomCount());
    o.set("properties", props(m.properties()));
    return o;
  }

  private static ObjectNode props(Map<String, Value> props) {
    ObjectNode o = F.objectNode();
    props.forEach((k, v) -> o.set(k, value(v)));
    return o;
  }

  private static ObjectNode field(String dtype, int[] shape, int tag) {
    ObjectNode o = F.objectNode();
    o.put("dtype", dtype);
    ArrayNode s = o.putArray("shape");
    for (int d : shape) s.add(d);
    if (tag < 0) o.putNull("type_tag"); else o.put("type_tag", tag);
    return o;
  }

  /** One field: dtype, shape, type_tag and value (shape []) or values (flattened). */
  public static ObjectNode value(Value v) {
    ObjectNode o = field(TypeTag.dtype(v.typeTag()), v.shape(), v.typeTag());
    boolean scalar = v.shape().length == 0;
    switch (v) {
      case Value.Null x -> o.putNull("value");
      case Value.Text t -> o.put("value", t.value());
      case Value.Float64 x -> o.set("value", num(x.value()));
      case Value.Float32 x -> o.set("value", num(x.value()));
      case Value.Int64 x -> o.put("value", x.value());
      case Value.Bool3 x -> o.putArray("values").add(x.a()).add(x.b()).add(x.c());
      case Value.Int64Array a -> longs(o, scalar, a.values());
      case Value.TensorInt64 a -> longs(o, scalar, a.values());
      case Value.Int32Array a -> ints(o, scalar, a.values());
      case Value.TensorInt32 a -> ints(o, scalar, a.values());
      case Value.Float64Array a -> doubles(o, scalar, a.values());
      case Value.Vec3Float64 a -> doubles(o, scalar, a.values());
      case Value.Mat3Float64 a -> doubles(o, scalar, a.values());
      case Value.TensorFloat64 a -> doubles(o, scalar, a.values());
      case Value.Float32Array a -> floats(o, scalar, a.values());
      case Value.Vec3Float32 a -> floats(o, scalar, a.values());
      case Value.Mat3Float32 a -> floats(o, scalar, a.values());
      case Value.TensorFloat32 a -> floats(o, scalar, a.values());
    }
    return o;
  }

  private static void longs(ObjectNode o, boolean scalar, long[] a) {
    if (scalar) o.put("value", a[0]);
    else { ArrayNode n = o.putArray("values"); for (long x : a) n.add(x); }
  }

  private static void ints(ObjectNode o, boolean scalar, int[] a) {
    if (scalar) o.put("value", a[0]);
    else { ArrayNode n = o.putArray("values"); for (int x : a) n.add(x); }
  }

  private static void doubles(ObjectNode o, boolean scalar, double[] a) {
    if (scalar) o.set("value", num(a[0]));
    else { ArrayNode n = o.putArray("values"); for (double x : a) n.add(num(x)); }
  }

  private static void floats(ObjectNode o, boolean scalar, float[] a) {
    if (scalar) o.set("value", num(a[0]));
    else { ArrayNode n = o.putArray("values"); for (float x : a) n.add(num(x)); }
  }

  /** A float as the dumps print it: a number in repr layout, or a string for non-finite values. */
  public static JsonNode num(double d) {
    if (Double.isNaN(d)) return F.textNode("NaN");
    if (Double.isInfinite(d)) return F.textNode(d > 0 ? "Infinity" : "-Infinity");
    return F.rawValueNode(new RawValue(PyFloats.format(d)));
  }

  public static JsonNode num(float f) {
    if (Float.isNaN(f)) return F.textNode("NaN");
    if (Float.isInfinite(f)) return F.textNode(f > 0 ? "Infinity" : "-Infinity");
    return F.rawValueNode(new RawValue(PyFloats.format(f)));
  }
}
