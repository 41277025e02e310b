package org.atomstore.store;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.atomstore.codec.Compression;
import org.atomstore.table.Table;

/**
 * One opened {@code .atp} file, wherever its bytes are: {@link AtpReader} over a local mapping, or
 * {@link RangedAtpReader} over any {@link org.atomstore.source.ByteSource} (HTTP, S3, a cache). Both give the
 * same answers and the same exceptions for the same bytes; what they say about the file (header, schema, index)
 * is this interface, so that {@code info}, {@code dump} and {@code verify} read either.
 *
 * <p>Thread contract: as {@link Table}.
 */
public sealed interface AtpFile extends Table permits AtpReader, RangedAtpReader {

  /** The file's size in bytes. */
  long fileSize();

  Compression compression();

  int recordFormat();

  /** The file's schema, empty when it has no schema blob (see {@link AtpReader#fileSchema()}). */
  Optional<FileSchema> fileSchema();

  /** The commit generation of the header slot that was opened. */
  long generation();

  /** The header slot that was opened: {@code 'A'} or {@code 'B'}. */
  char headerSlot();

  /** Bytes past the last commit, ignored by readers. */
  long uncommittedBytes();

  /** The positions type tag: 4 (float32) or 7 (float64). */
  int positionsType();

  /** The index entry of molecule {@code i} as stored. */
  AtpReader.IndexEntry indexEntry(long i) throws IOException;

  /** Atom count of molecule {@code i}, from the index. */
  int atomCount(long i) throws IOException;

  /** Checks every record and the schema; returns the problems found (empty when the file is sound). */
  List<String> verify(int maxProblems);

  @Override
  long size();
}
