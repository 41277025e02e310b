package org.atomstore.samples.index;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.atomstore.samples.FieldType;
import org.atomstore.samples.SampleField;
import org.atomstore.samples.SampleType;

/**
 * The schema records atdata builds for a sample type: the local index's record ({@code
 * index._schema._build_schema_record}) and the ATProto record {@code science.alt.dataset.schema} ({@code
 * SchemaPublisher}), as ordered maps ready for JSON or {@link Cid}. Stateless, thread-safe.
 */
public final class SchemaRecords {
  /** The JSON Schema reference atdata writes for an NDArray field. */
  public static final String NDARRAY_REF = "https://alt.science/schemas/atdata-ndarray-bytes/1.0.0#/$defs/ndarray";

  private SchemaRecords() {}

  /** The local record: {@code name, version, fields, description, createdAt}. */
  public static Map<String, Object> local(SampleType<?> type, String createdAt) {
    var fields = new ArrayList<Object>();
    for (SampleField f : type.fields()) {
      var m = new LinkedHashMap<String, Object>();
      m.put("name", f.name());
      m.put("fieldType", localType(f.type()));
      m.put("optional", f.optional());
      fields.add(m);
    }
    var r = new LinkedHashMap<String, Object>();
    r.put("name", type.name());
    r.put("version", type.version());
    r.put("fields", fields);
    r.put("description", type.description());
    r.put("createdAt", createdAt);
    return r;
  }

  private static Map<String, Object> localType(FieldType t) {
    var m = new LinkedHashMap<String, Object>();
    switch (t) {
      case FieldType.Scalar s -> { m.put("$type", "local#primitive"); m.put("primitive", s.primitive().atdataName()); }
      // atdata records every bare NDArray as float32: the real dtype travels with each value.
      case FieldType.Array a -> { m.put("$type", "local#ndarray"); m.put("dtype", "float32"); }
      case FieldType.ListOf l -> { m.put("$type", "local#array"); m.put("items", localType(l.items())); }
    }
    return m;
  }

  /** The ATProto record {@code science.alt.dataset.schema} (JSON Schema form). */
  public static Map<String, Object> atmosphere(SampleType<?> type, String createdAt) {
    var props = new LinkedHashMap<String, Object>();
    List<String> required = new ArrayList<>();
    for (SampleField f : type.fields()) {
      props.put(f.name(), jsonSchema(f.type()));
      if (!f.optional()) required.add(f.name());
    }
    var schema = new LinkedHashMap<String, Object>();
    schema.put("$type", "science.alt.dataset.schema#jsonSchemaFormat");
    schema.put("$schema", "http://json-schema.org/draft-07/schema#");
    schema.put("type", "object");
    schema.put("properties", props);
    if (!required.isEmpty()) schema.put("required", required);
    if (type.fields().stream().anyMatch(f -> hasArray(f.type()))) schema.put("arrayFormatVersions", Map.of("ndarrayBytes", "1.0.0"));
    var r = new LinkedHashMap<String, Object>();
    r.put("$type", "science.alt.dataset.schema");
    r.put("name", type.name());
    r.put("version", type.version());
    if (type.description() != null) r.put("description", type.description());
    r.put("schemaType", "jsonSchema");
    r.put("schema", schema);
    r.put("atdataSchemaVersion", 1L);
    r.put("createdAt", createdAt);
    return r;
  }

  private static boolean hasArray(FieldType t) {
    return t instanceof FieldType.Array || t instanceof FieldType.ListOf l && hasArray(l.items());
  }

  private static Map<String, Object> jsonSchema(FieldType t) {
    var m = new LinkedHashMap<String, Object>();
    switch (t) {
      case FieldType.Scalar s -> {
        switch (s.primitive()) {
          case INT -> m.put("type", "integer");
          case FLOAT -> m.put("type", "number");
          case STR -> m.put("type", "string");
          case BOOL -> m.put("type", "boolean");
          case BYTES -> { m.put("type", "string"); m.put("format", "byte"); m.put("contentEncoding", "base64"); }
        }
      }
      case FieldType.Array a -> m.put("$ref", NDARRAY_REF);
      case FieldType.ListOf l -> { m.put("type", "array"); m.put("items", jsonSchema(l.items())); }
    }
    return m;
  }
}
