package org.atomstore.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.atomstore.model.Molecule;
import org.atomstore.model.TypeTag;
import org.atomstore.model.Value;

/** The Atompack 0.4.0 golden files in ../shared and a decoder of their JSON dumps into Molecules. */
final class Golden {
  static final ObjectMapper JSON = new ObjectMapper();

  static Path dir() {
    return Path.of(System.getProperty("atomstore.shared", "../shared")).resolve("compat/atompack-0.4.0");
  }

  static List<Path> atpFiles() throws IOException {
    try (Stream<Path> s = Files.list(dir())) {
      return s.filter(p -> p.toString().endsWith(".atp")).sorted().toList();
    }
  }

  static JsonNode dump(Path atp) throws IOException {
    return JSON.readTree(atp.resolveSibling(atp.getFileName() + ".json").toFile());
  }

  static List<Molecule> molecules(JsonNode dump) {
    List<Molecule> out = new ArrayList<>();
    for (JsonNode m : dump.get("molecules")) out.add(molecule(m));
    return out;
  }

  static Molecule molecule(JsonNode m) {
    JsonNode b = m.get("builtins");
    JsonNode zs = b.get("atomic_numbers").get("values");
    byte[] z = new byte[zs.size()];
    for (int i = 0; i < z.length; i++) z[i] = (byte) zs.get(i).asInt();
    Molecule mol = Molecule.create(value(b.get("positions")), z);
    for (Iterator<Map.Entry<String, JsonNode>> it = b.fields(); it.hasNext(); ) {
      var e = it.next();
      Value v = e.getKey().equals("atomic_numbers") ? null : value(e.getValue());
      switch (e.getKey()) {
        case "charges" -> mol.charges(v);
        case "cell" -> mol.cell(v);
        case "energy" -> mol.energy(v);
        case "forces" -> mol.forces(v);
        case "name" -> mol.name(((Value.Text) v).value());
        case "pbc" -> mol.pbc((Value.Bool3) v);
        case "stress" -> mol.stress(v);
        case "velocities" -> mol.velocities(v);
        default -> { }
      }
    }
    m.get("atom_properties").fields().forEachRemaining(e -> mol.atomProperty(e.getKey(), value(e.getValue())));
    m.get("properties").fields().forEachRemaining(e -> mol.property(e.getKey(), value(e.getValue())));
    return mol;
  }

  static Value value(JsonNode f) {
    int tag = f.get("type_tag").asInt();
    JsonNode vs = f.has("values") ? f.get("values") : null;
    JsonNode v = f.get("value");
    int[] shape = new int[f.get("shape").size()];
    for (int i = 0; i < shape.length; i++) shape[i] = f.get("shape").get(i).asInt();
    return switch (tag) {
      case TypeTag.FLOAT64 -> new Value.Float64(d(v));
      case TypeTag.INT64 -> new Value.Int64(v.asLong());
      case TypeTag.STRING -> new Value.Text(v.asText());
      case TypeTag.F64_ARRAY -> new Value.Float64Array(doubles(vs));
      case TypeTag.VEC3_F32 -> new Value.Vec3Float32(floats(vs));
      case TypeTag.I64_ARRAY -> new Value.Int64Array(longs(vs));
      case TypeTag.F32_ARRAY -> new Value.Float32Array(floats(vs));
      case TypeTag.VEC3_F64 -> new Value.Vec3Float64(doubles(vs));
      case TypeTag.I32_ARRAY -> new Value.Int32Array(ints(vs));
      case TypeTag.BOOL3 -> new Value.Bool3(vs.get(0).asBoolean(), vs.get(1).asBoolean(), vs.get(2).asBoolean());
      case TypeTag.MAT3_F64 -> new Value.Mat3Float64(doubles(vs));
      case TypeTag.FLOAT32 -> new Value.Float32(f(v));
      case TypeTag.MAT3_F32 -> new Value.Mat3Float32(floats(vs));
      case TypeTag.NONE -> Value.Null.INSTANCE;
      case TypeTag.TENSOR_F32 -> new Value.TensorFloat32(shape, vs == null ? new float[] {f(v)} : floats(vs));
      case TypeTag.TENSOR_F64 -> new Value.TensorFloat64(shape, vs == null ? new double[] {d(v)} : doubles(vs));
      case TypeTag.TENSOR_I32 -> new Value.TensorInt32(shape, vs == null ? new int[] {v.asInt()} : ints(vs));
      case TypeTag.TENSOR_I64 -> new Value.TensorInt64(shape, vs == null ? new long[] {v.asLong()} : longs(vs));
      default -> throw new IllegalArgumentException("tag " + tag);
    };
  }

  static double d(JsonNode n) {
    return n.isTextual() ? Double.parseDouble(n.asText()) : n.asDouble();
  }

  /**
   * A float32 written as its shortest decimal: the float whose own shortest decimal is that number
   * (going through the double alone could round twice).
   */
  static float f(JsonNode n) {
    double d = d(n);
    float c = (float) d;
    if (!Float.isFinite(c) || c == 0) return c;
    java.math.BigDecimal text = new java.math.BigDecimal(Double.toString(d));
    for (float x : new float[] {c, Math.nextDown(c), Math.nextUp(c)}) {
      if (Float.isFinite(x) && new java.math.BigDecimal(Float.toString(x)).compareTo(text) == 0) return x;
    }
    return c;
  }

  static double[] doubles(JsonNode a) {
    double[] o = new double[a.size()];
    for (int i = 0; i < o.length; i++) o[i] = dz(a.get(i));
    return o;
  }

  private static double dz(JsonNode n) {
    double x = d(n);
    return x;
  }

  static float[] floats(JsonNode a) {
    float[] o = new float[a.size()];
    for (int i = 0; i < o.length; i++) o[i] = f(a.get(i));
    return o;
  }

  static int[] ints(JsonNode a) {
    int[] o = new int[a.size()];
    for (int i = 0; i < o.length; i++) o[i] = a.get(i).asInt();
    return o;
  }

  static long[] longs(JsonNode a) {
    long[] o = new long[a.size()];
    for (int i = 0; i < o.length; i++) o[i] = a.get(i).asLong();
    return o;
  }
}
