package org.atomstore.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.atomstore.store.AtpFile;
import org.atomstore.store.LostCommitException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "verify", mixinStandardHelpOptions = true, description = {
    "Decode every record and check every invariant of a file or a dataset.",
    "For a dataset directory: every shard the manifest lists exists with its size, SHA-256 and molecule count, "
        + "and no .atp file is left out of it; a directory with neither a manifest nor .atp files is not a dataset.",
    "Exit 0 when sound, 1 with a report of the first problems (on stderr), also when the file's last commit is "
        + "lost (cut short after it, or no valid header slot); 3 when the file cannot be opened otherwise. "
        + "--json prints the result as one JSON document on stdout, problems included."})
final class VerifyCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "PATH", description = "An .atp file or a dataset directory, local or remote "
      + "(https://, s3://, hf://), or any store path or address (asebytes .lmdb, .aselmdb, redis://, ...).")
  String arg;

  @Option(names = "--max-problems", paramLabel = "N", defaultValue = "10", description = "Stop after this many problems (default: ${DEFAULT-VALUE}).")
  int maxProblems;

  @Option(names = "--json", description = "Print the result as one JSON document on stdout.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (maxProblems < 1) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--max-problems must be at least 1, not " + maxProblems);
    }
    long t0 = System.nanoTime();
    if (!Inputs.remote(arg) && !TableArgs.isAtpOrDataset(arg)) {
      return TableCommands.verify(arg, maxProblems, json, spec.commandLine().getOut(), spec.commandLine().getErr());
    }
    String address = arg;
    String shown = Inputs.shown(address);
    if (Inputs.isDataset(address)) {
      return DatasetCommands.verify(address, maxProblems, json, t0, spec.commandLine().getOut(), spec.commandLine().getErr());
    }
    AtpFile opened;
    try {
      opened = Inputs.file(address);
    } catch (LostCommitException e) {
      // the file's last commit cannot be read (cut short after it, or no valid header slot): a failed check
      List<String> problems = List.of(e.getMessage());
      if (json) {
        new Summary("verify").put("path", shown).put("kind", "file").put("ok", false)
            .put("bytes", Inputs.remote(address) ? -1 : Files.size(Path.of(address))).strings("problems", problems).print(spec.commandLine().getOut());
        return ExitCodes.CHECK_FAILED;
      }
      return DatasetCommands.failed(shown, problems, spec.commandLine().getErr());
    }
    try (AtpFile r = opened) {
      List<String> problems = r.verify(maxProblems);
      double seconds = Summary.seconds(t0);
      long bytes = r.fileSize();
      long uncommitted = r.uncommittedBytes();
      if (json) {
        new Summary("verify").put("path", shown).put("kind", "file").put("ok", problems.isEmpty())
            .put("bytes", bytes).put("generation", r.generation())
            .put("uncommitted_bytes", uncommitted).timing(r.size(), seconds).strings("problems", problems)
            .print(spec.commandLine().getOut());
        return problems.isEmpty() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
      }
      if (problems.isEmpty()) {
        PrintWriter out = spec.commandLine().getOut();
        out.printf("OK %s: %,d molecules, %s, generation %d%s, checked in %s%n", shown, r.size(), Summary.human(bytes),
            r.generation(), uncommitted > 0 ? ", " + uncommitted + " uncommitted bytes ignored" : "",
            Summary.time(seconds));
        out.flush();
        return ExitCodes.OK;
      }
      return DatasetCommands.failed(shown, problems, spec.commandLine().getErr());
    }
  }
}
