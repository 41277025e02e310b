package org.atomstore.dataset.remote;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntConsumer;
import org.atomstore.dataset.StoreDataset;
import org.atomstore.dataset.Manifest;
import org.atomstore.source.ObjectStore;
import org.atomstore.store.RangedAtpReader;

/**
 * Checks a dataset in an {@link ObjectStore} as {@link org.atomstore.dataset.DatasetVerifier} checks a directory,
 * with the same findings in the same words: with Atomstore's manifest, every listed shard is there with the
 * listed size, SHA-256 (its bytes read whole) and molecule count, and (where the store can list) no {@code .atp}
 * is left out of it; otherwise each shard the dataset names; every record of every shard is decoded and
 * checked.
 */
public final class StoreVerifier {
  private StoreVerifier() {}

  /**
   * @param onShard called with the shard number after each shard is checked (for progress)
   * @return the problems found, empty when the dataset is sound
   * @throws IOException if the manifest itself cannot be read or is malformed
   */
  public static List<String> verify(StoreDataset ds, int maxProblems, IntConsumer onShard) throws IOException {
    ObjectStore store = ds.store();
    List<String> problems = new ArrayList<>();
    Optional<Manifest> manifest = ds.manifest();
    if (manifest.isEmpty()) {
      for (int s = 0; s < ds.shardCount() && problems.size() < maxProblems; s++) {
        checkRecords(ds, s, -1, problems, maxProblems);
        onShard.accept(s);
      }
      return problems;
    }
    Manifest m = manifest.get();
    Set<String> listed = new HashSet<>();
    for (int s = 0; s < m.shards().size() && problems.size() < maxProblems; s++) {
      Manifest.Shard shard = m.shards().get(s);
      listed.add(shard.path());
      if (checkBytes(store, shard, problems)) checkRecords(ds, s, shard.molecules(), problems, maxProblems);
      onShard.accept(s);
    }
    if (store.listable()) {
      for (ObjectStore.Entry e : store.list("")) {
        if (e.name().endsWith(".atp") && !listed.contains(e.name()) && problems.size() < maxProblems) {
          problems.add("shard '" + e.name() + "': on disk but not in the manifest");
        }
      }
    }
    return problems;
  }

  /** Size and SHA-256 against the manifest; false when the shard is missing or unreadable. */
  private static boolean checkBytes(ObjectStore store, Manifest.Shard shard, List<String> problems) {
    String name = shard.path();
    try {
      Optional<Long> size = store.size(name);
      if (size.isEmpty()) {
        problems.add("shard '" + name + "': missing");
        return false;
      }
      if (size.get() != shard.bytes()) {
        problems.add("shard '" + name + "': size is " + size.get() + " bytes, the manifest says " + shard.bytes());
      }
      MessageDigest md = Transfer.Sha.digest();
      try (InputStream in = store.read(name)) {
        byte[] buf = new byte[1 << 20];
        for (int n; (n = in.read(buf)) >= 0; ) md.update(buf, 0, n);
      }
      String hash = HexFormat.of().formatHex(md.digest());
      if (!hash.equals(shard.sha256())) {
        problems.add("shard '" + name + "': sha256 is " + hash + ", the manifest says " + shard.sha256());
      }
      return true;
    } catch (IOException e) {
      problems.add("shard '" + name + "': " + e.getMessage());
      return false;
    }
  }

  private static void checkRecords(StoreDataset ds, int s, long expected, List<String> problems, int maxProblems) {
    String name = ds.shardPath(s);
    try (RangedAtpReader r = RangedAtpReader.open(ds.store().open(name), true)) {
      if (expected >= 0 && r.size() != expected) {
        problems.add("shard '" + name + "': holds " + r.size() + " molecules, the manifest says " + expected);
      }
      for (String p : r.verify(Math.max(1, maxProblems - problems.size()))) problems.add("shard '" + name + "': " + p);
    } catch (IOException e) {
      problems.add("shard '" + name + "': cannot be opened: " + e.getMessage());
    }
  }
}
