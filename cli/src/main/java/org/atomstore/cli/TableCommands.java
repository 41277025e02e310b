package org.atomstore.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.atomstore.cli.json.AtpJson;
import org.atomstore.model.Molecule;
import org.atomstore.table.Table;

/**
 * {@code info}, {@code dump} and {@code verify} for a table that is neither an {@code .atp} file nor a dataset
 * directory (a store opened through {@link org.atomstore.table.Tables}): what every table can say, its rows.
 */
final class TableCommands {
  private TableCommands() {}

  static int info(String arg, boolean json, PrintWriter out) throws IOException {
    try (Table t = TableArgs.open(arg)) {
      long n = t.size();
      long[] parts = t.shardStarts();
      if (json) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("path", TableArgs.display(arg));
        o.put("kind", t.getClass().getSimpleName());
        o.put("molecules", n);
        o.put("parts", parts.length - 1);
        out.println(DumpCommand.json().writeValueAsString(o));
      } else {
        out.printf("store:         %s%n", TableArgs.display(arg));
        out.printf("kind:          %s%n", t.getClass().getSimpleName());
        out.printf("molecules:     %,d%n", n);
        if (parts.length > 2) out.printf("parts:         %,d%n", parts.length - 1);
      }
    }
    out.flush();
    return ExitCodes.OK;
  }

  /**
   * {@code {"source": ..., "molecules": N, "rows": [...]}}, each row in the layout of an {@code .atp} dump's
   * molecules (without index entries), a placeholder row as null. Printed only when every row was read.
   */
  static int dump(String arg, PrintWriter out) throws IOException {
    try (Table t = TableArgs.open(arg)) {
      DumpCommand.buffered(out, w -> {
        try (JsonGenerator g = DumpCommand.json().getFactory().createGenerator(w)) {
          g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET); // the line separator follows
          g.useDefaultPrettyPrinter();
          g.writeStartObject();
          g.writeStringField("source", TableArgs.display(arg));
          long n = t.size();
          g.writeNumberField("molecules", n);
          g.writeArrayFieldStart("rows");
          for (long i = 0; i < n; i++) {
            Molecule m = t.get(i);
            if (m == null) g.writeNull();
            else g.writeTree(AtpJson.molecule(m, i));
          }
          g.writeEndArray();
          g.writeEndObject();
        }
        w.write(System.lineSeparator());
      });
    }
    return ExitCodes.OK;
  }

  /** Reads every row; each that fails is a problem (exit 1), up to {@code maxProblems}. */
  static int verify(String arg, int maxProblems, boolean json, PrintWriter out, PrintWriter err) throws IOException {
    long t0 = System.nanoTime();
    List<String> problems = new ArrayList<>();
    long n;
    try (Table t = TableArgs.open(arg); Progress bar = Progress.start("verify", t.size(), "mol")) {
      n = t.size();
      for (long i = 0; i < n && problems.size() < maxProblems; i++) {
        try {
          t.get(i);
        } catch (IOException | RuntimeException e) {
          problems.add("row " + i + ": " + ExitCodes.describe(e));
        }
        bar.step(1);
      }
    }
    double seconds = Summary.seconds(t0);
    if (json) {
      new Summary("verify").put("path", TableArgs.display(arg)).put("kind", "table").put("ok", problems.isEmpty())
          .timing(n, seconds).strings("problems", problems).print(out);
      return problems.isEmpty() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }
    if (!problems.isEmpty()) {
      err.printf("FAILED %s: %d problem(s)%n", TableArgs.display(arg), problems.size());
      for (String p : problems) err.println("  " + p);
      err.flush();
      return ExitCodes.CHECK_FAILED;
    }
    out.printf("OK %s: %,d molecules read in %s%n", TableArgs.display(arg), n, Summary.time(seconds));
    out.flush();
    return ExitCodes.OK;
  }
}
