package org.atomstore.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.atomstore.codec.Compression;
import org.atomstore.model.Molecule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the header slots of a file that a writer commits to meanwhile, at chosen moments. */
class FileHeaderTest {
  @TempDir Path tmp;

  /**
   * A read-only channel that runs {@code between} once, right after the first {@link #size()} call: a writer
   * committing while the header is being read.
   */
  static final class Interleaved extends FileChannel {
    private final FileChannel ch;
    private Runnable between;

    Interleaved(FileChannel ch, Runnable between) {
      this.ch = ch;
      this.between = between;
    }

    @Override public long size() throws IOException {
      long s = ch.size();
      Runnable r = between;
      between = null;
      if (r != null) r.run();
      return s;
    }

    @Override public int read(ByteBuffer dst, long position) throws IOException { return ch.read(dst, position); }
    @Override public int read(ByteBuffer dst) { throw new UnsupportedOperationException(); }
    @Override public long read(ByteBuffer[] dsts, int offset, int length) { throw new UnsupportedOperationException(); }
    @Override public int write(ByteBuffer src) { throw new UnsupportedOperationException(); }
    @Override public long write(ByteBuffer[] srcs, int offset, int length) { throw new UnsupportedOperationException(); }
    @Override public long position() { throw new UnsupportedOperationException(); }
    @Override public FileChannel position(long newPosition) { throw new UnsupportedOperationException(); }
    @Override public FileChannel truncate(long size) { throw new UnsupportedOperationException(); }
    @Override public void force(boolean metaData) { throw new UnsupportedOperationException(); }
    @Override public long transferTo(long position, long count, WritableByteChannel target) { throw new UnsupportedOperationException(); }
    @Override public long transferFrom(ReadableByteChannel src, long position, long count) { throw new UnsupportedOperationException(); }
    @Override public int write(ByteBuffer src, long position) { throw new UnsupportedOperationException(); }
    @Override public MappedByteBuffer map(MapMode mode, long position, long size) { throw new UnsupportedOperationException(); }
    @Override public FileLock lock(long position, long size, boolean shared) { throw new UnsupportedOperationException(); }
    @Override public FileLock tryLock(long position, long size, boolean shared) { throw new UnsupportedOperationException(); }
    @Override protected void implCloseChannel() throws IOException { ch.close(); }
  }

  private static Molecule molecule(int i) {
    return Molecule.of(new float[] {i, i, i}, Molecule.atomicNumbers(1 + i % 9)).energy(i);
  }

  @Test
  void twoCommitsBetweenTheFirstSizeAndTheSlotReadsStillOpenTheNewest() throws Exception {
    Path p = tmp.resolve("twice.atp");
    try (AtpWriter w = AtpWriter.create(p, Compression.NONE)) {
      w.add(molecule(0));
      w.flush();
      Runnable twoCommits = () -> {
        try {
          w.add(molecule(1));
          w.flush();
          w.add(molecule(2));
          w.flush();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      };
      try (FileChannel ch = new Interleaved(FileChannel.open(p, StandardOpenOption.READ), twoCommits)) {
        FileHeader h = FileHeader.read(p, ch);
        // both slots now name data past the size read before the commits; read against the file as it is, the
        // newest commit is there
        assertThat(h.slot().generation()).isEqualTo(3);
        assertThat(h.slot().numMolecules()).isEqualTo(3);
      }
    }
  }

  @Test
  void aCommitBetweenTheFirstSizeAndTheSlotReadsIsSeen() throws Exception {
    Path p = tmp.resolve("once.atp");
    try (AtpWriter w = AtpWriter.create(p, Compression.NONE)) {
      w.add(molecule(0));
      w.flush();
      Runnable commit = () -> {
        try {
          w.add(molecule(1));
          w.flush();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      };
      try (FileChannel ch = new Interleaved(FileChannel.open(p, StandardOpenOption.READ), commit)) {
        assertThat(FileHeader.read(p, ch).slot().generation()).isEqualTo(2);
      }
    }
  }
}
