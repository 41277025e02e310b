package org.atomstore.format;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Layout constants of the Atompack {@code .atp} file (file format version 2):
 *
 * <pre>
 * File        --&gt; SlotA:HeaderSlot SlotB:HeaderSlot Record* (Schema Index)?  (Record* Schema Index)* tail?
 * HeaderSlot  --&gt; 4096 bytes, see {@link HeaderSlot}
 * Record      --&gt; one molecule, compressed as the header says, see {@link RecordEncoder}
 * Schema      --&gt; see {@link Schema}
 * Index       --&gt; count:u64 IndexEntry^count
 * IndexEntry  --&gt; offset:u64 compressedSize:u32 uncompressedSize:u32 atomCount:u32
 * </pre>
 *
 * Every flush appends the schema and the whole index after the records, then publishes them in the
 * header slot of the next generation (odd generations in slot B, even in slot A). All integers are
 * little-endian.
 */
public final class AtpLayout {
  public static final byte[] MAGIC = {'A', 'T', 'P', 'K'};
  public static final int FILE_FORMAT_VERSION = 2;
  public static final int HEADER_SLOT_SIZE = 4096;
  public static final long HEADER_REGION_SIZE = 2L * HEADER_SLOT_SIZE;
  public static final long SLOT_A_OFFSET = 0;
  public static final long SLOT_B_OFFSET = HEADER_SLOT_SIZE;
  public static final int INDEX_PREFIX_SIZE = 8;
  public static final int INDEX_ENTRY_SIZE = 20;

  public static final int KIND_BUILTIN = 0;
  public static final int KIND_ATOM_PROPERTY = 1;
  public static final int KIND_MOLECULE_PROPERTY = 2;

  public static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;
  public static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  public static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  public static final ValueLayout.OfLong LE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  public static final ValueLayout.OfFloat LE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  public static final ValueLayout.OfDouble LE_DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private AtpLayout() {}

  /** The slot offset a generation is written to: even generations in A, odd in B. */
  public static long slotOffsetForGeneration(long generation) {
    return (generation & 1) == 0 ? SLOT_A_OFFSET : SLOT_B_OFFSET;
  }

  public static String kindName(int kind) {
    return switch (kind) {
      case KIND_BUILTIN -> "builtin";
      case KIND_ATOM_PROPERTY -> "atom_property";
      case KIND_MOLECULE_PROPERTY -> "molecule_property";
      default -> "unknown";
    };
  }
}
