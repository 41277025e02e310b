package org.atomstore.io.aselmdb.internal;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Comparator;
import jnr.ffi.Pointer;
import org.lmdbjava.BufferProxy;

/**
 * lmdbjava buffers that never touch LMDB's memory from Java: a value (or key) that LMDB returns is only recorded
 * as its address and size ({@link MapRef}), and {@link LmdbFile} checks that range against the file before it reads
 * the bytes from its own read-only mapping. A key given to LMDB is a native {@link MemorySegment}. lmdbjava's
 * byte-array proxy would instead copy {@code size} bytes from wherever a damaged file's node points, which can be
 * outside the mapping (a crash, not an exception). Stateless; one instance serves any number of threads.
 */
final class MapRefProxy extends BufferProxy<MapRefProxy.MapRef> {

  static final MapRefProxy INSTANCE = new MapRefProxy();

  /** An LMDB {@code MDB_val} as seen from Java: a key to pass in, or the address and size LMDB handed out. */
  static final class MapRef {
    MemorySegment key;
    long address;
    long size;

    static MapRef of(MemorySegment key) {
      var r = new MapRef();
      r.key = key;
      return r;
    }
  }

  private static final Comparator<MapRef> COMPARATOR =
      (a, b) -> Arrays.compareUnsigned(bytes(a), bytes(b));

  private MapRefProxy() {}

  private static byte[] bytes(MapRef r) {
    if (r.key == null) throw new UnsupportedOperationException("values handed out by LMDB are read through LmdbFile");
    return r.key.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
  }

  @Override protected MapRef allocate() { return new MapRef(); }

  @Override protected void deallocate(MapRef buffer) { }

  @Override protected byte[] getBytes(MapRef buffer) { return bytes(buffer); }

  @Override protected Comparator<MapRef> getSignedComparator() { return COMPARATOR; }

  @Override protected Comparator<MapRef> getUnsignedComparator() { return COMPARATOR; }

  @Override
  protected Pointer in(MapRef buffer, Pointer ptr) {
    if (buffer.key == null) throw new IllegalArgumentException("only keys made by MapRef.of can be passed to LMDB");
    ptr.putLong(STRUCT_FIELD_OFFSET_SIZE, buffer.key.byteSize());
    ptr.putAddress(STRUCT_FIELD_OFFSET_DATA, buffer.key.address());
    return null; // nothing to release: the key's memory belongs to its segment
  }

  @Override
  protected Pointer in(MapRef buffer, int size, Pointer ptr) {
    throw new UnsupportedOperationException("read-only: LMDB reserves no space through this proxy");
  }

  @Override
  protected MapRef out(MapRef buffer, Pointer ptr) {
    buffer.key = null;
    buffer.address = ptr.getAddress(STRUCT_FIELD_OFFSET_DATA);
    buffer.size = ptr.getLong(STRUCT_FIELD_OFFSET_SIZE);
    return buffer;
  }
}
