package org.atomstore.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.atomstore.codec.Compression;
import org.atomstore.model.Molecule;
import org.atomstore.model.Value;
import org.atomstore.store.AtpReader;
import org.atomstore.store.AtpWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordPackerTest {

  @TempDir Path dir;

  private static List<Molecule> molecules(long seed, boolean float64, int count) {
    var rnd = new Random(seed);
    var out = new ArrayList<Molecule>();
    for (int i = 0; i < count; i++) {
      int n = 1 + rnd.nextInt(30);
      byte[] z = new byte[n];
      for (int a = 0; a < n; a++) z[a] = (byte) (1 + rnd.nextInt(90));
      Molecule m;
      if (float64) {
        double[] p = new double[3 * n];
        for (int k = 0; k < p.length; k++) p[k] = rnd.nextGaussian() * 5;
        m = Molecule.of(p, z);
      } else {
        float[] p = new float[3 * n];
        for (int k = 0; k < p.length; k++) p[k] = (float) rnd.nextGaussian() * 5;
        m = Molecule.of(p, z).forces(p.clone());
      }
      m.energy(rnd.nextDouble() * -100).pbc(true, false, i % 2 == 0);
      m.property("config_id", new Value.Int64(i));
      if (i % 3 == 0) m.name("m" + i);
      out.add(m);
    }
    return out;
  }

  private Path viaAddAll(String name, Compression c, List<Molecule> ms) throws Exception {
    Path p = dir.resolve(name);
    try (var w = AtpWriter.create(p, c)) {
      w.addAll(ms.subList(0, ms.size() / 2));
      w.addAll(ms.subList(ms.size() / 2, ms.size()));
    }
    return p;
  }

  // Packs on two threads, as a parallel converter does, then adds in order.
  private Path viaPacked(String name, Compression c, List<Molecule> ms) throws Exception {
    Path p = dir.resolve(name);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (var w = AtpWriter.create(p, c)) {
      int half = ms.size() / 2;
      Future<List<EncodedRecord>> a = pool.submit(() -> pack(c, ms.subList(0, half)));
      Future<List<EncodedRecord>> b = pool.submit(() -> pack(c, ms.subList(half, ms.size())));
      AtpWriters.addEncoded(w, a.get());
      AtpWriters.addEncoded(w, b.get());
    } finally {
      pool.shutdownNow();
    }
    return p;
  }

  private static List<EncodedRecord> pack(Compression c, List<Molecule> ms) {
    try (var packer = new RecordPacker(c)) {
      var out = new ArrayList<EncodedRecord>();
      for (Molecule m : ms) out.add(packer.pack(m));
      return out;
    }
  }

  @Test
  void packedRecordsGiveTheSameFileAsAddAll() throws Exception {
    for (Compression c : List.of(Compression.NONE, Compression.LZ4, Compression.zstd(3))) {
      for (boolean f64 : new boolean[] {false, true}) {
        var ms = molecules(42, f64, 200);
        String tag = c.toString().replace(':', '_') + f64;
        Path expected = viaAddAll("a" + tag + ".atp", c, ms);
        Path actual = viaPacked("b" + tag + ".atp", c, ms);
        assertThat(Files.readAllBytes(actual)).as("%s float64=%s", c, f64).isEqualTo(Files.readAllBytes(expected));
        try (var r = AtpReader.open(actual)) {
          assertThat(r.size()).isEqualTo(200);
          assertThat(r.get(17)).isEqualTo(ms.get(17));
        }
      }
    }
  }

  @Test
  void refusesRecordsCompressedDifferently() throws Exception {
    var ms = molecules(1, false, 1);
    try (var w = AtpWriter.create(dir.resolve("x.atp"), Compression.zstd(3))) {
      var recs = pack(Compression.LZ4, ms);
      assertThatThrownBy(() -> AtpWriters.addEncoded(w, recs)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lz4");
      assertThat(w.size()).isZero();
    }
  }

  @Test
  void refusesFloat64RecordsInAFormat2File() throws Exception {
    try (var w = AtpWriter.create(dir.resolve("y.atp"), Compression.NONE)) {
      AtpWriters.addEncoded(w, pack(Compression.NONE, molecules(2, false, 3)));
      var f64 = pack(Compression.NONE, molecules(3, true, 1));
      assertThatThrownBy(() -> AtpWriters.addEncoded(w, f64)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("float64 positions");
      assertThat(w.size()).isEqualTo(3);
    }
  }

  @Test
  void closeIsIdempotentAndUseAfterCloseFails() {
    var p = new RecordPacker(Compression.zstd(3));
    p.close();
    p.close();
    assertThatThrownBy(() -> p.pack(molecules(4, false, 1).getFirst())).isInstanceOf(IllegalStateException.class);
  }
}
