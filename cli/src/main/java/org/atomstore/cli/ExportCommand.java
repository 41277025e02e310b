package org.atomstore.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.atomstore.data.Copy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "export", mixinStandardHelpOptions = true, description = {
    "Write a table (an .atp file, a dataset directory, or any store 'atomstore info' opens) as extended XYZ that "
        + "ASE reads back to the same values.",
    "Positions, numbers, cell, pbc, energy/forces/stress as calculator results, properties as info/arrays. "
        + "Missing parent directories are created. The output is written under a temporary name "
        + "(.NAME.partial) and renamed when complete, with the permissions of any new file (0644 under umask "
        + "022); a failed or interrupted run removes it."})
final class ExportCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "IN", description = "The .atp file, dataset directory or store path/address to export.")
  String in;

  @Parameters(index = "1", paramLabel = "OUT.extxyz", description = "The extended XYZ file to write (replaced if it exists).")
  Path out;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    long t0 = System.nanoTime();
    long n;
    Path temp = Temporaries.register(Copy.temporaryName(out));
    try (TableArgs.Opened opened = TableArgs.Opened.of(List.of(in));
        CopyProgress progress = new CopyProgress("export", spec.commandLine().getErr())) {
      n = Copy.run(opened.tables(), new Copy.Destination.Extxyz(out), Copy.OnError.STOP, progress).copied();
    } finally {
      Temporaries.release(temp);
    }
    double seconds = Summary.seconds(t0);
    PrintWriter o = spec.commandLine().getOut();
    o.printf("exported %,d structures to %s (%s) in %s%n", n, out, Summary.human(Files.size(out)), Summary.time(seconds));
    o.flush();
    return ExitCodes.OK;
  }
}
