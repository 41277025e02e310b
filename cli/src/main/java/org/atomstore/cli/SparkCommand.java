package org.atomstore.cli;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "spark", mixinStandardHelpOptions = true, description = {
    "Spark jobs over datasets: `spark convert IN... OUT_DIR [--master local[N]] [--compression C] [--shard-molecules N]` "
        + "and `spark sql DATASET 'SELECT ...'` (the dataset is the table `atoms`; CSV, or --json). `spark --help` "
        + "and `spark convert --help` say more.",
    "Runs in a JVM of its own with Spark's class path (lib/spark) and the module options Spark needs on this JDK: "
        + "nothing of Spark is loaded by other commands."})
final class SparkCommand implements Callable<Integer> {
  /**
   * The JVM options Spark's own launcher gives on modern JDKs (org.apache.spark.launcher.JavaModuleOptions), less
   * sun.security.action (not in JDK 25's java.base) and the incubating vector module (it prints a warning).
   */
  static final List<String> SPARK_JVM = List.of("-XX:+IgnoreUnrecognizedVMOptions",
      "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
      "--add-opens=java.base/java.net=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
      "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED", "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
      "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
      "--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED", "-Dio.netty.tryReflectionSetAccessible=true",
      "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
      // Spark logs through log4j (lib/spark): its binding named, so slf4j looks no further, and a configuration
      // that keeps Spark's start-up INFO lines off stderr
      "-Dslf4j.provider=org.apache.logging.slf4j.SLF4JServiceProvider", "-Dslf4j.internal.verbosity=WARN",
      "-Dlog4j2.configurationFile=classpath:org/atomstore/spark/log4j2-cli.properties");

  @CommandLine.Parameters(paramLabel = "COMMAND", arity = "1..*", description = "convert or sql, then its arguments "
      + "and options, as `spark convert --help` and `spark sql --help` list them.")
  List<String> args = new ArrayList<>();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    String classPath = classPath();
    List<String> jvm = new ArrayList<>();
    jvm.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    jvm.addAll(SPARK_JVM);
    String opts = System.getenv("JAVA_OPTS");
    if (opts != null && !opts.isBlank()) jvm.addAll(List.of(opts.trim().split("\\s+")));
    Aot aot = Aot.of(classPath, args);
    List<String> cmd = new ArrayList<>(jvm);
    if (aot != null) cmd.addAll(aot.options());
    cmd.add("-cp");
    cmd.add(classPath);
    cmd.add("org.atomstore.spark.SparkCli");
    cmd.addAll(args);
    int code = run(cmd, spec.commandLine().getOut(), spec.commandLine().getErr());
    if (aot != null) aot.create(code == 0, jvm, classPath, this);
    return code;
  }

  /** Runs a JVM with its output copied to {@code to} and {@code errTo}; 130 when interrupted. */
  private int run(List<String> cmd, PrintWriter to, PrintWriter errTo) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    // Spark in local mode binds to loopback only
    pb.environment().putIfAbsent("SPARK_LOCAL_IP", "127.0.0.1");
    Process p = pb.start();
    Thread out = copy(p.getInputStream(), to);
    Thread err = copy(p.getErrorStream(), errTo);
    try {
      int code = p.waitFor();
      out.join();
      err.join();
      return code;
    } catch (InterruptedException e) {
      p.destroy();
      Thread.currentThread().interrupt();
      return 130;
    }
  }

  /**
   * The JDK's ahead-of-time cache (JEP 483/515) for the Spark JVM: the classes Spark loads and links to start, read
   * from one file instead of 160 jars, halve its start. Kept in {@code $XDG_CACHE_HOME/atomstore/spark-aot} (else
   * {@code ~/.cache/...}; {@code ATOMSTORE_SPARK_AOT=off} turns it off, a directory there moves it), one file per
   * JDK and set of jars (their names, sizes and times in its name), so a rebuilt or upgraded installation never
   * meets a cache of another; the JVM checks it again and runs without it when it does not fit. The first
   * {@code convert} or {@code sql} records what it loads; once it has succeeded the cache is built from that
   * (a minute at most, once). Only from the built jars: a class path of directories (the tests) cannot be cached.
   */
  record Aot(Path cache, Path config, boolean exists) {
    static Aot of(String classPath, List<String> args) {
      String setting = System.getenv("ATOMSTORE_SPARK_AOT");
      if ("off".equalsIgnoreCase(setting) || args.isEmpty() || !(args.get(0).equals("convert") || args.get(0).equals("sql"))
          || args.contains("--help") || args.contains("-h")) {
        return null;
      }
      try {
        Path dir = setting != null && !setting.isBlank() ? Path.of(setting) : cacheHome().resolve("atomstore").resolve("spark-aot");
        var digest = java.security.MessageDigest.getInstance("SHA-256");
        // JAVA_OPTS left out: the JVM itself refuses a cache its options do not fit
        digest.update((System.getProperty("java.home") + '\n' + System.getProperty("java.vm.version") + '\n' + SPARK_JVM + '\n')
            .getBytes(StandardCharsets.UTF_8));
        for (String entry : classPath.split(File.pathSeparator)) {
          List<Path> jars = new ArrayList<>();
          if (entry.endsWith(File.separator + "*")) {
            try (var s = Files.list(Path.of(entry.substring(0, entry.length() - 2)))) {
              s.filter(f -> f.toString().endsWith(".jar")).sorted().forEach(jars::add);
            }
          } else {
            Path jar = Path.of(entry);
            if (!Files.isRegularFile(jar)) return null; // a directory: nothing to cache
            jars.add(jar);
            Path lib = jar.resolveSibling("lib"); // the jar's manifest names lib/*.jar
            if (Files.isDirectory(lib)) {
              try (var s = Files.list(lib)) {
                s.filter(f -> f.toString().endsWith(".jar")).sorted().forEach(jars::add);
              }
            }
          }
          for (Path jar : jars) {
            digest.update((jar.toAbsolutePath() + " " + Files.size(jar) + " " + Files.getLastModifiedTime(jar).toMillis() + '\n')
                .getBytes(StandardCharsets.UTF_8));
          }
        }
        String key = java.util.HexFormat.of().formatHex(digest.digest(), 0, 12);
        Path cache = dir.resolve("spark-" + key + ".aot");
        if (Files.isRegularFile(cache)) return new Aot(cache, null, true);
        Files.createDirectories(dir);
        return new Aot(cache, dir.resolve("spark-" + key + "." + ProcessHandle.current().pid() + ".aotconf"), false);
      } catch (IOException | java.security.NoSuchAlgorithmException | RuntimeException e) {
        return null; // no cache: Spark starts as it would without one
      }
    }

    private static Path cacheHome() {
      String xdg = System.getenv("XDG_CACHE_HOME");
      return xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    }

    /** The options for the Spark JVM: use the cache, or record for it; the JDK's notes about it kept quiet. */
    List<String> options() {
      return exists
          ? List.of("-XX:AOTCache=" + cache, "-Xlog:aot*=off", "-Xlog:cds*=off")
          : List.of("-XX:AOTMode=record", "-XX:AOTConfiguration=" + config, "-Xlog:aot*=off", "-Xlog:cds*=off");
    }

    /**
     * After a recording run: builds the cache under a name of its own, then moves it into place; after a failed
     * one ({@code !succeeded}) only removes what it recorded.
     */
    void create(boolean succeeded, List<String> jvm, String classPath, SparkCommand command) {
      if (exists) return;
      if (!succeeded || !Files.isRegularFile(config)) {
        try {
          Files.deleteIfExists(config);
        } catch (IOException e) {
          // left for a later run to overwrite
        }
        return;
      }
      Path temp = cache.resolveSibling(config.getFileName() + ".aot");
      try {
        command.spec.commandLine().getErr().println("atomstore: building a start-up cache for Spark commands in "
            + cache.getParent() + " (once; ATOMSTORE_SPARK_AOT=off to skip)...");
        command.spec.commandLine().getErr().flush();
        List<String> cmd = new ArrayList<>(jvm);
        cmd.addAll(List.of("-XX:AOTMode=create", "-XX:AOTConfiguration=" + config, "-XX:AOTCache=" + temp,
            "-Xlog:aot*=off", "-Xlog:cds*=off", "-cp", classPath));
        var quiet = new PrintWriter(java.io.Writer.nullWriter());
        if (command.run(cmd, quiet, quiet) == 0 && Files.isRegularFile(temp)) {
          Files.move(temp, cache, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
          // caches of earlier builds are of no more use
          try (var s = Files.list(cache.getParent())) {
            for (Path old : s.filter(f -> f.getFileName().toString().endsWith(".aot") && !f.equals(cache)
                && !f.getFileName().toString().contains(".aotconf")).toList()) {
              Files.deleteIfExists(old);
            }
          }
        }
      } catch (IOException | RuntimeException e) {
        // no cache: the next run records again
      } finally {
        try {
          Files.deleteIfExists(config);
          Files.deleteIfExists(temp);
        } catch (IOException e) {
          // left for the next build to overwrite
        }
      }
    }
  }

  private static Thread copy(InputStream in, PrintWriter to) {
    return Thread.ofPlatform().daemon().start(() -> {
      try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          // the JDK says so on stdout when it has recorded for the start-up cache (Aot), whatever -Xlog says
          if (line.strip().startsWith("AOTConfiguration recorded: ")) continue;
          to.println(line);
          to.flush();
        }
      } catch (IOException e) {
        // the child ended; nothing more to copy
      }
    });
  }

  /**
   * This JVM's class path, plus lib/spark/* beside the command's jar: in the distribution and the source tree the
   * jar's manifest names lib/*.jar, and Spark lives in lib/spark. Running from classes (the tests), the class path
   * already holds Spark.
   */
  private String classPath() throws IOException, URISyntaxException {
    String cp = System.getProperty("java.class.path");
    Path code = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    if (Files.isRegularFile(code)) {
      Path spark = code.getParent().resolve("lib").resolve("spark");
      if (!Files.isDirectory(spark)) {
        throw new CommandLine.ExecutionException(spec.commandLine(), "Spark is not installed beside " + code
            + ": no lib/spark directory (build with ./mvnw package, or use the distribution)");
      }
      cp = code + File.pathSeparator + spark + File.separator + "*";
    }
    return cp;
  }
}
