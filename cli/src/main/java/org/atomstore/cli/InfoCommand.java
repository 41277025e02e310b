package org.atomstore.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.atomstore.cli.json.AtpJson;
import org.atomstore.store.AtpFile;
import org.atomstore.store.FileSchema;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "info", mixinStandardHelpOptions = true, description = {
    "Summarize a file or a dataset: molecule count, compression, record format, schema fields and size.",
    "--json prints the same as one JSON document."})
final class InfoCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "PATH", description = "An .atp file or a dataset directory, local or remote "
      + "(https://, s3://, hf://), or any store path or address (asebytes .lmdb, .aselmdb, redis://, ...).")
  String arg;

  @Option(names = "--json", description = "Print JSON for machines.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (!Inputs.remote(arg) && !TableArgs.isAtpOrDataset(arg)) return TableCommands.info(arg, json, out);
    String address = arg;
    if (Inputs.isDataset(address)) return DatasetCommands.info(address, json, out);
    try (AtpFile r = Inputs.file(address)) {
      long size = r.fileSize();
      if (json) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("path", Inputs.shown(address));
        o.put("size_bytes", size);
        o.set("header", AtpJson.header(r));
        o.put("generation", r.generation());
        o.put("selected_slot", String.valueOf(r.headerSlot()));
        o.put("uncommitted_bytes", r.uncommittedBytes());
        o.set("schema", AtpJson.schema(r));
        out.println(DumpCommand.json().writeValueAsString(o));
      } else {
        out.printf("file:          %s%n", Inputs.shown(address));
        out.printf("size:          %,d bytes%n", size);
        out.printf("molecules:     %,d%n", r.size());
        out.printf("compression:   %s%n", r.compression());
        out.printf("record format: %d (positions %s)%n", r.recordFormat(), r.positionsType() == 7 ? "float64" : "float32");
        out.printf("generation:    %d (slot %s)%n", r.generation(), r.headerSlot());
        if (r.uncommittedBytes() > 0) out.printf("uncommitted:   %,d bytes after the last commit (ignored)%n", r.uncommittedBytes());
        List<FileSchema.Field> fields = r.fileSchema().map(FileSchema::fields).orElse(List.of());
        if (fields.isEmpty()) {
          out.println("fields:        positions, atomic_numbers");
        } else {
          out.println("fields:        positions, atomic_numbers, and:");
          for (FileSchema.Field e : fields) {
            out.printf("  %-28s %-18s %-8s %s%n", e.key(), e.kindName(),
                org.atomstore.model.TypeTag.dtype(e.typeTag()), "type " + e.typeTag() + (e.perAtom() ? ", per atom" : ""));
          }
        }
      }
    }
    out.flush();
    return ExitCodes.OK;
  }
}
