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
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(SPARK_JVM);
    String opts = System.getenv("JAVA_OPTS");
    if (opts != null && !opts.isBlank()) cmd.addAll(List.of(opts.trim().split("\\s+")));
    cmd.add("-cp");
    cmd.add(classPath);
    cmd.add("org.atomstore.spark.SparkCli");
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    // Spark in local mode binds to loopback only
    pb.environment().putIfAbsent("SPARK_LOCAL_IP", "127.0.0.1");
    Process p = pb.start();
    Thread out = copy(p.getInputStream(), spec.commandLine().getOut());
    Thread err = copy(p.getErrorStream(), spec.commandLine().getErr());
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

  private static Thread copy(InputStream in, PrintWriter to) {
    return Thread.ofPlatform().daemon().start(() -> {
      try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
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
