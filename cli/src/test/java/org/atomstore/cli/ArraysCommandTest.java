package org.atomstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.atomstore.arrays.ZarrStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArraysCommandTest {
  static final Path SHARED = Path.of(System.getProperty("atomstore.shared", "../../shared"));
  @TempDir Path tmp;

  @Test
  void dumpPrintsTheGoldenExpectedJsonButForTheProducer() throws Exception {
    Path store = SHARED.resolve("compat/zarr-v2/consolidated.zarr");
    CliRun r = CliRun.of("arrays", "dump", store.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    String want = Files.readString(SHARED.resolve("compat/zarr-v2/consolidated.zarr.expected.json"));
    String producer = "\"producer\": \\{[^}]*\\}";
    assertThat(r.out().replaceAll(producer, "P")).isEqualTo(want.replaceAll(producer, "P"));
  }

  @Test
  void infoSummarizesArraysAndCorruptStoresExitThree() throws Exception {
    CliRun r = CliRun.of("arrays", "info", SHARED.resolve("compat/zarr-v2/trajectory.zarr").toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("array  /positions  <f4 [2000, 64, 3] chunks [100, 64, 3] C blosc:lz4");
    Path bad = tmp.resolve("bad.zarr");
    Files.createDirectories(bad);
    Files.writeString(bad.resolve(".zarray"), "{\"zarr_format\": 2, \"shape\": [-4], \"chunks\": [1], \"dtype\": \"<f8\", \"compressor\": null, \"fill_value\": 0, \"order\": \"C\", \"filters\": null}");
    CliRun b = CliRun.of("arrays", "info", bad.toString());
    assertThat(b.exitCode()).isEqualTo(ExitCodes.CORRUPT_INPUT);
    assertThat(b.err()).contains("negative").contains(".zarray");
  }

  @Test
  void convertsAnExtxyzTrajectoryAndRecompressesTheStore() throws Exception {
    Path xyz = SHARED.resolve("testdata/generated/extxyz/trajectory_1000.xyz");
    Path out = tmp.resolve("traj.zarr");
    CliRun r = CliRun.of("arrays", "convert", xyz.toString(), out.toString(), "--frames-per-chunk", "64");
    assertThat(r.exitCode()).as(r.err()).isZero();
    Path out2 = tmp.resolve("traj-blosc.zarr");
    CliRun r2 = CliRun.of("arrays", "convert", out.toString(), out2.toString(), "--compression", "blosc:lz4:5:shuffle");
    assertThat(r2.exitCode()).as(r2.err()).isZero();
    try (ZarrStore a = ZarrStore.open(out); ZarrStore b = ZarrStore.open(out2)) {
      assertThat(a.array("positions").orElseThrow().dims()).containsExactly("frame", "atom", "xyz");
      assertThat(a.array("positions").orElseThrow().shape()[0]).isEqualTo(1000);
      for (String name : a.arrays()) assertThat(b.read(name)).as(name).isEqualTo(a.read(name));
      assertThat(b.array("positions").orElseThrow().compressor()).containsEntry("id", "blosc");
      assertThat(a.stats("positions").orElseThrow().nullCount()).isZero();
    }
  }
}
