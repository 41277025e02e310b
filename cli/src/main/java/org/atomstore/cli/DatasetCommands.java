package org.atomstore.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.atomstore.cli.json.AtpJson;
import org.atomstore.dataset.Dataset;
import org.atomstore.dataset.DatasetVerifier;
import org.atomstore.dataset.Manifest;
import org.atomstore.dataset.ShardedDataset;
import org.atomstore.dataset.StoreDataset;
import org.atomstore.dataset.remote.Addresses;
import org.atomstore.dataset.remote.StoreVerifier;

/** {@code info}, {@code dump} and {@code verify} for a dataset directory instead of a single file. */
final class DatasetCommands {
  private DatasetCommands() {}

  static int info(String address, boolean json, PrintWriter out) throws IOException {
    String dir = Inputs.shown(address);
    try (Dataset ds = Inputs.dataset(address)) {
      long bytes = 0;
      for (int s = 0; s < ds.shardCount(); s++) bytes += ds.shardBytes(s);
      boolean manifest = ds.hasManifest();
      if (json) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("path", dir);
        o.put("manifest", manifest);
        o.put("shards", ds.shardCount());
        o.put("molecules", ds.size());
        o.put("size_bytes", bytes);
        ArrayNode shards = o.putArray("shard_list");
        for (int s = 0; s < ds.shardCount(); s++) {
          shards.addObject().put("path", ds.shardPath(s)).put("molecules", ds.shardStart(s + 1) - ds.shardStart(s));
        }
        ds.manifestSchema().ifPresent(f -> o.set("schema", DumpCommand.json().valueToTree(f)));
        out.println(DumpCommand.json().writeValueAsString(o));
      } else {
        out.printf("dataset:       %s%n", dir);
        out.printf("manifest:      %s%n", manifest ? "yes" : "no (shards found by listing)");
        out.printf("shards:        %,d%n", ds.shardCount());
        out.printf("molecules:     %,d%n", ds.size());
        out.printf("size:          %,d bytes%n", bytes);
        if (ds.shardCount() > 0) out.printf("compression:   %s (first shard)%n", ds.shard(0).compression());
        if (ds.manifestSchema().isPresent()) {
          out.println("fields:");
          for (Manifest.SchemaField f : ds.manifestSchema().get()) {
            out.printf("  %-28s %-10s type %-8s in %,d molecules%n", f.key(), f.scope(), f.typeTags(), f.molecules());
          }
        }
      }
    }
    out.flush();
    return ExitCodes.OK;
  }

  static int dump(String address, PrintWriter out) throws IOException {
    try (Dataset ds = Inputs.dataset(address)) {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      o.put("dataset", Inputs.shown(address));
      o.put("molecules", ds.size());
      ArrayNode shards = o.putArray("shards");
      for (int s = 0; s < ds.shardCount(); s++) {
        shards.addObject().put("path", ds.shardPath(s)).put("first_index", ds.shardStart(s))
            .set("dump", AtpJson.describe(ds.shard(s)));
      }
      out.println(DumpCommand.json().writeValueAsString(o));
    }
    out.flush();
    return ExitCodes.OK;
  }

  static int verify(String address, int maxProblems, boolean json, long t0, PrintWriter out, PrintWriter err) throws IOException {
    if (Inputs.remote(address)) return verifyRemote(address, maxProblems, json, t0, out, err);
    Path dir = Path.of(address);
    boolean manifest = ShardedDataset.hasManifest(dir);
    List<Path> files = manifest ? List.of() : ShardedDataset.listShards(dir);
    Manifest m = manifest ? Manifest.read(dir.resolve(Manifest.FILE_NAME)) : null;
    int shards = manifest ? m.shards().size() : files.size();
    List<String> problems;
    try (Progress bar = Progress.start("verify", shards, "shards")) {
      problems = DatasetVerifier.verify(dir, true, maxProblems, s -> bar.step(1));
    }
    return verified(dir.toString(), manifest, m, shards, problems, json, t0, out, err);
  }

  /** {@code verify} of a remote dataset: the same checks and report, every shard read through the store. */
  private static int verifyRemote(String address, int maxProblems, boolean json, long t0, PrintWriter out, PrintWriter err)
      throws IOException {
    try (StoreDataset ds = Addresses.openDataset(address)) {
      Manifest m = ds.manifest().orElse(null);
      List<String> problems;
      try (Progress bar = Progress.start("verify", ds.shardCount(), "shards")) {
        problems = StoreVerifier.verify(ds, maxProblems, s -> bar.step(1));
      }
      return verified(address, m != null, m, ds.shardCount(), problems, json, t0, out, err);
    }
  }

  private static int verified(String dir, boolean manifest, Manifest m, int shards, List<String> problems, boolean json,
      long t0, PrintWriter out, PrintWriter err) throws IOException {
    double seconds = Summary.seconds(t0);
    if (json) {
      var s = new Summary("verify").put("path", dir).put("kind", "dataset").put("ok", problems.isEmpty())
          .put("manifest", manifest).put("shards", shards);
      if (m != null) {
        long bytes = 0;
        for (Manifest.Shard shard : m.shards()) bytes += shard.bytes();
        s.put("bytes", bytes).timing(m.totalMolecules(), seconds);
      } else {
        s.put("seconds", Summary.round(seconds));
      }
      s.strings("problems", problems).print(out);
      return problems.isEmpty() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }
    if (!problems.isEmpty()) return failed(dir, problems, err);
    out.printf("OK %s: %,d shards%s, checked in %s%n", dir, shards,
        manifest ? String.format(", %,d molecules; sizes, hashes and counts match the manifest", m.totalMolecules())
            : ", no manifest", Summary.time(seconds));
    out.flush();
    return ExitCodes.OK;
  }

  static int failed(Path path, List<String> problems, PrintWriter err) {
    return failed(path.toString(), problems, err);
  }

  static int failed(String path, List<String> problems, PrintWriter err) {
    err.printf("FAILED %s: %d problem(s)%n", path, problems.size());
    for (String p : problems) err.println("  " + p);
    err.flush();
    return ExitCodes.CHECK_FAILED;
  }
}
