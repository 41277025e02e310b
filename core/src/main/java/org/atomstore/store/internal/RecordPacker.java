package org.atomstore.store.internal;

import java.util.Arrays;
import java.util.List;
import org.atomstore.codec.Codec;
import org.atomstore.codec.Compression;
import org.atomstore.format.RecordEncoder;
import org.atomstore.model.Molecule;
import org.atomstore.model.StackedBatch;
import org.atomstore.store.AtpWriter;

/**
 * Encodes and compresses molecules into {@link EncodedRecord}s, exactly as {@link AtpWriter#add} would, so that
 * the work can run on other threads than the writer's. Both record formats share one layout, so a record is
 * encoded once and tagged with the lowest format that holds it; the writer chooses the format.
 *
 * <p>A packer belongs to one thread (it holds a native compression context); make one per worker and close it.
 */
public final class RecordPacker implements AutoCloseable {
  private final Compression compression;
  private final Codec codec;
  private final Codec.Buffer compressed = new Codec.Buffer(1 << 16);
  private final RecordEncoder encoder = new RecordEncoder();
  private boolean closed;

  public RecordPacker(Compression compression) {
    this.compression = compression;
    this.codec = Codec.forCompression(compression);
  }

  public Compression compression() { return compression; }

  /**
   * Encodes and compresses one molecule.
   *
   * @throws IllegalArgumentException when no record format can hold the molecule
   */
  public EncodedRecord pack(Molecule m) {
    if (closed) throw new IllegalStateException("RecordPacker is closed");
    return packed(encoder.encode(m), m.atomCount());
  }

  /**
   * Encodes and compresses row {@code row} of a stacked batch.
   *
   * @throws IllegalArgumentException when no record format can hold the row
   */
  public EncodedRecord pack(StackedBatch b, int row) {
    if (closed) throw new IllegalStateException("RecordPacker is closed");
    return packed(encoder.encode(b, row), b.atomsPerMolecule());
  }

  private EncodedRecord packed(int len, int atoms) {
    byte[] bytes;
    if (compression.kind() == Compression.Kind.NONE) {
      bytes = Arrays.copyOf(encoder.buffer(), len);
    } else {
      int clen = codec.compress(encoder.buffer(), len, compressed);
      bytes = Arrays.copyOf(compressed.bytes, clen);
    }
    return new EncodedRecord(compression, bytes, len, atoms, encoder.positionsType(), List.copyOf(encoder.entries()),
        encoder.lowestFormat());
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    codec.close();
  }
}
