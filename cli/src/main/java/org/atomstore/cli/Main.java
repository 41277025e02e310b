package org.atomstore.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code atomstore} command: one small subcommand class per verb. Without a command it prints its usage
 * on stderr and exits with the usage code, as git does.
 */
@Command(
    name = "atomstore",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Write, inspect, convert and read atomistic datasets in the Atompack .atp format. "
        + "Run 'atomstore COMMAND --help' for the options of a command.",
    subcommands = {
      CommandLine.HelpCommand.class,
      DemoCommand.class,
      InfoCommand.class,
      DumpCommand.class,
      VerifyCommand.class,
      ConvertCommand.class,
      ExportCommand.class,
      ShardCommand.class,
      MergeCommand.class,
      IterateCommand.class,
      CidCommand.class,
      BenchCommand.class,
      PublishCommand.class,
      PullCommand.class,
      SparkCommand.class,
      ArraysCommand.class,
      TrainCommand.class,
    })
public final class Main implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(names = "--cache", paramLabel = "CACHE_DIR", scope = CommandLine.ScopeType.INHERIT,
      description = "Cache what remote reads fetch in CACHE_DIR (default: $ATOMSTORE_CACHE; none when unset).")
  void cache(Path dir) { System.setProperty("atomstore.cache", dir.toString()); }

  @CommandLine.Option(names = "--cache-size", paramLabel = "SIZE", converter = Sizes.class, scope = CommandLine.ScopeType.INHERIT,
      description = "Most bytes the cache keeps, e.g. 10G (default: $ATOMSTORE_CACHE_SIZE, else 10G).")
  void cacheSize(long bytes) { System.setProperty("atomstore.cache.size", Long.toString(bytes)); }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  public static void main(String[] args) {
    // `spark ...` runs in a JVM of its own, which this one only starts: no need to build every other command first
    // (most of this JVM's start), and it then waits for that JVM
    if (args.length > 0 && args[0].equals("spark")) System.exit(spark(java.util.Arrays.copyOfRange(args, 1, args.length)));
    System.exit(run(args));
  }

  /** {@code atomstore spark ARGS} as the whole command line would run it, with only that command built. */
  static int spark(String... args) {
    CommandLine cl = new CommandLine(new SparkCommand());
    cl.setCommandName("atomstore spark");
    cl.setExecutionExceptionHandler(new ExitCodes.Handler());
    cl.setExitCodeExceptionMapper(ExitCodes::forException);
    cl.setParameterExceptionHandler(new ExitCodes.UsageHandler());
    cl.setUsageHelpAutoWidth(true);
    Usage.install(cl);
    cl.getCommandSpec().versionProvider(new Version());
    cl.setStopAtPositional(true).setUnmatchedOptionsArePositionalParams(true);
    return cl.execute(args);
  }

  /** Runs the CLI in-process and returns the exit code (tests call this). */
  public static int run(String... args) {
    return newCommandLine().execute(args);
  }

  public static CommandLine newCommandLine() {
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler(new ExitCodes.Handler());
    cl.setExitCodeExceptionMapper(ExitCodes::forException);
    cl.setParameterExceptionHandler(new ExitCodes.UsageHandler());
    cl.setUsageHelpAutoWidth(true);
    Usage.install(cl);
    // every command's --version says the same as atomstore --version
    for (CommandLine sub : cl.getSubcommands().values()) sub.getCommandSpec().versionProvider(new Version());
    // `spark convert --help` is the Spark JVM's to answer: everything after the first argument goes to it as is
    cl.getSubcommands().get("spark").setStopAtPositional(true).setUnmatchedOptionsArePositionalParams(true);
    return cl;
  }

  /** The version and the git commit it was built from, from a resource Maven fills in at build time. */
  static final class Version implements CommandLine.IVersionProvider {
    static final String RESOURCE = "/org/atomstore/cli/version.properties";

    @Override
    public String[] getVersion() throws IOException {
      Properties p = new Properties();
      try (InputStream in = Main.class.getResourceAsStream(RESOURCE)) {
        if (in != null) p.load(in);
      }
      String version = known(p.getProperty("version"), "dev");
      String commit = known(p.getProperty("commit"), "unknown");
      return new String[] {
        "atomstore " + version + " (commit " + commit + ")",
        "Java " + Runtime.version() + ", " + System.getProperty("java.vm.name"),
      };
    }

    /** A property Maven did not fill in (no git, or run from an IDE's unfiltered copy) is reported as unknown. */
    private static String known(String v, String fallback) {
      return v == null || v.isBlank() || v.startsWith("${") ? fallback : v;
    }
  }
}
