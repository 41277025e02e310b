package org.atomstore.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntConsumer;
import org.atomstore.store.AtpReader;

/**
 * Checks a dataset directory against its manifest: every listed shard exists inside the directory and has
 * the listed byte size, SHA-256 and molecule count; no {@code .atp} below the directory is left out of the
 * manifest. A directory without a manifest is checked shard by shard as {@link ShardedDataset} lists it; one
 * that holds neither a manifest nor any {@code .atp} file is not a dataset, which is a problem too. Optionally
 * every record of every shard is decoded ({@link AtpReader#verify}). Each problem is
 * one line that names the shard.
 */
public final class DatasetVerifier {
  private DatasetVerifier() {}

  /**
   * @param records also decode and check every record of every shard
   * @param onShard called with the shard number after each shard is checked (for progress)
   * @return the problems found, empty when the dataset is sound
   * @throws IOException if the manifest itself cannot be read or is malformed
   */
  public static List<String> verify(Path dir, boolean records, int maxProblems, IntConsumer onShard) throws IOException {
    Path root = dir.toAbsolutePath().normalize();
    Path manifestFile = root.resolve(Manifest.FILE_NAME);
    List<String> problems = new ArrayList<>();
    if (!Files.isRegularFile(manifestFile)) {
      List<Path> files = ShardedDataset.listShards(root);
      if (files.isEmpty()) {
        // an empty directory or a source tree would otherwise pass as a dataset of zero shards
        problems.add("not a dataset: no " + Manifest.FILE_NAME + " and no .atp files in " + dir);
        return problems;
      }
      for (int s = 0; s < files.size() && problems.size() < maxProblems; s++) {
        checkRecords(ShardPaths.relativize(root, files.get(s)), files.get(s), -1, records, problems, maxProblems);
        onShard.accept(s);
      }
      return problems;
    }
    Manifest m = Manifest.read(manifestFile);
    Path realRoot = root.toRealPath();
    Set<String> listed = new HashSet<>();
    for (int s = 0; s < m.shards().size() && problems.size() < maxProblems; s++) {
      Manifest.Shard shard = m.shards().get(s);
      listed.add(shard.path());
      checkShard(root, realRoot, manifestFile, shard, records, problems, maxProblems);
      onShard.accept(s);
    }
    for (Path p : ShardedDataset.listShards(root)) {
      String rel = ShardPaths.relativize(root, p);
      if (!listed.contains(rel) && problems.size() < maxProblems) {
        problems.add("shard '" + rel + "': on disk but not in the manifest");
      }
    }
    return problems;
  }

  private static void checkShard(Path root, Path realRoot, Path manifestFile, Manifest.Shard shard, boolean records,
      List<String> problems, int maxProblems) {
    String name = shard.path();
    Path file;
    try {
      file = ShardPaths.confineReal(realRoot, ShardPaths.resolve(root, name, manifestFile), name, manifestFile);
    } catch (java.nio.file.NoSuchFileException e) {
      problems.add("shard '" + name + "': missing");
      return;
    } catch (IOException e) {
      problems.add("shard '" + name + "': " + e.getMessage());
      return;
    }
    try {
      long size = Files.size(file);
      if (size != shard.bytes()) {
        problems.add("shard '" + name + "': size is " + size + " bytes, the manifest says " + shard.bytes());
      }
      String hash = Sha256.of(file);
      if (!hash.equals(shard.sha256())) {
        problems.add("shard '" + name + "': sha256 is " + hash + ", the manifest says " + shard.sha256());
      }
    } catch (IOException e) {
      problems.add("shard '" + name + "': " + e.getMessage());
      return;
    }
    checkRecords(name, file, shard.molecules(), records, problems, maxProblems);
  }

  private static void checkRecords(String name, Path file, long expected, boolean records, List<String> problems,
      int maxProblems) {
    try (AtpReader r = AtpReader.open(file)) {
      if (expected >= 0 && r.size() != expected) {
        problems.add("shard '" + name + "': holds " + r.size() + " molecules, the manifest says " + expected);
      }
      if (records) {
        for (String p : r.verify(Math.max(1, maxProblems - problems.size()))) problems.add("shard '" + name + "': " + p);
      }
    } catch (IOException e) {
      // AtpReader reports damage as IOException (CorruptFileException); anything else is a bug, not a finding
      problems.add("shard '" + name + "': cannot be opened: " + e.getMessage());
    }
  }
}
