package org.atomstore.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import org.atomstore.io.extxyz.ExtxyzWriter;
import org.atomstore.io.mapping.AseMapping;
import org.atomstore.store.AtpReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "export", mixinStandardHelpOptions = true, description = {
    "Write an .atp file as extended XYZ that ASE reads back to the same values.",
    "Positions, numbers, cell, pbc, energy/forces/stress as calculator results, properties as info/arrays. "
        + "Missing parent directories are created. The output is written under a temporary name "
        + "(.NAME.partial) and renamed when complete, with the permissions of any new file (0644 under umask "
        + "022); a failed or interrupted run removes it."})
final class ExportCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "IN.atp", description = "The .atp file to export.")
  Path in;

  @Parameters(index = "1", paramLabel = "OUT.extxyz", description = "The extended XYZ file to write (replaced if it exists).")
  Path out;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    long t0 = System.nanoTime();
    long n;
    try (AtpReader r = AtpReader.open(in)) {
      n = write(r, out);
    }
    double seconds = Summary.seconds(t0);
    PrintWriter o = spec.commandLine().getOut();
    o.printf("exported %,d structures to %s (%s) in %s%n", n, out, Summary.human(Files.size(out)), Summary.time(seconds));
    o.flush();
    return ExitCodes.OK;
  }

  /**
   * Writes through a temporary sibling created as any new file is (mode 0666 minus the umask), not with
   * {@code Files.createTempFile}, whose 0600 the rename would carry over to the output.
   */
  private static long write(AtpReader r, Path out) throws IOException {
    Path temp = AtomicAtp.temporaryName(out);
    AtomicAtp.createDirectories(temp.getParent());
    Temporaries.register(temp);
    try {
      Files.deleteIfExists(temp); // a stale one from a killed run would keep its own mode
      try (Writer text = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(temp,
              StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE),
              StandardCharsets.UTF_8), 1 << 16);
          ExtxyzWriter w = ExtxyzWriter.to(text)) {
        for (long i = 0; i < r.size(); i++) w.write(AseMapping.fromMolecule(r.get(i)));
      }
      Files.move(temp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      Temporaries.release(temp);
      return r.size();
    } catch (IOException | RuntimeException | Error e) {
      AtomicAtp.discardAfter(e, temp);
      throw e;
    }
  }
}
