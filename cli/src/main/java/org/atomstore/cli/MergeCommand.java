package org.atomstore.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.atomstore.codec.Compression;
import org.atomstore.data.Copy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "merge", mixinStandardHelpOptions = true, description = {
    "Concatenate tables (.atp files, dataset directories, or any store 'atomstore info' opens) into one .atp "
        + "file, in the order given. Records of .atp inputs that use the output's compression are copied as they "
        + "are stored, without decoding.",
    "Missing parent directories are created. The output is written under a temporary name (.NAME.partial) and "
        + "renamed when complete; a failed or interrupted run (Ctrl-C, SIGTERM) removes it.",
    "Prints the output path, molecule count, size and time; --json prints them as one JSON document."})
final class MergeCommand implements Callable<Integer> {
  @Parameters(arity = "2..*", paramLabel = "IN... OUT.atp", hideParamSyntax = true,
      description = "Input .atp files, dataset directories or store paths/addresses, then the output file.")
  List<String> paths;

  @Option(names = "--compression", paramLabel = "SPEC", defaultValue = "none", converter = CompressionOption.class,
      description = CompressionOption.HELP + " (default: ${DEFAULT-VALUE}, as Atompack's own default, whatever "
          + "the inputs use).")
  Compression compression;

  @Option(names = "--json", description = "Print what was written as one JSON document on stdout.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Path out = Path.of(paths.getLast());
    List<String> inputs = paths.subList(0, paths.size() - 1);
    long t0 = System.nanoTime();
    Copy.Result r;
    Path temp = Temporaries.register(Copy.temporaryName(out));
    try (TableArgs.Opened in = TableArgs.Opened.of(inputs);
        CopyProgress progress = new CopyProgress("merge", spec.commandLine().getErr())) {
      r = Copy.run(in.tables(), new Copy.Destination.AtpFile(out, compression), Copy.OnError.STOP, progress);
    } finally {
      Temporaries.release(temp);
    }
    long n = r.copied();
    double seconds = Summary.seconds(t0);
    long bytes = Files.size(out);
    PrintWriter pw = spec.commandLine().getOut();
    if (json) {
      new Summary("merge").strings("inputs", TableArgs.display(inputs)).put("output", out.toString()).put("bytes", bytes)
          .put("compression", compression.toString()).timing(n, seconds).print(pw);
      return ExitCodes.OK;
    }
    pw.printf("wrote %,d molecules to %s (%s, %s) in %s, %s molecules/s%n", n, out, Summary.human(bytes), compression,
        Summary.time(seconds), Summary.rate(n, seconds));
    pw.flush();
    return ExitCodes.OK;
  }
}
