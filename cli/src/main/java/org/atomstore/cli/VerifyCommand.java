package org.atomstore.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.atomstore.store.AtpReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "verify", description = {
    "Decode every record and check every invariant of the file.",
    "Exit 0 when sound, 1 with a report of the first problems, 3 when the file cannot be opened."})
final class VerifyCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE", description = "An .atp file or a dataset directory.")
  Path file;

  @Option(names = "--max-problems", defaultValue = "10", description = "Stop after this many problems (default: ${DEFAULT-VALUE}).")
  int maxProblems;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (java.nio.file.Files.isDirectory(file)) return DatasetCommands.verify(file, maxProblems, out, spec.commandLine().getErr());
    AtpReader opened;
    try {
      opened = AtpReader.open(file);
    } catch (org.atomstore.store.LostCommitException e) {
      // a file that cannot even be opened (no valid header slot, committed data missing) fails the check
      PrintWriter err = spec.commandLine().getErr();
      err.printf("FAILED %s: 1 problem(s)%n  %s%n", file, e.getMessage());
      err.flush();
      return ExitCodes.CHECK_FAILED;
    }
    try (AtpReader r = opened) {
      List<String> problems = r.verify(Math.max(1, maxProblems));
      if (problems.isEmpty()) {
        out.printf("OK %s: %,d molecules, generation %d%s%n", file, r.size(), r.header().slot().generation(),
            r.header().uncommittedBytes() > 0 ? ", " + r.header().uncommittedBytes() + " uncommitted bytes ignored" : "");
        out.flush();
        return ExitCodes.OK;
      }
      PrintWriter err = spec.commandLine().getErr();
      err.printf("FAILED %s: %d problem(s)%n", file, problems.size());
      for (String p : problems) err.println("  " + p);
      err.flush();
      return ExitCodes.CHECK_FAILED;
    }
  }
}
