package org.atomstore.data.lmdb;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.atomstore.store.CorruptFileException;

/**
 * Checks an LMDB {@code data.mdb} before liblmdb maps it: liblmdb trusts the file, and a page past the end of a
 * truncated file is a SIGBUS in the mapping (the process dies) rather than an error. The two meta pages say how
 * many pages the last committed transaction uses; the file must hold them.
 *
 * <pre>
 * metaPage --> pageHeader:16, magic:u32 (0xBEEFC0DE), version:u32, address:u64, mapSize:u64,
 *              freeDb:MDB_db(48: pad:u32 = page size, flags:u16, depth:u16, 5 x u64), mainDb:MDB_db(48),
 *              lastPage:u64, txnId:u64
 * </pre>
 *
 * meta 0 is at offset 0, meta 1 at offset {@code pageSize}; the one with the larger txnId is current.
 * Little-endian 64-bit layout (liblmdb 0.9 on x86-64 and aarch64). Stateless.
 */
final class LmdbFiles {
  private LmdbFiles() {}

  static final int MAGIC = 0xBEEFC0DE;
  private static final int META = 16;
  private static final int LAST_PAGE = META + 4 + 4 + 8 + 8 + 48 + 48;
  private static final int TXN_ID = LAST_PAGE + 8;

  /** A data file's size and page size. */
  record Whole(long size, int pageSize) {}

  /** Throws when {@code dataMdb} is not a whole LMDB data file; returns its size and page size. */
  static Whole checkWhole(Path dataMdb) throws IOException {
    try (FileChannel ch = FileChannel.open(dataMdb, StandardOpenOption.READ)) {
      long size = ch.size();
      ByteBuffer m0 = read(ch, 0, size, dataMdb);
      int pageSize = m0.getInt(META + 4 + 4 + 8 + 8); // freeDb.md_pad holds the page size
      if (pageSize < 512 || pageSize > (1 << 16) || Integer.bitCount(pageSize) != 1) {
        throw new CorruptFileException(dataMdb, META + 24, "LMDB page size " + pageSize + " is not a power of two in [512, 65536]");
      }
      ByteBuffer m1 = size >= pageSize + TXN_ID + 8 ? read(ch, pageSize, size, dataMdb) : null;
      ByteBuffer cur = m1 != null && Long.compareUnsigned(m1.getLong(TXN_ID), m0.getLong(TXN_ID)) > 0 ? m1 : m0;
      long lastPage = cur.getLong(LAST_PAGE);
      if (lastPage < 1 || lastPage > Long.MAX_VALUE / pageSize - 1) {
        throw new CorruptFileException(dataMdb, LAST_PAGE, "LMDB last page " + Long.toUnsignedString(lastPage) + " out of range");
      }
      long need = (lastPage + 1) * pageSize;
      if (size < need) {
        throw new CorruptFileException(dataMdb, size, "truncated LMDB data file: its meta page says " + (lastPage + 1)
            + " pages of " + pageSize + " bytes (" + need + " bytes), the file has " + size);
      }
      return new Whole(size, pageSize);
    }
  }

  private static ByteBuffer read(FileChannel ch, long at, long size, Path file) throws IOException {
    if (size < at + TXN_ID + 8) {
      throw new CorruptFileException(file, size, "truncated LMDB data file: " + size + " bytes, no whole meta page");
    }
    ByteBuffer b = ByteBuffer.allocate(TXN_ID + 8).order(ByteOrder.LITTLE_ENDIAN);
    while (b.hasRemaining()) {
      if (ch.read(b, at + b.position()) < 0) throw new CorruptFileException(file, at + b.position(), "truncated LMDB meta page");
    }
    b.flip();
    if (b.getInt(META) != MAGIC) {
      throw new CorruptFileException(file, at + META, "not an LMDB data file: magic " + Integer.toHexString(b.getInt(META)));
    }
    return b;
  }
}
