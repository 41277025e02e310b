package org.atomstore.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer process is killed (SIGKILL) at random moments while it appends and flushes. Reopening must
 * always give a committed generation holding at least every molecule whose flush had returned, each
 * decoding to exactly what was written; appending after the crash must work.
 */
class CrashRecoveryTest {
  private static final long SEED = 20261121L;
  private static final int TRIALS = 16;
  private static final int FLUSH_EVERY = 25;

  @TempDir Path tmp;

  @Test
  void reopensAtLastCommittedGenerationAfterCrash() throws Exception {
    SplittableRandom rnd = new SplittableRandom(SEED);
    Path file = tmp.resolve("crash.atp");
    long everCommitted = 0;
    for (int trial = 0; trial < TRIALS; trial++) {
      String compression = switch (trial % 3) { case 0 -> "none"; case 1 -> "zstd:3"; default -> "lz4"; };
      boolean append = trial % 4 != 0 && everCommitted > 0;
      if (!append) everCommitted = 0;
      long reported = runAndKill(file, compression, append, 150 + rnd.nextInt(900));
      try (AtpReader r = AtpReader.open(file)) {
        String where = "seed " + SEED + " trial " + trial;
        assertThat(r.size()).as(where).isGreaterThanOrEqualTo(Math.max(reported, everCommitted));
        assertThat(r.size() % FLUSH_EVERY).as(where + ": only whole flushes are visible").isZero();
        for (long i = 0; i < r.size(); i++) {
          assertThat(r.get(i)).as(where + " molecule " + i).isEqualTo(CrashWriter.molecule(i));
        }
        assertThat(r.verify(5)).as(where).isEmpty();
        everCommitted = r.size();
      }
    }
    assertThat(everCommitted).as("the trials got far enough to commit something").isPositive();
  }

  /** Runs the writer until killed after {@code millis}; returns the last count it reported committed. */
  private long runAndKill(Path file, String compression, boolean append, int millis) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
        "-cp", System.getProperty("java.class.path"), CrashWriter.class.getName(),
        file.toString(), String.valueOf(FLUSH_EVERY), compression, append ? "append" : "create");
    pb.redirectErrorStream(true);
    Process p = pb.start();
    AtomicLong last = new AtomicLong();
    Thread reader = Thread.ofVirtual().start(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
        for (String line; (line = in.readLine()) != null; ) {
          if (line.startsWith("committed ")) last.set(Long.parseLong(line.substring(10).trim()));
        }
      } catch (IOException ignored) {
        // the pipe closes when the process dies
      }
    });
    // wait until the writer has started, then let it run for a random time
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (last.get() == 0 && !append && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(5);
    Thread.sleep(millis);
    long reportedBeforeKill = last.get();
    p.destroyForcibly();
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    reader.join(5000);
    return reportedBeforeKill;
  }
}
