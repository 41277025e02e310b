package org.atomstore.store;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.atomstore.codec.Compression;
import org.atomstore.format.AtpLayout;
import org.atomstore.format.HeaderSlot;
import org.atomstore.format.RecordFormatException;
import org.atomstore.format.Schema;
import org.atomstore.format.SectionCursor;

/** Decodes every record of a reader and checks the invariants the format promises. */
final class Verifier {
  private Verifier() {}

  /** What the checks read: a mapped reader or a ranged one. */
  interface Records {
    FileHeader header();

    Compression compression();

    long size();

    int positionsType();

    AtpReader.IndexEntry indexEntry(long i) throws IOException;

    /** The decoded bytes of record {@code i}, valid until the next call with {@code s}. */
    MemorySegment record(long i, AtpReader.Scratch s) throws IOException;
  }

  static void verify(AtpReader r, List<String> problems, int max) {
    verify(new Records() {
      @Override public FileHeader header() { return r.header(); }
      @Override public Compression compression() { return r.compression(); }
      @Override public long size() { return r.size(); }
      @Override public int positionsType() { return r.positionsType(); }
      @Override public AtpReader.IndexEntry indexEntry(long i) { return r.indexEntry(i); }
      @Override public MemorySegment record(long i, AtpReader.Scratch s) throws IOException { return r.record(i, s); }
    }, problems, max);
  }

  static void verify(Records r, List<String> problems, int max) {
    FileHeader h = r.header();
    // open refuses a newer intact slot it cannot use; an older one is damage too, though nothing is lost
    checkOtherSlot(h, 'A', h.slotA(), problems);
    checkOtherSlot(h, 'B', h.slotB(), problems);
    Schema schema = h.schema();
    long prevEnd = AtpLayout.HEADER_REGION_SIZE;
    AtpReader.Scratch s = new AtpReader.Scratch(r.compression());
    Schema seen = new Schema();
    List<Schema.Entry> entries = new ArrayList<>();
    for (long i = 0; i < r.size() && problems.size() < max; i++) {
      try {
        AtpReader.IndexEntry e = r.indexEntry(i);
        if (e.offset() < prevEnd) {
          problems.add("record " + i + " at offset " + e.offset() + " overlaps the previous record (which ends at " + prevEnd + ")");
        }
        prevEnd = e.offset() + e.compressedSize();
        MemorySegment rec = r.record(i, s);
        // the full decode with all its checks, on the bytes already decompressed
        int atoms = RecordDecoder.decode(s.cursor, rec, 0, rec.byteSize(), r.positionsType(), FieldSet.ALL).atomCount();
        if (atoms != e.atomCount()) problems.add("record " + i + ": index gives " + e.atomCount() + " atoms, the record holds " + atoms);
        SectionCursor c = s.cursor.reset(rec, rec.byteSize(), r.positionsType());
        entries.clear();
        String problem = null;
        while (problem == null && c.next()) {
          if (c.kind() > AtpLayout.KIND_MOLECULE_PROPERTY) {
            problems.add("record " + i + ": unknown section kind " + c.kind());
            continue;
          }
          if (c.kind() == AtpLayout.KIND_BUILTIN) problem = r.header().format().builtinProblem(c.key(), c.typeTag());
          if (problem == null) problem = Schema.entryProblemAt(c);
          if (problem == null) entries.add(Schema.entryAt(c));
        }
        // the first problem of a record ends its checks: what follows would only repeat it
        if (problem == null && c.trailingBytes() != 0) problems.add("record " + i + ": " + c.trailingBytes() + " bytes after the last section");
        if (problem == null) problem = seen.tryMerge(r.positionsType(), entries);
        if (problem == null && schema != null) problem = schema.checkProblem(r.positionsType(), entries);
        if (problem != null) problems.add("record " + i + ": " + problem);
      } catch (IOException | RecordFormatException e) {
        problems.add("record " + i + ": " + e.getMessage());
      }
    }
    if (schema != null && problems.isEmpty()) {
      for (Schema.Entry e : seen.entries()) {
        if (schema.get(e.kind(), e.key()) == null) problems.add("schema blob lacks section '" + e.key() + "' that records use");
      }
    }
    s.codec.close();
  }

  private static void checkOtherSlot(FileHeader h, char name, HeaderSlot.Decoded d, List<String> problems) {
    if (name != h.selectedSlot() && d.intact() && !d.valid()) {
      problems.add("header slot " + name + " (generation " + Long.toUnsignedString(d.slot().generation())
          + ") is intact but unusable: " + String.join(", ", d.problems()));
    }
  }
}
