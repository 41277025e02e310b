package org.atomstore.data.redis;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} (Debian's package) on a free loopback port with its own temporary directory, no
 * persistence, started by a test and stopped by {@link #close()}. Tests that need one skip, saying why, when the
 * binary is absent ({@code .ci/run} installs it).
 */
final class RedisServer implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path dir;

  private RedisServer(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  /** The redis-server binary on the PATH (or in /usr/bin), or null. */
  static Path binary() {
    for (String d : (System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin:/usr/sbin").split(File.pathSeparator)) {
      Path p = Path.of(d.isEmpty() ? "." : d, "redis-server");
      if (Files.isExecutable(p)) return p;
    }
    return null;
  }

  /** Starts a server, or skips the calling test when there is no redis-server binary. */
  static RedisServer start() throws IOException, InterruptedException {
    Path bin = binary();
    assumeTrue(bin != null, "redis-server is not installed (apt-get install redis-server; .ci/run installs it): Redis tests skipped");
    Path dir = Files.createTempDirectory("atomstore-redis-");
    IOException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
      Process p = new ProcessBuilder(bin.toString(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
          "--dir", dir.toString(), "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes")
          .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
      if (awaitPort(p, port)) return new RedisServer(p, port, dir);
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      last = new IOException("redis-server did not start on port " + port + ": " + Files.readString(dir.resolve("redis.log")));
    }
    throw last;
  }

  private static boolean awaitPort(Process p, int port) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline && p.isAlive()) {
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return true;
      } catch (IOException notYet) {
        Thread.sleep(20);
      }
    }
    return false;
  }

  int port() { return port; }

  /** The address of a group in database {@code db}. */
  String address(int db, String group) {
    return "redis://127.0.0.1:" + port + "/" + db + "/" + group;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    try (var walk = Files.walk(dir)) {
      for (Path f : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
    }
  }
}
