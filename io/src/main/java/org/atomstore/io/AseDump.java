package org.atomstore.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.Locale;
import org.atomstore.io.ase.AseAtoms;
import org.atomstore.io.ase.internal.PyJsonWriter;
import org.atomstore.io.asedb.AseDbReader;
import org.atomstore.io.aselmdb.AseLmdbReader;
import org.atomstore.io.extxyz.ExtxyzReader;

/**
 * Prints how Atomstore reads an extended XYZ file or an ASE database, in the JSON layout of the corpus'
 * {@code FILE.expected.json} files: for xyz files {@code nframes} and {@code frames} (each with {@code natoms,
 * symbols, numbers, positions, cell, pbc, info, arrays, calc, constraints}); for databases {@code nrows} and
 * {@code rows}. A file ASE would refuse makes {@link #write} throw the reader's exception (an
 * {@link IOException} naming file, line and problem) after nothing or part of the frames was written.
 */
public final class AseDump {

  private AseDump() {}

  /** True for {@code .xyz}/{@code .extxyz} (optionally {@code .gz/.bz2/.xz}) and {@code .db} files. */
  public static boolean handles(Path file) {
    String name = CompressedFiles.baseName(file).toLowerCase(Locale.ROOT);
    if (name.endsWith(".xyz") || name.endsWith(".extxyz")) return true;
    return isDatabase(file) || isAseLmdb(file);
  }

  static boolean isDatabase(Path file) {
    return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".db");
  }

  /** True for fairchem's ASE-LMDB files ({@code .aselmdb}). */
  static boolean isAseLmdb(Path file) {
    return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".aselmdb");
  }

  public static void write(Path file, Writer out) throws IOException {
    if (!handles(file)) throw new IllegalArgumentException("not an xyz/extxyz, ASE .db or .aselmdb file: " + file);
    try (JsonGenerator g = newGenerator(out)) {
      if (isDatabase(file)) writeDb(file, g);
      else if (isAseLmdb(file)) writeAseLmdb(file, g);
      else writeXyz(file, g);
    }
    out.write('\n');
    out.flush();
  }

  static JsonGenerator newGenerator(Writer out) throws IOException {
    JsonGenerator g = new JsonFactory().createGenerator(out);
    var indenter = new DefaultIndenter(" ", "\n");
    var pp = new DefaultPrettyPrinter().withObjectIndenter(indenter).withArrayIndenter(indenter)
        .withSeparators(com.fasterxml.jackson.core.util.Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(com.fasterxml.jackson.core.util.Separators.Spacing.AFTER));
    g.setPrettyPrinter(pp);
    g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    return g;
  }

  private static void writeXyz(Path file, JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeStringField("file", file.getFileName().toString());
    g.writeStringField("format", "extxyz");
    g.writeNullField("error");
    g.writeBooleanField("summary_only", false);
    g.writeFieldName("frames");
    g.writeStartArray();
    long n = 0;
    try (var r = ExtxyzReader.open(file)) {
      for (AseAtoms a = r.read(); a != null; a = r.read()) {
        writeFrame(g, a);
        n++;
      }
    }
    g.writeEndArray();
    g.writeNumberField("nframes", n);
    g.writeEndObject();
  }

  /** One frame in the corpus layout. */
  public static void writeFrame(JsonGenerator g, AseAtoms a) throws IOException {
    g.writeStartObject();
    g.writeNumberField("natoms", a.natoms());
    g.writeFieldName("symbols");
    g.writeStartArray();
    for (String s : a.symbols()) g.writeString(s);
    g.writeEndArray();
    g.writeFieldName("numbers");
    g.writeStartArray();
    for (long z : a.numbers()) g.writeNumber(z);
    g.writeEndArray();
    g.writeFieldName("positions");
    writeRows(g, a.positions(), a.natoms());
    g.writeFieldName("cell");
    writeRows(g, a.cell(), 3);
    g.writeFieldName("pbc");
    g.writeStartArray();
    for (boolean b : a.pbc()) g.writeBoolean(b);
    g.writeEndArray();
    g.writeFieldName("info");
    PyJsonWriter.writeTypedMap(g, a.info());
    g.writeFieldName("arrays");
    PyJsonWriter.writeTypedMap(g, a.arrays());
    g.writeFieldName("calc");
    if (a.calcResults() == null) {
      g.writeNull();
    } else {
      g.writeStartObject();
      g.writeStringField("name", "unknown");
      g.writeFieldName("results");
      PyJsonWriter.writeTypedMap(g, a.calcResults());
      g.writeEndObject();
    }
    g.writeFieldName("constraints");
    g.writeStartArray();
    for (var c : a.constraints()) PyJsonWriter.writeTyped(g, c);
    g.writeEndArray();
    g.writeEndObject();
  }

  static void writeRows(JsonGenerator g, double[] flat, int rows) throws IOException {
    g.writeStartArray();
    for (int i = 0; i < rows; i++) {
      g.writeStartArray();
      for (int k = 0; k < 3; k++) PyJsonWriter.writeFloat(g, flat[i * 3 + k]);
      g.writeEndArray();
    }
    g.writeEndArray();
  }

  // The ase-expected/1 layout of shared/compat/aselmdb/README.md, without the golden files' provenance fields.
  private static void writeAseLmdb(Path file, JsonGenerator g) throws IOException {
    try (var db = AseLmdbReader.open(file)) {
      g.writeStartObject();
      g.writeStringField("schema", "ase-expected/1");
      g.writeStringField("file", file.getFileName().toString());
      g.writeStringField("format", "aselmdb");
      g.writeFieldName("lmdb");
      g.writeStartObject();
      g.writeFieldName("keys");
      g.writeStartArray();
      for (String k : db.keys()) g.writeString(k);
      g.writeEndArray();
      g.writeNumberField("nextid", db.nextId());
      g.writeFieldName("deleted_ids");
      long[] deleted = db.deletedIds();
      if (deleted == null) {
        g.writeNull();
      } else {
        g.writeStartArray();
        for (long id : deleted) g.writeNumber(id);
        g.writeEndArray();
      }
      g.writeEndObject();
      g.writeFieldName("metadata");
      PyJsonWriter.writeTyped(g, db.metadata());
      g.writeNumberField("nrows", db.count());
      g.writeFieldName("ids");
      g.writeStartArray();
      for (long id : db.ids()) g.writeNumber(id);
      g.writeEndArray();
      g.writeFieldName("rows");
      g.writeStartArray();
      db.forEach(row -> row.writeJson(g));
      g.writeEndArray();
      g.writeEndObject();
    }
  }

  private static void writeDb(Path file, JsonGenerator g) throws IOException {
    try (var db = AseDbReader.open(file)) {
      g.writeStartObject();
      g.writeStringField("file", file.getFileName().toString());
      g.writeStringField("format", "ase-db-sqlite");
      g.writeFieldName("metadata");
      PyJsonWriter.writeTyped(g, db.metadata());
      g.writeFieldName("rows");
      g.writeStartArray();
      long[] n = {0};
      db.forEach(row -> {
        row.writeJson(g);
        n[0]++;
      });
      g.writeEndArray();
      g.writeNumberField("nrows", n[0]);
      g.writeEndObject();
    }
  }
}
