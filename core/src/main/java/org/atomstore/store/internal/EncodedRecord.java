package org.atomstore.store.internal;

import java.util.List;
import org.atomstore.codec.Compression;
import org.atomstore.format.Schema;

/**
 * One molecule encoded and compressed by a {@link RecordPacker}, ready for {@link AtpWriters#addEncoded}.
 * Lets several threads do the encoding and compression while one thread owns the writer. Immutable once made.
 *
 * @param compression how {@code bytes} is compressed
 * @param bytes the record as stored in the file (compressed unless the compression is none)
 * @param uncompressedLength the length of the encoded record before compression
 * @param atomCount atoms in the molecule
 * @param positionsType the positions type tag of the record
 * @param entries the schema entries of the record
 * @param lowestFormat the lowest record format that holds the molecule (2 or 3)
 */
public record EncodedRecord(Compression compression, byte[] bytes, int uncompressedLength, int atomCount, int positionsType,
    List<Schema.Entry> entries, int lowestFormat) {}
