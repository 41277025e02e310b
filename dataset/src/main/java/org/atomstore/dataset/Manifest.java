package org.atomstore.dataset;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.atomstore.store.CorruptFileException;

/**
 * The {@code manifest.json} of a sharded dataset: every shard's path (relative, {@code /}-separated),
 * molecule count, byte size and SHA-256, the total count and a summary of the fields the shards hold.
 * Shards are listed in dataset order: global indices run through them one after the other.
 *
 * <pre>
 * {"format": "atomstore-manifest/1", "total_molecules": 10,
 *  "shards": [{"path": "shard-000000.atp", "molecules": 10, "bytes": 9000, "sha256": "ab12..."}],
 *  "schema": [{"scope": "builtin", "key": "energy", "type_tags": [0], "molecules": 10}]}
 * </pre>
 */
@JsonPropertyOrder({"format", "total_molecules", "shards", "schema"})
public record Manifest(
    @JsonProperty("format") String format,
    @JsonProperty("total_molecules") long totalMolecules,
    @JsonProperty("shards") List<Shard> shards,
    @JsonProperty("schema") @JsonInclude(JsonInclude.Include.NON_NULL) List<SchemaField> schema) {

  public static final String FILE_NAME = "manifest.json";
  public static final String FORMAT = "atomstore-manifest/1";
  /** About 3,000 bytes per shard for a million shards; anything bigger is not a manifest we wrote. */
  static final long MAX_BYTES = 3L << 30;

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** One shard as the manifest records it. */
  @JsonPropertyOrder({"path", "molecules", "bytes", "sha256"})
  public record Shard(
      @JsonProperty("path") String path,
      @JsonProperty("molecules") long molecules,
      @JsonProperty("bytes") long bytes,
      @JsonProperty("sha256") String sha256) {}

  /** A field some shards hold: scope {@code positions}, {@code builtin}, {@code atom} or {@code molecule}. */
  @JsonPropertyOrder({"scope", "key", "type_tags", "molecules"})
  public record SchemaField(
      @JsonProperty("scope") String scope,
      @JsonProperty("key") String key,
      @JsonProperty("type_tags") List<Integer> typeTags,
      @JsonProperty("molecules") long molecules) {}

  public Manifest {
    shards = shards == null ? null : List.copyOf(shards);
    schema = schema == null ? null : List.copyOf(schema);
  }

  public static Manifest of(List<Shard> shards, List<SchemaField> schema) {
    long total = 0;
    for (Shard s : shards) total += s.molecules();
    return new Manifest(FORMAT, total, shards, schema);
  }

  /**
   * Reads and checks a manifest: known format, sane counts and sizes, 64-hex-digit hashes, unique shard
   * paths that stay inside {@code file}'s directory, and a total equal to the sum of the counts.
   */
  public static Manifest read(Path file) throws IOException {
    long size = Files.size(file);
    if (size > MAX_BYTES) {
      throw new CorruptFileException(file, -1, "manifest is " + size + " bytes, more than the limit of " + MAX_BYTES);
    }
    Manifest m;
    try (InputStream in = Files.newInputStream(file)) {
      m = JSON.readValue(in, Manifest.class);
    } catch (JsonProcessingException e) {
      throw malformed(new Named(file, null), e);
    }
    if (m == null) throw new CorruptFileException(file, 0, "manifest is empty");
    m.check(new Named(file, null), file.toAbsolutePath().getParent());
    return m;
  }

  /**
   * Reads and checks a manifest fetched from {@code source} (an address): the checks of {@link #read(Path)},
   * shard paths checked by their spelling (relative, no {@code ..}), errors naming {@code source}.
   */
  public static Manifest parse(byte[] bytes, String source) throws CorruptFileException {
    Named named = new Named(null, source);
    if (bytes.length > MAX_BYTES) throw named.corrupt(-1, "manifest is " + bytes.length + " bytes, more than the limit of " + MAX_BYTES);
    Manifest m;
    try {
      m = JSON.readValue(bytes, Manifest.class);
    } catch (JsonProcessingException e) {
      throw malformed(named, e);
    } catch (IOException e) {
      throw named.corrupt(-1, "unreadable manifest: " + e.getMessage());
    }
    if (m == null) throw named.corrupt(0, "manifest is empty");
    m.check(named, null);
    return m;
  }

  /**
   * Whether a {@code manifest.json} is Atompack's ({@code output_files} and no {@code format}; see
   * {@link AtompackManifest}) rather than Atomstore's; anything else is read as Atomstore's, with its errors.
   */
  public static boolean isAtompack(byte[] bytes) {
    try {
      var tree = JSON.readTree(bytes);
      return tree != null && tree.isObject() && tree.has("output_files") && !tree.has("format");
    } catch (IOException e) {
      return false;
    }
  }

  /** The file or address that errors name. */
  record Named(Path file, String source) {
    CorruptFileException corrupt(long offset, String problem) {
      return file != null ? new CorruptFileException(file, offset, problem) : new CorruptFileException(source, offset, problem);
    }

    CorruptFileException corrupt(long offset, String problem, Throwable cause) {
      return file != null ? new CorruptFileException(file, offset, problem, cause) : new CorruptFileException(source, offset, problem, cause);
    }
  }

  private static CorruptFileException malformed(Named named, JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    long offset = at == null ? -1 : at.getByteOffset();
    String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    return named.corrupt(offset, "malformed manifest" + where + ": " + e.getOriginalMessage(), e);
  }

  private void check(Named file, Path root) throws CorruptFileException {
    if (!FORMAT.equals(format)) {
      throw file.corrupt(-1, "unknown manifest format '" + format + "', expected '" + FORMAT + "'");
    }
    if (shards == null) throw file.corrupt(-1, "manifest has no shards list");
    Set<String> seen = new HashSet<>();
    long sum = 0;
    for (int i = 0; i < shards.size(); i++) {
      Shard s = shards.get(i);
      if (s == null || s.path() == null || s.sha256() == null) {
        throw file.corrupt(-1, "shard " + i + " lacks path or sha256");
      }
      if (root != null) {
        ShardPaths.resolve(root, s.path(), file.file());
      } else {
        String problem = ShardPaths.spellingProblem(s.path());
        if (problem != null) throw new UnsafeShardPathException(file.source(), s.path(), problem);
      }
      if (!seen.add(s.path())) throw file.corrupt(-1, "shard '" + s.path() + "' listed twice");
      if (s.molecules() < 0 || s.bytes() < 0) {
        throw file.corrupt(-1, "shard '" + s.path() + "' has a negative count or size");
      }
      if (!s.sha256().matches("[0-9a-f]{64}")) {
        throw file.corrupt(-1, "shard '" + s.path() + "' has a malformed sha256 '" + s.sha256() + "'");
      }
      sum = Math.addExact(sum, s.molecules());
    }
    if (sum != totalMolecules) {
      throw file.corrupt(-1, "total_molecules is " + totalMolecules + " but the shards add up to " + sum);
    }
  }

  /** The manifest as the bytes {@link #write} writes. */
  public byte[] toBytes() throws IOException {
    return JSON.writeValueAsBytes(this);
  }

  /**
   * Writes {@code dir/manifest.json} so that it appears complete or not at all: a temporary file is
   * written and forced to disk, then renamed over the manifest.
   */
  public void write(Path dir) throws IOException {
    Path target = dir.resolve(FILE_NAME);
    Path tmp = dir.resolve(FILE_NAME + ".tmp");
    byte[] bytes = toBytes();
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) ch.write(buf);
      ch.force(true);
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
