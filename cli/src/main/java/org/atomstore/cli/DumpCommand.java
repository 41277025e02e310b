package org.atomstore.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.atomstore.cli.json.AtpJson;
import org.atomstore.io.AseDump;
import org.atomstore.io.extxyz.ExtxyzFormatException;
import org.atomstore.store.AtpReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "dump", description = {
    "Print everything a file holds as canonical JSON.",
    "For .atp files: top-level header, schema and molecules, with the keys and value encodings of the",
    "Atompack golden dumps, so a dump can be compared with a reference dump directly.",
    "For xyz/extxyz and ASE .db files: how Atomstore reads them, in the layout of the ASE corpus'",
    "FILE.expected.json files (nframes/frames or nrows/rows, values typed as ASE gives them)."})
final class DumpCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE",
      description = "An .atp file, a dataset directory, an .xyz/.extxyz file (optionally .gz/.bz2/.xz) or an ASE .db file.")
  Path file;

  @Spec CommandSpec spec;

  /** The JSON writer of the commands that print JSON; made on first use, so other commands never load Jackson. */
  static ObjectMapper json() { return JsonHolder.MAPPER; }

  private static final class JsonHolder {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (java.nio.file.Files.isDirectory(file)) return DatasetCommands.dump(file, out);
    if (AseDump.handles(file)) {
      try {
        AseDump.write(file, out);
      } catch (ExtxyzFormatException e) {
        out.flush();
        spec.commandLine().getErr().println("atomstore dump: " + e.getMessage());
        return ExitCodes.CORRUPT_INPUT;
      }
      return ExitCodes.OK;
    }
    try (AtpReader r = AtpReader.open(file)) {
      AtpJson.write(r, out, json());
    }
    out.println();
    out.flush();
    return ExitCodes.OK;
  }
}
