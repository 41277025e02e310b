package org.atomstore.store;

import java.util.Arrays;
import java.util.List;
import org.atomstore.codec.Codec;
import org.atomstore.codec.Compression;
import org.atomstore.format.AtpLayout;
import org.atomstore.format.RecordEncoder;
import org.atomstore.format.Schema;
import org.atomstore.format.v2.RecordFormatV2;
import org.atomstore.format.v3.RecordFormatV3;
import org.atomstore.model.Molecule;
import org.atomstore.model.StackedBatch;

/**
 * Encodes and compresses molecules into {@link EncodedRecord}s, exactly as {@link AtpWriter#add} would, so that
 * the work can run on other threads than the writer's. Both record formats share one layout, so a record is
 * encoded once and only tagged with whether format 2 can hold it.
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
    return packed(encoder.encode(m, RecordFormatV3.INSTANCE), m.atomCount());
  }

  /**
   * Encodes and compresses row {@code row} of a stacked batch.
   *
   * @throws IllegalArgumentException when no record format can hold the row
   */
  public EncodedRecord pack(StackedBatch b, int row) {
    if (closed) throw new IllegalStateException("RecordPacker is closed");
    return packed(encoder.encodeRow(b, row, RecordFormatV3.INSTANCE), b.atomsPerMolecule());
  }

  private EncodedRecord packed(int len, int atoms) {
    byte[] bytes;
    if (compression.kind() == Compression.Kind.NONE) {
      bytes = Arrays.copyOf(encoder.buffer(), len);
    } else {
      int clen = codec.compress(encoder.buffer(), len, compressed);
      bytes = Arrays.copyOf(compressed.bytes, clen);
    }
    List<Schema.Entry> entries = List.copyOf(encoder.entries());
    return new EncodedRecord(compression, bytes, len, atoms, encoder.positionsType(), entries,
        format2Problem(encoder.positionsType(), entries) == null);
  }

  /** Why record format 2 cannot hold a record with these positions and entries, or null when it can. */
  static String format2Problem(int positionsType, List<Schema.Entry> entries) {
    String problem = RecordFormatV2.INSTANCE.positionsProblem(positionsType);
    if (problem != null) return problem;
    for (int i = 0; i < entries.size(); i++) {
      Schema.Entry e = entries.get(i);
      if (e.kind() != AtpLayout.KIND_BUILTIN) continue;
      problem = RecordFormatV2.INSTANCE.builtinProblem(e.key(), e.typeTag());
      if (problem != null) return problem;
    }
    return null;
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    codec.close();
  }
}
