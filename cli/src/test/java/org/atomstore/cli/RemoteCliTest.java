package org.atomstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.atomstore.codec.Compression;
import org.atomstore.dataset.Manifest;
import org.atomstore.dataset.ShardedWriter;
import org.atomstore.dataset.remote.Addresses;
import org.atomstore.dataset.testing.HubTestServer;
import org.atomstore.dataset.remote.Transfer;
import org.atomstore.model.Molecule;
import org.atomstore.remote.testing.RangeHttpServer;
import org.atomstore.remote.testing.S3TestServer;
import org.atomstore.store.AtpWriter;
import org.atomstore.store.RangedAtpReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance of remote datasets: {@code info}, {@code verify}, {@code dump} and {@code iterate --indices} say
 * the same of a dataset (and of one file) read locally, over HTTP, over S3 (s3proxy in-process) and as {@code hf://}
 * from a Hub-like server; opening a remote file takes at most three requests; {@code publish} and {@code pull} move
 * datasets safely.
 */
class RemoteCliTest {
  @TempDir static Path tmp;
  static Path local;
  static Manifest manifest;
  static RangeHttpServer http;
  static S3TestServer s3;
  static HubTestServer hub;

  @BeforeAll
  static void servers() throws Exception {
    Path web = tmp.resolve("web");
    local = web.resolve("ds");
    try (var w = ShardedWriter.builder(local).compression(Compression.zstd(3)).maxShardMolecules(15).open()) {
      for (int i = 0; i < 50; i++) w.add(molecule(i));
      manifest = w.finish();
    }
    http = RangeHttpServer.serve(web);
    s3 = S3TestServer.start();
    s3.createBucket("bucket");
    System.setProperty("atomstore.s3.endpoint", s3.endpoint().toString());
    System.setProperty("aws.accessKeyId", S3TestServer.ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", S3TestServer.SECRET_KEY);
    CliRun p = CliRun.of("publish", local.toString(), "s3://bucket/data/ds");
    assertThat(p.exitCode()).as(p.err()).isZero();
    Path repo = Files.createDirectories(tmp.resolve("hub/Org/repo"));
    copy(local, repo.resolve("ds"));
    hub = HubTestServer.serve(tmp.resolve("hub"));
    System.setProperty("atomstore.hf.endpoint", hub.endpoint());
  }

  @AfterAll
  static void stop() throws Exception {
    http.close();
    s3.close();
    hub.close();
    for (String p : List.of("atomstore.s3.endpoint", "aws.accessKeyId", "aws.secretAccessKey", "atomstore.hf.endpoint")) System.clearProperty(p);
  }

  static Molecule molecule(int i) {
    int n = 3 + i % 4;
    float[] pos = new float[3 * n];
    byte[] z = new byte[n];
    for (int a = 0; a < n; a++) {
      z[a] = (byte) (1 + (i + a) % 30);
      for (int d = 0; d < 3; d++) pos[3 * a + d] = i + a * 0.5f + d;
    }
    return Molecule.of(pos, z).energy(-1.5 * i).forces(pos.clone());
  }

  static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(t);
        else Files.copy(p, t);
      }
    }
  }

  /** What a command prints, with the address written ADDR and timings left out. */
  static String run(String address, String... args) {
    String[] full = new String[args.length + 1];
    full[0] = args[0];
    full[1] = address;
    System.arraycopy(args, 1, full, 2, args.length - 1);
    CliRun r = CliRun.of(full);
    assertThat(r.exitCode()).as(String.join(" ", full) + "\n" + r.err()).isZero();
    return r.out().replace(address, "ADDR").replaceAll("checked in [^\\n]*", "checked in T");
  }

  static List<String> datasetAddresses() {
    return List.of(http.uri("ds/").toString(), "s3://bucket/data/ds", "hf://datasets/Org/repo/ds");
  }

  @Test
  void infoVerifyDumpAndIterateSayTheSameOfADatasetWhereverItIs() {
    String l = local.toString();
    List<String[]> commands = List.of(new String[] {"info"}, new String[] {"info", "--json"}, new String[] {"verify"},
        new String[] {"dump"}, new String[] {"iterate", "--indices", "--batch-size", "7", "--seed", "3"},
        new String[] {"iterate", "--indices", "--batch-size", "4", "--shuffle", "blocks:8:2", "--rank", "1", "--world-size", "2"});
    for (String[] c : commands) {
      String expected = run(l, c);
      assertThat(expected).isNotBlank();
      for (String a : datasetAddresses()) assertThat(run(a, c)).as(a + " " + String.join(" ", c)).isEqualTo(expected);
    }
  }

  @Test
  void infoVerifyAndDumpSayTheSameOfOneFileWhereverItIs() {
    String shard = manifest.shards().get(1).path();
    String l = local.resolve(shard).toString();
    List<String> remote = List.of(http.uri("ds/" + shard).toString(), "s3://bucket/data/ds/" + shard, "hf://datasets/Org/repo/ds/" + shard);
    for (String[] c : List.<String[]>of(new String[] {"info"}, new String[] {"info", "--json"}, new String[] {"verify"}, new String[] {"dump"})) {
      String expected = run(l, c);
      for (String a : remote) assertThat(run(a, c)).as(a + " " + String.join(" ", c)).isEqualTo(expected);
    }
  }

  @Test
  void opensARemoteFileInAtMostThreeRequestsWhateverItsSize() throws IOException {
    Path big = tmp.resolve("web/big.atp");
    try (AtpWriter w = AtpWriter.create(big, Compression.NONE)) {
      for (int i = 0; i < 30_000; i++) w.add(Molecule.of(new float[] {i, 0, 0}, new byte[] {1}).energy((double) i));
    }
    http.resetCounters();
    try (RangedAtpReader r = Addresses.openFile(http.uri("big.atp").toString())) {
      assertThat(http.requests()).as(http.log().toString()).isLessThanOrEqualTo(3);
      assertThat(r.size()).isEqualTo(30_000);
      assertThat(http.bytesSent()).isLessThan(Files.size(big) / 4);
    }
  }

  @Test
  void pullAfterAnInterruptionTransfersOnlyWhatIsMissing() throws IOException {
    Path dst = tmp.resolve("pulled");
    String address = http.uri("ds/").toString();
    CliRun first = CliRun.of("pull", address, dst.toString());
    assertThat(first.exitCode()).as(first.err()).isZero();
    Manifest.Shard lost = manifest.shards().get(2);
    Files.delete(dst.resolve(lost.path()));
    http.resetCounters();
    CliRun again = CliRun.of("pull", address, dst.toString());
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.out()).contains("1 shard(s) downloaded");
    long manifestBytes = Files.size(local.resolve("manifest.json"));
    // the manifest and the one missing shard, nothing else
    assertThat(http.bytesSent()).isEqualTo(manifestBytes + lost.bytes());
    assertThat(CliRun.of("verify", dst.toString()).exitCode()).isZero();
  }

  @Test
  void aCorruptedServedByteFailsThePullNamingTheShard() throws IOException {
    Path bad = tmp.resolve("web/bad");
    copy(local, bad);
    Manifest.Shard victim = manifest.shards().get(1);
    byte[] b = Files.readAllBytes(bad.resolve(victim.path()));
    b[b.length / 3] ^= 0x10;
    Files.write(bad.resolve(victim.path()), b);
    Path dst = tmp.resolve("pulled-bad");
    CliRun r = CliRun.of("pull", http.uri("bad/").toString(), dst.toString(), "--threads", "1");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.err()).contains("shard '" + victim.path() + "'").contains("sha256");
    assertThat(dst.resolve(victim.path())).doesNotExist();
    assertThat(dst.resolve("manifest.json")).doesNotExist();
    try (Stream<Path> s = Files.walk(dst)) {
      assertThat(s.filter(p -> p.toString().endsWith(Transfer.PART_SUFFIX)).toList()).isEmpty();
    }
    // and verify over HTTP names it too
    CliRun v = CliRun.of("verify", http.uri("bad/").toString());
    assertThat(v.exitCode()).isEqualTo(ExitCodes.CHECK_FAILED);
    assertThat(v.err()).contains("shard '" + victim.path() + "': sha256 is");
  }

  @Test
  void aSecondEpochThroughTheCacheFetchesNoRecordAgain() throws IOException {
    Path cache = tmp.resolve("cache");
    String address = http.uri("ds/").toString();
    try {
      http.resetCounters();
      CliRun first = CliRun.of("--cache", cache.toString(), "--cache-size", "64M", "iterate", address, "--batch-size", "8", "--seed", "1");
      assertThat(first.exitCode()).as(first.err()).isZero();
      long firstBytes = http.bytesSent();
      long manifestBytes = Files.size(local.resolve("manifest.json"));
      assertThat(firstBytes).isGreaterThan(manifestBytes);
      http.resetCounters();
      CliRun second = CliRun.of("iterate", address, "--batch-size", "8", "--seed", "2", "--cache", cache.toString());
      assertThat(second.exitCode()).as(second.err()).isZero();
      // only the manifest again (and the HEADs that size the shards): every record came from the cache
      assertThat(http.bytesSent()).isEqualTo(manifestBytes);
      assertThat(second.out()).contains("50 molecules");
    } finally {
      System.clearProperty("atomstore.cache");
      System.clearProperty("atomstore.cache.size");
    }
  }

  @Test
  void pullsFromTheHubAndS3() throws IOException {
    for (String a : List.of("hf://datasets/Org/repo/ds", "s3://bucket/data/ds")) {
      Path dst = tmp.resolve("from-" + a.substring(0, 2));
      CliRun r = CliRun.of("pull", a, dst.toString());
      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(Files.readAllBytes(dst.resolve("manifest.json"))).isEqualTo(Files.readAllBytes(local.resolve("manifest.json")));
      assertThat(CliRun.of("verify", dst.toString()).exitCode()).isZero();
    }
  }
}
