package org.atomstore.io.mapping;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.atomstore.io.asedb.AseDbReader;
import org.atomstore.io.aselmdb.AseLmdbReader;
import org.atomstore.io.extxyz.MappedExtxyzReader;
import org.atomstore.model.Molecule;
import org.atomstore.store.AtpReader;

/**
 * The settling pass of a conversion: runs {@link AseMapping} over every frame of the inputs that go into one
 * {@code .atp} file and settles each property key's type ({@link SchemaSettler}). {@code convert} runs it only when
 * its one optimistic pass meets a key that changes type ({@link SchemaWatch}), or before writing when an input can
 * be read only once.
 *
 * <p>Extended XYZ files are surveyed by their comment lines only ({@link MappedExtxyzReader#headersOnly()}: the
 * info values and the Properties columns decide every property type, the atom lines do not), in parallel, so the
 * pass costs reading (and decompressing) the text once more and parsing one line per frame. ASE databases and
 * {@code .atp} inputs are read whole. A file that cannot be read is surveyed up to the problem; the writing pass
 * reports it. An input that is not a regular file (a named pipe) can be read only once: it is not surveyed, and
 * its frames are held to the types already written ({@link SchemaPin}). Stateless.
 */
public final class SchemaSurvey {

  private SchemaSurvey() {}

  /** The plan for converting {@code inputs} into one file; {@link SchemaPlan#NONE}-like when no key changes type. */
  public static SchemaPlan survey(List<Path> inputs, AseMapping.Precision precision, int threads) {
    var settler = new SchemaSettler();
    for (Path in : inputs) {
      if (!Files.isRegularFile(in)) continue; // read once, by the writing pass
      try {
        survey(in, precision, threads, settler);
      } catch (IOException | RuntimeException e) {
        // surveyed up to the problem; the writing pass meets it again and reports it
      }
    }
    return settler.settle();
  }

  private static void survey(Path in, AseMapping.Precision precision, int threads, SchemaSettler settler)
      throws IOException {
    String name = in.getFileName().toString().toLowerCase(Locale.ROOT);
    String file = in.getFileName().toString();
    if (name.endsWith(".atp")) {
      try (AtpReader r = AtpReader.open(in)) {
        for (long i = 0; i < r.size(); i++) settler.observe(r.get(i), file + " record " + i);
      }
    } else if (name.endsWith(".db")) {
      try (AseDbReader r = AseDbReader.open(in)) {
        r.forEach(row -> settler.observe(AseMapping.toMolecule(row, precision).molecule(), file + " row " + row.id()));
      }
    } else if (name.endsWith(".aselmdb")) {
      try (AseLmdbReader r = AseLmdbReader.open(in)) {
        r.forEach(row -> settler.observe(AseMapping.toMolecule(row.row(), precision).molecule(), file + " row " + row.id()));
      }
    } else {
      try (var r = MappedExtxyzReader.<Located>open(in, Math.max(1, threads), () -> frame -> located(frame, precision))) {
        r.headersOnly().skipBadFrames(e -> { }); // bad frames are reported by the writing pass
        for (Located f = r.read(); f != null; f = r.read()) {
          if (f.molecule() != null) settler.observe(f.molecule(), file + ":" + f.line());
        }
      }
    }
  }

  // A frame that cannot be mapped is left out of the survey (the writing pass reports it), not an end to it.
  private static Located located(org.atomstore.io.ase.AseAtoms frame, AseMapping.Precision precision) {
    Molecule m;
    try {
      m = AseMapping.toMolecule(frame, precision).molecule();
    } catch (IllegalArgumentException e) {
      m = null;
    }
    return new Located(m, frame.line());
  }

  /** A surveyed frame: its molecule (null when it cannot be mapped) and its line. */
  private record Located(Molecule molecule, long line) {}
}
