package org.atomstore.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.atomstore.codec.Compression;
import org.atomstore.store.AtpWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code atomstore} process stopped by SIGTERM removes its partial outputs. The process runs with this
 * test's class path; the test waits (bounded) until the partial output exists, then signals.
 */
class InterruptTest {
  @TempDir Path tmp;

  private static Process start(Path dir, String... args) throws IOException {
    return start(dir, List.of(), args);
  }

  /**
   * A shell that starts a job in the background (as a CI runner may) leaves SIGINT ignored in it, and the JVM then
   * keeps ignoring it (as nohup relies on): Ctrl-C is only tested on a process whose SIGINT is back to default.
   */
  private static Process startWithDefaultSigint(Path dir, String... args) throws IOException {
    return start(dir, List.of("perl", "-e", "$SIG{INT} = 'DEFAULT'; exec @ARGV or die \"exec: $!\""), args);
  }

  private static Process start(Path dir, List<String> prefix, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.addAll(List.of(ProcessHandle.current().info().command().orElseThrow(),
        "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(dir.resolve("stdout").toFile())
        .redirectError(dir.resolve("stderr").toFile()).start();
  }

  /** Waits until {@code p} exists, at most a minute (a loaded machine starts a JVM slowly). */
  private static void awaitExists(Path p, Process proc) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(p)) {
      assertThat(proc.isAlive()).as("process ended before %s appeared", p).isTrue();
      assertThat(System.nanoTime()).as("%s never appeared", p).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private static int terminate(Process proc) throws Exception {
    proc.destroy(); // SIGTERM on Unix
    assertThat(proc.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return proc.exitValue();
  }

  private List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void convertStoppedBySigtermRemovesItsTemporaryFile() throws Exception {
    // a named pipe nobody writes to: the convert blocks reading it, with its output already open
    Path fifo = tmp.resolve("in.xyz.gz");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assumeTrue(mk.waitFor() == 0, "mkfifo is needed to hold a convert at its input");
    Process proc = start(tmp, "convert", fifo.toString(), "out.atp");
    awaitExists(tmp.resolve(".out.atp.partial"), proc);
    int code = terminate(proc);
    assertThat(code).isEqualTo(128 + 15);
    assertThat(Files.readString(tmp.resolve("stdout"))).isEmpty();
    assertThat(Files.readString(tmp.resolve("stderr"), StandardCharsets.UTF_8))
        .contains("stopped; removed partial output ").contains(".out.atp.partial");
    assertThat(names(tmp)).containsExactly("in.xyz.gz", "stderr", "stdout");
  }

  /** 200,000 small molecules: enough for seconds of work after the first output bytes. */
  private Path largeInput() throws IOException {
    Path in = tmp.resolve("in.atp");
    try (var w = AtpWriter.create(in, Compression.NONE)) {
      for (long i = 0; i < 200_000; i++) w.add(DatasetCliTest.molecule(i));
    }
    return in;
  }

  @Test
  void shardStoppedBySigtermLeavesNoDatasetAndNoStagingDirectory() throws Exception {
    Path work = Files.createDirectory(tmp.resolve("work"));
    Path in = largeInput();
    // zstd's slowest level keeps the run going for seconds after its first shard
    Process proc = start(work, "shard", in.toString(), "ds", "--compression", "zstd:22", "--max-shard-molecules", "1000");
    awaitExists(work.resolve(".ds.partial/shard-00000000.atp"), proc);
    int code = terminate(proc);
    assertThat(code).as(Files.readString(work.resolve("stderr"))).isEqualTo(128 + 15);
    assertThat(Files.readString(work.resolve("stderr"))).contains("stopped; removed partial output").contains(".ds.partial");
    assertThat(names(work)).containsExactly("stderr", "stdout");
  }

  @Test
  void mergeStoppedBySigintRemovesItsTemporaryFile() throws Exception {
    Path work = Files.createDirectory(tmp.resolve("work"));
    Path in = largeInput();
    Process proc = startWithDefaultSigint(work, "merge", in.toString(), "m.atp", "--compression", "zstd:22");
    awaitExists(work.resolve(".m.atp.partial"), proc);
    // Ctrl-C sends SIGINT to the foreground process
    assertThat(new ProcessBuilder("kill", "-INT", Long.toString(proc.pid())).start().waitFor()).isZero();
    assertThat(proc.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(proc.exitValue()).as(Files.readString(work.resolve("stderr"))).isEqualTo(128 + 2);
    assertThat(Files.readString(work.resolve("stderr"))).contains("stopped; removed partial output").contains(".m.atp.partial");
    assertThat(names(work)).containsExactly("stderr", "stdout");
  }

  @Test
  void exportStoppedBySigtermRemovesItsTemporaryFile() throws Exception {
    Path work = Files.createDirectory(tmp.resolve("work"));
    Path in = largeInput();
    Process proc = start(work, "export", in.toString(), "out/all.extxyz");
    awaitExists(work.resolve("out/.all.extxyz.partial"), proc);
    int code = terminate(proc);
    assertThat(code).as(Files.readString(work.resolve("stderr"))).isEqualTo(128 + 15);
    assertThat(Files.readString(work.resolve("stderr"))).contains("stopped; removed partial output").contains(".all.extxyz.partial");
    assertThat(names(work.resolve("out"))).isEmpty();
  }
}
