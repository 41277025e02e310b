package org.atomstore.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import org.atomstore.samples.index.Cid;
import org.atomstore.samples.index.DagCbor;
import org.atomstore.samples.index.JsonValues;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "cid", mixinStandardHelpOptions = true, description = {
    "Print the content id (CID) atdata computes for a JSON document: CIDv1, dag-cbor, sha2-256, base32.",
    "A number written with '.' or 'e' is a float, any other an integer; {\"/\": {\"bytes\": \"<base64>\"}} is a "
        + "byte string (the conventions of atdata's CID vectors)."})
final class CidCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE", description = "A JSON file.")
  Path file;

  @Option(names = "--cbor", description = "Also print the DAG-CBOR bytes as hex.")
  boolean cbor;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    JsonNode doc;
    try {
      doc = DumpCommand.json().readTree(Files.readString(file));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      spec.commandLine().getErr().println("not JSON: " + file + ": " + e.getOriginalMessage());
      return ExitCodes.CORRUPT_INPUT;
    }
    Object value;
    try {
      value = JsonValues.of(doc);
      byte[] bytes = DagCbor.encode(value);
      PrintWriter out = spec.commandLine().getOut();
      if (cbor) out.println(HexFormat.of().formatHex(bytes));
      out.println(Cid.ofDagCbor(bytes));
      out.flush();
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("no CID for " + file + ": " + e.getMessage());
      return ExitCodes.CORRUPT_INPUT;
    }
    return ExitCodes.OK;
  }
}
