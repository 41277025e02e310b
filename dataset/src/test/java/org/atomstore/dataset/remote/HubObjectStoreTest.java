package org.atomstore.dataset.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.atomstore.codec.Compression;
import org.atomstore.dataset.Manifest;
import org.atomstore.dataset.ShardedDataset;
import org.atomstore.dataset.StoreDataset;
import org.atomstore.dataset.testing.HubTestServer;
import org.atomstore.remote.HttpOptions;
import org.atomstore.source.ObjectStore;
import org.atomstore.store.FieldSet;
import org.atomstore.store.RangedAtpReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** hf:// addresses against a local Hub-like server: the tree API with its pages, resolve with redirects, the token. */
class HubObjectStoreTest {
  @TempDir Path tmp;

  @AfterEach
  void clear() {
    System.clearProperty("atomstore.hf.endpoint");
    System.clearProperty("atomstore.hf.token");
  }

  @Test
  void parsesAddressesAsHuggingfaceHubSpellsThem() {
    assertThat(HubAddress.parse("hf://datasets/Org/repo")).isEqualTo(new HubAddress("Org/repo", "main", ""));
    assertThat(HubAddress.parse("hf://datasets/Org/repo@v1.0/omat/train/")).isEqualTo(new HubAddress("Org/repo", "v1.0", "omat/train"));
    assertThat(HubAddress.parse("hf://datasets/Org/repo@refs/pr/3/a.atp")).isEqualTo(new HubAddress("Org/repo", "refs/pr/3", "a.atp"));
    assertThat(HubAddress.parse("hf://datasets/Org/repo@refs%2Fconvert%2Fparquet/x")).isEqualTo(new HubAddress("Org/repo", "refs/convert/parquet", "x"));
    assertThat(HubAddress.parse("hf://datasets/Org/repo@refs/pr/3/a.atp").resolveUri("http://h", "a b.atp").toString())
        .isEqualTo("http://h/datasets/Org/repo/resolve/refs%2Fpr%2F3/a%20b.atp");
    assertThat(HubAddress.parse("hf://datasets/Org/repo/d").treeUri("http://h/").toString())
        .isEqualTo("http://h/api/datasets/Org/repo/tree/main/d?recursive=true");
    assertThatThrownBy(() -> HubAddress.parse("hf://models/Org/repo")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HubAddress.parse("hf://datasets/Org/repo/../x")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readsADatasetThroughTheTreeAndResolveEndpoints() throws IOException {
    Path repo = tmp.resolve("hub/Org/repo");
    Path dir = repo.resolve("omat/train");
    org.atomstore.dataset.remote.TransferTest.dataset(dir, 45, 10);
    Files.writeString(repo.resolve("README.md"), "# a dataset card");
    try (HubTestServer hub = HubTestServer.serve(tmp.resolve("hub")).pageSize(2).allowRevision("v1")) {
      System.setProperty("atomstore.hf.endpoint", hub.endpoint());
      try (ShardedDataset local = ShardedDataset.open(dir);
          StoreDataset remote = Addresses.openDataset("hf://datasets/Org/repo@v1/omat/train")) {
        assertThat(remote.manifest()).isPresent();
        assertThat(remote.shardStarts()).isEqualTo(local.shardStarts());
        for (long i = 0; i < local.size(); i++) assertThat(remote.get(i)).isEqualTo(local.get(i));
        long[] idx = {44, 0, 13, 27, 9};
        assertThat(remote.readBatch(idx, FieldSet.ALL, false).energy()).isEqualTo(local.readBatch(idx, FieldSet.ALL, false).energy());
      }
      // the listing took several pages, and the files came through resolve's redirect
      assertThat(hub.files().log()).anyMatch(l -> l.contains("/api/datasets/Org/repo/tree/v1/omat/train"));
      assertThat(hub.files().log()).anyMatch(l -> l.startsWith("GET /datasets/Org/repo/resolve/v1/omat/train/manifest.json"));
      try (ObjectStore store = Addresses.openStore("hf://datasets/Org/repo")) {
        assertThat(store.list("").stream().map(ObjectStore.Entry::name)).contains("README.md", "omat/train/manifest.json");
        Manifest m = Manifest.read(dir.resolve("manifest.json"));
        assertThat(((HubObjectStore) store).sha256("omat/train/" + m.shards().get(0).path())).contains(m.shards().get(0).sha256());
      }
    }
  }

  @Test
  void opensOneFileAndSendsTheTokenOnlyToTheHub() throws IOException {
    Path repo = tmp.resolve("hub/Org/private");
    org.atomstore.dataset.remote.TransferTest.dataset(repo, 12, 100);
    String shard;
    try (ShardedDataset local = ShardedDataset.open(repo)) {
      shard = local.shardPath(0);
    }
    try (HubTestServer hub = HubTestServer.serve(tmp.resolve("hub")).requireToken("s3cret")) {
      System.setProperty("atomstore.hf.endpoint", hub.endpoint());
      assertThatThrownBy(() -> Addresses.openDataset("hf://datasets/Org/private")).isInstanceOf(IOException.class)
          .hasMessageContaining("401");
      System.setProperty("atomstore.hf.token", "s3cret");
      hub.files().resetCounters();
      try (RangedAtpReader r = Addresses.openFile("hf://datasets/Org/private/" + shard)) {
        assertThat(r.size()).isEqualTo(12);
        assertThat(r.get(11).energy()).isEqualTo(new org.atomstore.model.Value.Float64(11.0));
      }
      // resolve carries the token; the CDN it redirects to (here the same host: a real CDN is another) is read by range
      assertThat(hub.files().log()).anyMatch(l -> l.contains("/resolve/main/" + shard) && l.endsWith("auth"));
      try (StoreDataset ds = Addresses.openDataset("hf://datasets/Org/private")) {
        assertThat(ds.size()).isEqualTo(12);
      }
    }
  }

  @Test
  void aMissingRepositoryOrRevisionIsNotFound() throws IOException {
    Files.createDirectories(tmp.resolve("hub/Org/repo"));
    try (HubTestServer hub = HubTestServer.serve(tmp.resolve("hub"));
        HubObjectStore s = new HubObjectStore(HubAddress.parse("hf://datasets/Org/nope"), hub.endpoint(), null, HttpOptions.defaults());
        HubObjectStore r = new HubObjectStore(HubAddress.parse("hf://datasets/Org/repo@v9"), hub.endpoint(), null, HttpOptions.defaults())) {
      assertThatThrownBy(() -> s.list("")).isInstanceOf(java.io.FileNotFoundException.class).hasMessageContaining("/api/datasets/Org/nope/tree/main");
      assertThatThrownBy(() -> r.list("")).isInstanceOf(java.io.FileNotFoundException.class);
    }
  }
}
