package org.atomstore.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.atomstore.cli.json.AtpJson;
import org.atomstore.data.lmdb.AsebytesDump;
import org.atomstore.io.AseDump;
import org.atomstore.store.AtpFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "dump", mixinStandardHelpOptions = true, description = {
    "Print everything a file holds as canonical JSON.",
    "For .atp files: top-level header, schema and molecules, with the keys and value encodings of the "
        + "Atompack golden dumps, so a dump can be compared with a reference dump directly.",
    "For xyz/extxyz and ASE .db files: how Atomstore reads them, in the layout of the ASE corpus' "
        + "FILE.expected.json files (nframes/frames or nrows/rows, values typed as ASE gives them); for fairchem "
        + ".aselmdb files, the ase-expected/1 layout of the shared aselmdb goldens (lmdb keys, ids, rows).",
    "For asebytes LMDB stores (a NAME.lmdb directory): every group's rows and frames in the asebytes-expected/1 "
        + "layout, as asebytes 0.3.2 reads them; the store is opened read-only and nothing is written to it.",
    "The JSON is printed only when the whole file was read: a file that fails prints nothing on stdout, the "
        + "reason on stderr, and exits 3 (corrupt input) or 4 (I/O error)."})
final class DumpCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE",
      description = "An .atp file, a dataset directory, an .xyz/.extxyz file (optionally .gz/.bz2/.xz), an ASE .db or fairchem .aselmdb file, a remote .atp file or dataset (https://, s3://, hf://), an asebytes .lmdb store, atdata WebDataset shards (.tar), or any store path or address.")
  String arg;

  /** The argument as a local path (set by call). */
  private Path file;

  @Parameters(index = "1..*", paramLabel = "SHARD", description = "More .tar shards (atdata samples only).")
  java.util.List<Path> moreShards = new java.util.ArrayList<>();

  @picocli.CommandLine.Option(names = "--ndarray-fields", split = ",", paramLabel = "FIELD",
      description = "Fields of atdata samples whose bytes are NDArrays (the bytes alone cannot tell).")
  java.util.Set<String> ndarrayFields = new java.util.HashSet<>();

  @Spec CommandSpec spec;

  /** The JSON writer of the commands that print JSON; made on first use, so other commands never load Jackson. */
  static ObjectMapper json() { return JsonHolder.MAPPER; }

  private static final class JsonHolder {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  }

  /** Writes a whole dump to a writer. */
  interface Body {
    void write(Writer out) throws IOException;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    String address = arg;
    if (!Inputs.remote(arg)) file = Path.of(arg);
    if (file != null && AsebytesDump.handles(file)) {
      buffered(out, w -> AsebytesDump.write(file, null, w));
      return ExitCodes.OK;
    }
    if (file != null && SampleShardDump.handles(file)) {
      var shards = new java.util.ArrayList<Path>(java.util.List.of(file));
      shards.addAll(moreShards);
      buffered(out, w -> SampleShardDump.dump(shards, ndarrayFields, new PrintWriter(w)));
      return ExitCodes.OK;
    }
    if (!moreShards.isEmpty()) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "only .tar shards take several files");
    if (!Inputs.remote(arg) && !(AseDump.handles(file) || TableArgs.isAtpOrDataset(arg))) return TableCommands.dump(arg, out);
    if (Inputs.isDataset(address)) return DatasetCommands.dump(address, out);
    if (!Inputs.remote(address) && AseDump.handles(file)) {
      buffered(out, w -> AseDump.write(file, w));
    } else {
      try (AtpFile r = Inputs.file(address)) {
        buffered(out, w -> {
          AtpJson.write(r, w, json());
          w.write(System.lineSeparator());
        });
      }
    }
    return ExitCodes.OK;
  }

  /**
   * Runs {@code body} into a temporary file and copies it to {@code out} only when it completed: a dump that
   * fails half-way must not leave half a JSON document (or an empty one) on stdout, where {@code dump x >
   * out.json} would record it as the file's content. A file rather than memory, since a dump can be larger than
   * the heap.
   */
  static void buffered(PrintWriter out, Body body) throws IOException {
    Path temp = Temporaries.register(Files.createTempFile("atomstore-dump-", ".json"));
    try {
      try (Writer w = new BufferedWriter(Files.newBufferedWriter(temp, StandardCharsets.UTF_8), 1 << 16)) {
        body.write(w);
      }
      try (Reader r = Files.newBufferedReader(temp, StandardCharsets.UTF_8)) {
        r.transferTo(out);
      }
      out.flush();
    } finally {
      Temporaries.discard(temp);
    }
  }
}
