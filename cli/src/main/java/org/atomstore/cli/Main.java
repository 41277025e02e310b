package org.atomstore.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code atomstore} command: one small subcommand class per verb. */
@Command(
    name = "atomstore",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Write, inspect, convert and read atomistic datasets in the Atompack .atp format.",
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
      BenchCommand.class,
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.err);
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the CLI in-process and returns the exit code (tests call this). */
  public static int run(String... args) {
    return newCommandLine().execute(args);
  }

  public static CommandLine newCommandLine() {
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler(new ExitCodes.Handler());
    cl.setExitCodeExceptionMapper(ExitCodes::forException);
    return cl;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"atomstore " + (v == null ? "dev" : v)};
    }
  }
}
