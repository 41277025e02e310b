package org.atomstore.dataset.remote;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.atomstore.codec.Compression;
import org.atomstore.dataset.Dataset;
import org.atomstore.dataset.ShardedDataset;
import org.atomstore.dataset.ShardedWriter;
import org.atomstore.dataset.StoreDataset;
import org.atomstore.model.Molecule;
import org.atomstore.remote.testing.RangeHttpServer;
import org.atomstore.store.AtpReader;
import org.atomstore.store.FieldSet;
import org.atomstore.store.FlatBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Shuffled batch reads of 64-atom molecules in shards, local (mmap) versus HTTP on loopback through the block
 * cache: a cold first epoch and a warm second one, bytes fetched versus bytes of the records read, and the same
 * with 10 ms added per request. A measurement, not a test: it runs only with {@code -Datomstore.bench.remote=true}
 * and prints its figures; {@code -Datomstore.bench.molecules=N} (default 100,000) sets the size.
 *
 * <pre>
 * ./mvnw -q -B -pl dataset -am verify -Dtest=RemoteReadBench -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Datomstore.bench.remote=true; cat dataset/target/surefire-reports/*RemoteReadBench-output.txt
 * </pre>
 */
@EnabledIfSystemProperty(named = "atomstore.bench.remote", matches = "true")
class RemoteReadBench {
  static final int ATOMS = 64;
  static final int BATCH = 256;
  static final FieldSet FIELDS = FieldSet.of("positions", "atomic_numbers", "energy", "forces");

  @Test
  void shuffledEpochsLocalVersusHttp() throws Exception {
    long n = Long.getLong("atomstore.bench.molecules", 100_000);
    Path root = Files.createTempDirectory("atomstore-remote-bench");
    try {
      Path web = root.resolve("web");
      Path ds = web.resolve("ds");
      long t0 = System.nanoTime();
      try (var w = ShardedWriter.builder(ds).compression(Compression.NONE).maxShardMolecules(Math.max(1, n / 8)).open()) {
        SplittableRandom rnd = new SplittableRandom(1);
        for (long i = 0; i < n; i++) w.add(molecule(i, rnd));
        w.finish();
      }
      long recordBytes = 0;
      long fileBytes = 0;
      try (ShardedDataset local = ShardedDataset.open(ds)) {
        for (int s = 0; s < local.shardCount(); s++) {
          AtpReader r = local.shard(s);
          fileBytes += r.fileSize();
          for (long i = 0; i < r.size(); i++) recordBytes += r.indexEntry(i).compressedSize();
        }
      }
      System.out.printf("dataset: %,d molecules x %d atoms in 8 shards, %,d bytes of records (%,d bytes of files), written in %.1f s%n",
          n, ATOMS, recordBytes, fileBytes, (System.nanoTime() - t0) / 1e9);
      long[] order0 = shuffled(n, 0);
      long[] order1 = shuffled(n, 1);
      try (ShardedDataset local = ShardedDataset.open(ds)) {
        epoch("local mmap, epoch 0 (page cache warm from writing)", local, order0, null, recordBytes);
        epoch("local mmap, epoch 1", local, order1, null, recordBytes);
      }
      try (RangeHttpServer http = RangeHttpServer.serve(web)) {
        String address = http.uri("ds/").toString();
        System.setProperty("atomstore.cache", root.resolve("cache").toString());
        System.setProperty("atomstore.cache.size", Long.toString(4 * fileBytes));
        try (StoreDataset remote = Addresses.openDataset(address)) {
          http.resetCounters();
          epoch("HTTP loopback + block cache, epoch 0 (cold)", remote, order0, http, recordBytes);
          http.resetCounters();
          epoch("HTTP loopback + block cache, epoch 1 (warm)", remote, order1, http, recordBytes);
        }
        System.clearProperty("atomstore.cache");
        try (StoreDataset remote = Addresses.openDataset(address)) {
          http.resetCounters();
          epoch("HTTP loopback, no cache, epoch 0", remote, order0, http, recordBytes);
        }
        http.faults().latencyMillis(10);
        System.setProperty("atomstore.cache", root.resolve("cache-latency").toString());
        try (StoreDataset remote = Addresses.openDataset(address)) {
          http.resetCounters();
          epoch("HTTP loopback +10 ms/request + block cache, epoch 0 (cold)", remote, order0, http, recordBytes);
          http.resetCounters();
          epoch("HTTP loopback +10 ms/request + block cache, epoch 1 (warm)", remote, order1, http, recordBytes);
        }
        System.clearProperty("atomstore.cache");
        try (StoreDataset remote = Addresses.openDataset(address)) {
          long batches = Math.min(40, n / BATCH);
          long[] part = java.util.Arrays.copyOf(order0, (int) (batches * BATCH));
          http.resetCounters();
          epoch("HTTP loopback +10 ms/request, no cache, " + batches + " batches (ranges in flight)", remote, part, http, -1);
          long[] one = java.util.Arrays.copyOfRange(order1, 0, BATCH);
          http.resetCounters();
          long t = System.nanoTime();
          for (long i : one) remote.get(i, FIELDS);
          double s = (System.nanoTime() - t) / 1e9;
          System.out.printf("%-75s %8.3f s for %d molecules read one by one (1 request in flight): %,.0f molecules/s, %d requests%n",
              "HTTP loopback +10 ms/request, no cache, get() one at a time", s, BATCH, BATCH / s, http.requests());
        } finally {
          System.clearProperty("atomstore.cache.size");
        }
      }
    } finally {
      try (var s = Files.walk(root)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void epoch(String what, Dataset ds, long[] order, RangeHttpServer http, long recordBytes) throws IOException {
    long atoms = 0;
    long t = System.nanoTime();
    for (int k = 0; k < order.length; k += BATCH) {
      long[] idx = java.util.Arrays.copyOfRange(order, k, Math.min(order.length, k + BATCH));
      FlatBatch b = ds.readBatch(idx, FIELDS, false);
      atoms += b.totalAtoms();
    }
    double s = (System.nanoTime() - t) / 1e9;
    String fetched = "";
    if (http != null) {
      fetched = String.format(", %,d requests, %,d bytes fetched", http.requests(), http.bytesSent());
      if (recordBytes > 0) fetched += String.format(" = %.3fx the records read", (double) http.bytesSent() / recordBytes);
    }
    System.out.printf("%-75s %8.3f s: %,10.0f molecules/s, %,.0f atoms/s%s%n", what, s, order.length / s, atoms / s, fetched);
  }

  static long[] shuffled(long n, long seed) {
    long[] a = LongStream.range(0, n).toArray();
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int i = a.length - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      long x = a[i];
      a[i] = a[j];
      a[j] = x;
    }
    return a;
  }

  static Molecule molecule(long i, SplittableRandom rnd) {
    float[] pos = new float[3 * ATOMS];
    float[] forces = new float[3 * ATOMS];
    byte[] z = new byte[ATOMS];
    for (int a = 0; a < ATOMS; a++) {
      z[a] = (byte) (1 + rnd.nextInt(80));
      for (int d = 0; d < 3; d++) {
        pos[3 * a + d] = (float) (rnd.nextDouble() * 10);
        forces[3 * a + d] = (float) rnd.nextGaussian();
      }
    }
    return Molecule.of(pos, z).energy(-0.1 * i).forces(forces);
  }
}
