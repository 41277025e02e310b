package org.atomstore.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.atomstore.io.extxyz.ExtxyzWriter;
import org.atomstore.io.mapping.AseMapping;
import org.atomstore.store.AtpReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "export", description = {
    "Write an .atp file as extended XYZ that ASE reads back to the same values",
    "(positions, numbers, cell, pbc, energy/forces/stress as calculator results, properties as info/arrays).",
    "The output appears only when complete."})
final class ExportCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "IN.atp") Path in;
  @Parameters(index = "1", paramLabel = "OUT.extxyz") Path out;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    long n;
    try (AtpReader r = AtpReader.open(in); ExtxyzWriter w = ExtxyzWriter.create(out)) {
      for (long i = 0; i < r.size(); i++) w.write(AseMapping.fromMolecule(r.get(i)));
      n = r.size();
    }
    spec.commandLine().getOut().println("exported " + n + " structures to " + out);
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
