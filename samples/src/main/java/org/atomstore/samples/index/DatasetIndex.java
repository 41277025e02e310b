package org.atomstore.samples.index;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.atomstore.samples.SampleType;
import org.atomstore.samples.internal.PyJson;

/**
 * A team index of datasets and schemas with atdata's layout (its {@code IndexProvider}s): entries keyed by their
 * CID, schemas by name and version as the JSON of atdata's local schema record. Implementations: {@link
 * SqliteIndex} (a local file, atdata's {@code SqliteProvider} tables) and {@link RedisIndex} (atdata's
 * {@code RedisProvider} keys).
 *
 * <p>Thread contract: per implementation.
 */
public interface DatasetIndex extends AutoCloseable {

  /** The prefix of local schema references. */
  String SCHEMA_REF_PREFIX = "atdata://local/schema/";

  /** Stores a dataset entry (replacing one with the same CID); returns its CID. */
  String insert(DatasetEntry entry) throws IOException;

  /** The entry with that CID, or empty. */
  Optional<DatasetEntry> entryByCid(String cid) throws IOException;

  /** An entry with that name, or empty. */
  Optional<DatasetEntry> entryByName(String name) throws IOException;

  /** Every entry. */
  List<DatasetEntry> entries() throws IOException;

  /** Stores schema JSON under name and version, replacing any. */
  void putSchema(String name, String version, String schemaJson) throws IOException;

  /** The schema JSON stored under name and version, or empty. */
  Optional<String> schemaJson(String name, String version) throws IOException;

  /** Every stored schema as {@code name@version}. */
  List<String> schemaIds() throws IOException;

  /**
   * Stores the local schema record of {@code type} (createdAt now, as atdata does) unless one with its name and
   * version is there; returns the schema reference.
   */
  default String publishSchema(SampleType<?> type) throws IOException {
    if (schemaJson(type.name(), type.version()).isEmpty()) {
      String now = OffsetDateTime.now(ZoneOffset.UTC).toString();
      Map<String, Object> record = SchemaRecords.local(type, now);
      putSchema(type.name(), type.version(), PyJson.dumps(record));
    }
    return type.schemaRef();
  }

  /** The schema JSON a reference {@code atdata://local/schema/{name}@{version}} points at, or empty. */
  default Optional<String> schema(String ref) throws IOException {
    if (!ref.startsWith(SCHEMA_REF_PREFIX) || ref.lastIndexOf('@') <= SCHEMA_REF_PREFIX.length()) {
      throw new IllegalArgumentException("not a local schema reference: " + ref);
    }
    int at = ref.lastIndexOf('@');
    return schemaJson(ref.substring(SCHEMA_REF_PREFIX.length(), at), ref.substring(at + 1));
  }

  @Override
  void close() throws IOException;
}
