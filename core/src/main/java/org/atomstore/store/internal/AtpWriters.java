package org.atomstore.store.internal;

import java.io.IOException;
import java.util.List;
import org.atomstore.store.AtpReader;
import org.atomstore.store.CorruptFileException;
import org.atomstore.store.AtpWriter;

/**
 * The writer operations that take internal types, kept off {@link AtpWriter}'s exported API: the exported
 * package never names {@link EncodedRecord}. {@link AtpWriter} registers its implementation here when its class
 * is initialized (the friend-accessor pattern), so only code that can read this non-exported package (the
 * command line) can add pre-encoded records. Stateless after that registration; thread contract as the writer's.
 */
public final class AtpWriters {
  private AtpWriters() {}

  /** What {@link AtpWriter} gives this package; implemented by the writer itself. */
  public interface Access {
    void addEncoded(AtpWriter writer, List<EncodedRecord> records) throws IOException;

    void copyRecords(AtpWriter writer, AtpReader reader, long from, long to) throws IOException;

    String copyProblem(AtpWriter writer, List<AtpReader> readers);
  }

  private static volatile Access access;

  /** Called once, by {@link AtpWriter}'s static initializer. */
  public static void register(Access a) {
    if (access != null) throw new IllegalStateException("writer access already registered");
    access = a;
  }

  /**
   * Adds records encoded by {@link RecordPacker}s (possibly on other threads), in order. Gives the same file as
   * {@link AtpWriter#addAll} with the same molecules: the record format is chosen for the whole list in the same
   * way.
   *
   * @throws IllegalArgumentException when a record was compressed differently from this file, or does not fit
   *     the file's record format or schema (nothing of that record is written)
   */
  public static void addEncoded(AtpWriter writer, List<EncodedRecord> records) throws IOException {
    // an AtpWriter instance exists, so its class is initialized and has registered
    access.addEncoded(writer, records);
  }

  /**
   * Appends records {@code [from, to)} of {@code reader} as they are stored, without decoding their values or
   * recompressing them: the source's schema is merged into this file's first (refused as a whole, with nothing
   * written, when it disagrees), then each record's layout is checked as {@code verify} checks it (its sections,
   * their entries against the schema, its atom count against the index; a compressed record is decompressed for
   * that) and its stored bytes and index entry are copied.
   *
   * @throws IllegalArgumentException when the reader's compression differs from this file's, or its schema or
   *     record format disagrees with what this file holds (nothing is written); for a source without a schema
   *     blob, when one of its records disagrees (the records before it are written)
   * @throws CorruptFileException when a record of the source is damaged (the records before it are written)
   */
  public static void copyRecords(AtpWriter writer, AtpReader reader, long from, long to) throws IOException {
    access.copyRecords(writer, reader, from, to);
  }

  /**
   * Why the records of {@code readers}, in order, cannot be copied as stored into {@code writer} (another
   * compression, no schema blob, a schema or record format that disagrees with what the writer holds or with an
   * earlier reader's), or null when {@link #copyRecords} will take them all. Changes nothing.
   */
  public static String copyProblem(AtpWriter writer, List<AtpReader> readers) {
    return access.copyProblem(writer, readers);
  }
}
