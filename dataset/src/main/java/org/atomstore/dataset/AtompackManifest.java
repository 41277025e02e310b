package org.atomstore.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import org.atomstore.store.CorruptFileException;

/**
 * The {@code manifest.json} Atompack's conversion scripts write beside their shards: {@code output_files} (the
 * shard paths, relative, in dataset order), {@code n_samples} (the total molecule count, when given) and
 * {@code compression}; other keys are ignored. It has no hashes, so Atomstore's own manifest ({@link Manifest})
 * is preferred where both could be read.
 *
 * <pre>
 * {"output_files": ["part_0000.atp", "part_0001.atp"], "n_samples": 1000, "compression": "zstd", ...}
 * </pre>
 *
 * @param outputFiles the shard paths, relative, {@code /}-separated
 * @param nSamples the total molecule count, or -1 when the manifest does not say
 * @param compression the compression named, or null
 */
public record AtompackManifest(List<String> outputFiles, long nSamples, String compression) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public AtompackManifest {
    outputFiles = List.copyOf(outputFiles);
  }

  /** The total count when the manifest gives one. */
  public OptionalLong samples() {
    return nSamples < 0 ? OptionalLong.empty() : OptionalLong.of(nSamples);
  }

  /**
   * Reads an Atompack manifest; errors name {@code source}.
   *
   * @throws CorruptFileException when it is not JSON, lacks a non-empty {@code output_files} list of strings,
   *     names a shard twice or by an unsafe path, or has a negative {@code n_samples}
   */
  public static AtompackManifest parse(byte[] bytes, String source) throws CorruptFileException {
    if (bytes.length > Manifest.MAX_BYTES) {
      throw new CorruptFileException(source, -1, "manifest is " + bytes.length + " bytes, more than the limit of " + Manifest.MAX_BYTES);
    }
    JsonNode tree;
    try {
      tree = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new CorruptFileException(source, -1, "malformed manifest: " + e.getMessage(), e);
    }
    if (tree == null || !tree.isObject()) throw new CorruptFileException(source, 0, "manifest is not a JSON object");
    JsonNode files = tree.get("output_files");
    if (files == null || !files.isArray() || files.isEmpty()) {
      throw new CorruptFileException(source, -1, "manifest is neither Atomstore's (no \"format\": \"" + Manifest.FORMAT
          + "\") nor Atompack's (no non-empty 'output_files' list)");
    }
    List<String> out = new ArrayList<>();
    var seen = new HashSet<String>();
    for (JsonNode f : files) {
      if (!f.isTextual()) throw new CorruptFileException(source, -1, "manifest contains a non-string output file entry: " + f);
      String path = f.asText();
      String problem = ShardPaths.spellingProblem(path);
      if (problem != null) throw new UnsafeShardPathException(source, path, problem);
      if (!seen.add(path)) throw new CorruptFileException(source, -1, "shard '" + path + "' listed twice");
      out.add(path);
    }
    long n = -1;
    JsonNode ns = tree.get("n_samples");
    if (ns != null && !ns.isNull()) {
      if (!ns.canConvertToExactIntegral() || !ns.canConvertToLong() || ns.asLong() < 0) {
        throw new CorruptFileException(source, -1, "n_samples is not a count: " + ns);
      }
      n = ns.asLong();
    }
    JsonNode c = tree.get("compression");
    return new AtompackManifest(out, n, c == null || c.isNull() ? null : c.asText());
  }
}
