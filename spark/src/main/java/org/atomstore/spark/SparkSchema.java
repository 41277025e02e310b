package org.atomstore.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.atomstore.dataset.ShardedDataset;
import org.atomstore.model.BuiltinField;
import org.atomstore.model.Molecule;
import org.atomstore.model.TypeTag;
import org.atomstore.model.Value;
import org.atomstore.store.AtpReader;
import org.atomstore.store.FileSchema;

/**
 * The columns of an {@code .atp} dataset as Spark sees it: {@code __index__} (the global row index), then
 * {@code positions} (rows of three floats or doubles, as the file stores them), {@code atomic_numbers} (ints),
 * the builtins the dataset holds in Atompack's section order, then custom per-atom and per-molecule properties
 * sorted by key. Each column's metadata carries its scope and type tag ({@code atp.scope}, {@code atp.tag}), so
 * a DataFrame read from a dataset writes back the same types.
 */
final class SparkSchema {
  private SparkSchema() {}

  static final String INDEX = "__index__";
  static final String SCOPE = "atp.scope";
  static final String TAG = "atp.tag";

  /** Where a column's values live in a record. */
  enum Scope { INDEX, POSITIONS, NUMBERS, BUILTIN, ATOM, MOLECULE }

  /** One column: name, scope, type tag (-1 for index and atomic numbers). */
  record Column(String name, Scope scope, int tag) {
    DataType type() {
      return switch (scope) {
        case INDEX -> DataTypes.LongType;
        case NUMBERS -> DataTypes.createArrayType(DataTypes.IntegerType, false);
        default -> SparkValues.type(tag);
      };
    }

    StructField field() {
      Metadata m = new MetadataBuilder().putString(SCOPE, scope.name().toLowerCase(java.util.Locale.ROOT)).putLong(TAG, tag).build();
      return new StructField(name, type(), scope != Scope.INDEX, m);
    }
  }

  static StructType struct(List<Column> columns) {
    return new StructType(columns.stream().map(Column::field).toArray(StructField[]::new));
  }

  /** The columns of a dataset: from every shard's schema, or from a shard's first record where it has none. */
  static List<Column> of(ShardedDataset ds) throws IOException {
    int positionsType = -1;
    Map<String, Integer> builtins = new TreeMap<>();
    Map<String, Integer> atom = new TreeMap<>();
    Map<String, Integer> molecule = new TreeMap<>();
    for (int s = 0; s < ds.shardCount(); s++) {
      AtpReader r = ds.shard(s);
      if (r.size() == 0) continue;
      var schema = r.fileSchema();
      if (schema.isPresent() && !schema.get().isEmpty()) {
        FileSchema fs = schema.get();
        if (fs.positionsType() >= 0) positionsType = merge("positions", positionsType, fs.positionsType(), ds);
        for (FileSchema.Field f : fs.fields()) {
          Map<String, Integer> into = switch (f.kind()) {
            case FileSchema.KIND_BUILTIN -> builtins;
            case FileSchema.KIND_ATOM_PROPERTY -> atom;
            default -> molecule;
          };
          put(into, f.key(), f.typeTag(), ds);
        }
      } else {
        Molecule m = r.get(0);
        positionsType = merge("positions", positionsType, m.positions().typeTag(), ds);
        for (BuiltinField b : BuiltinField.SECTIONS) {
          Value v = builtin(m, b);
          if (v != null) put(builtins, b.key(), v.typeTag(), ds);
        }
        m.atomProperties().forEach((k, v) -> put(atom, k, v.typeTag(), ds));
        m.properties().forEach((k, v) -> put(molecule, k, v.typeTag(), ds));
      }
    }
    List<Column> out = new ArrayList<>();
    out.add(new Column(INDEX, Scope.INDEX, -1));
    out.add(new Column("positions", Scope.POSITIONS, positionsType < 0 ? TypeTag.VEC3_F32 : positionsType));
    out.add(new Column("atomic_numbers", Scope.NUMBERS, -1));
    for (BuiltinField b : BuiltinField.SECTIONS) {
      Integer tag = builtins.get(b.key());
      if (tag != null) out.add(new Column(b.key(), Scope.BUILTIN, tag));
    }
    Map<String, Column> byName = new LinkedHashMap<>();
    for (Column c : out) byName.put(c.name(), c);
    atom.forEach((k, t) -> add(byName, new Column(k, Scope.ATOM, t), ds));
    molecule.forEach((k, t) -> add(byName, new Column(k, Scope.MOLECULE, t), ds));
    return List.copyOf(byName.values());
  }

  private static void add(Map<String, Column> byName, Column c, ShardedDataset ds) {
    Column old = byName.putIfAbsent(c.name(), c);
    if (old != null) {
      throw new IllegalArgumentException(ds.source() + ": the key '" + c.name() + "' is both a " + old.scope()
          .name().toLowerCase(java.util.Locale.ROOT) + " and a " + c.scope().name().toLowerCase(java.util.Locale.ROOT)
          + " field; one column cannot hold both");
    }
  }

  private static int merge(String key, int old, int tag, ShardedDataset ds) {
    if (old >= 0 && old != tag) {
      throw new IllegalArgumentException(ds.source() + ": shards store '" + key + "' with type tags " + old + " and " + tag
          + "; a DataFrame column has one type");
    }
    return tag;
  }

  private static void put(Map<String, Integer> into, String key, int tag, ShardedDataset ds) {
    if (tag == TypeTag.NONE) return;
    Integer old = into.get(key);
    into.put(key, merge(key, old == null ? -1 : old, tag, ds));
  }

  static Value builtin(Molecule m, BuiltinField b) {
    return switch (b) {
      case CHARGES -> m.charges();
      case CELL -> m.cell();
      case ENERGY -> m.energy();
      case FORCES -> m.forces();
      case NAME -> m.name() == null ? null : new Value.Text(m.name());
      case PBC -> m.pbc();
      case STRESS -> m.stress();
      case VELOCITIES -> m.velocities();
      default -> throw new IllegalArgumentException(b + " is not a section");
    };
  }

  /**
   * The columns a DataFrame writes: from each field's metadata where it carries a scope and tag (it was read
   * from a dataset), else from its Spark type: builtin names are builtins, cell and stress 3x3; other arrays whose
   * length is the atom count are per-atom properties (decided per record by the writer), the rest per molecule.
   */
  static List<Column> fromStruct(StructType struct) {
    List<Column> out = new ArrayList<>();
    for (StructField f : struct.fields()) {
      Metadata m = f.metadata();
      if (m.contains(SCOPE) && m.contains(TAG)) {
        Scope scope = Scope.valueOf(m.getString(SCOPE).toUpperCase(java.util.Locale.ROOT));
        out.add(new Column(f.name(), scope, (int) m.getLong(TAG)));
        continue;
      }
      if (f.name().equals(INDEX)) {
        out.add(new Column(INDEX, Scope.INDEX, -1));
      } else if (f.name().equals("positions")) {
        out.add(new Column("positions", Scope.POSITIONS, SparkValues.tagOf(f.dataType())));
      } else if (f.name().equals("atomic_numbers")) {
        out.add(new Column("atomic_numbers", Scope.NUMBERS, -1));
      } else if (BuiltinField.section(f.name()) != null) {
        int tag = SparkValues.tagOf(f.dataType());
        if (f.name().equals("cell") || f.name().equals("stress")) {
          tag = tag == TypeTag.VEC3_F32 ? TypeTag.MAT3_F32 : TypeTag.MAT3_F64;
        }
        if (f.name().equals("name")) tag = TypeTag.STRING;
        out.add(new Column(f.name(), Scope.BUILTIN, tag));
      } else {
        out.add(new Column(f.name(), Scope.MOLECULE, SparkValues.tagOf(f.dataType())));
      }
    }
    return out;
  }
}
