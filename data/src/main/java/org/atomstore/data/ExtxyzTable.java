package org.atomstore.data;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.atomstore.io.CompressedFiles;
import org.atomstore.io.ase.AseAtoms;
import org.atomstore.io.extxyz.ExtxyzReader;
import org.atomstore.io.mapping.AseMapping;
import org.atomstore.model.Molecule;
import org.atomstore.store.FieldSet;
import org.atomstore.table.Table;

/**
 * An extended XYZ file as a read-only {@link Table}: opening parses every frame once (exactly as
 * {@link ExtxyzReader}, so a bad frame fails the open with its file and line) and keeps only where each frame
 * starts; {@link #get} then parses the one frame. A {@code .gz}/{@code .bz2}/{@code .xz} file is decompressed
 * once into a temporary file, removed on close. Frames become molecules by {@link AseMapping} (float64 positions).
 *
 * <p>Thread contract: reads may run on any number of threads; close must not race with them.
 */
public final class ExtxyzTable implements Table {
  private final Path file;
  private final Path text;
  private final boolean temporary;
  private final FileChannel channel;
  /** Byte offset of every frame's first line, then the end of the text. */
  private final long[] starts;
  private volatile boolean closed;

  private ExtxyzTable(Path file, Path text, boolean temporary, FileChannel channel, long[] starts) {
    this.file = file;
    this.text = text;
    this.temporary = temporary;
    this.channel = channel;
    this.starts = starts;
  }

  /** Indexes the frames of {@code file}. */
  public static ExtxyzTable open(Path file) throws IOException {
    String base = CompressedFiles.baseName(file);
    boolean compressed = !base.equals(file.getFileName().toString());
    Path text = file;
    if (compressed) {
      text = Files.createTempFile("atomstore-xyz-", ".xyz");
      try (InputStream in = CompressedFiles.open(file)) {
        Files.copy(in, text, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException | RuntimeException e) {
        Files.deleteIfExists(text);
        throw e;
      }
    }
    try {
      long[] lines;
      int n = 0;
      try (ExtxyzReader r = ExtxyzReader.open(text, Runtime.getRuntime().availableProcessors())) {
        lines = new long[16];
        for (AseAtoms a = r.read(); a != null; a = r.read()) {
          if (n == lines.length) lines = Arrays.copyOf(lines, n * 2);
          lines[n++] = a.line();
        }
      } catch (org.atomstore.io.extxyz.ExtxyzFormatException e) {
        if (!compressed) throw e;
        throw new IOException(file + " (decompressed): " + e.getMessage(), e);
      }
      FileChannel ch = FileChannel.open(text, StandardOpenOption.READ);
      try {
        long[] starts = lineOffsets(ch, Arrays.copyOf(lines, n));
        return new ExtxyzTable(file, text, compressed, ch, starts);
      } catch (IOException | RuntimeException e) {
        ch.close();
        throw e;
      }
    } catch (IOException | RuntimeException e) {
      if (compressed) Files.deleteIfExists(text);
      throw e;
    }
  }

  /**
   * The byte offsets of the given 1-based lines (ascending), then the text's size. Lines end as Python's universal
   * newlines end them ({@code \n}, {@code \r\n}, a lone {@code \r}), as the reader counts them.
   */
  private static long[] lineOffsets(FileChannel ch, long[] lines) throws IOException {
    long size = ch.size();
    long[] out = new long[lines.length + 1];
    out[lines.length] = size;
    int want = 0;
    long line = 1;
    long pos = 0;
    ByteBuffer buf = ByteBuffer.allocate(1 << 16);
    byte prev = 0;
    while (want < lines.length && lines[want] == 1) out[want++] = 0;
    while (want < lines.length && pos < size) {
      buf.clear();
      int got = ch.read(buf, pos);
      if (got <= 0) break;
      for (int i = 0; i < got && want < lines.length; i++) {
        byte c = buf.get(i);
        // a line starts after \n, and after a \r not followed by \n
        boolean startsHere = prev == '\n' || prev == '\r' && c != '\n';
        if (startsHere) {
          line++;
          while (want < lines.length && lines[want] == line) out[want++] = pos + i;
        }
        prev = c;
      }
      pos += got;
    }
    if (want < lines.length) {
      if (prev == '\n' || prev == '\r') line++;
      while (want < lines.length && lines[want] == line) out[want++] = size;
    }
    if (want < lines.length) throw new IOException(lines.length + " frames indexed but line " + lines[want] + " not found in " + ch);
    return out;
  }

  @Override
  public String source() { return file.toString(); }

  @Override
  public long size() { return starts.length - 1; }

  /** Frame {@code index} as ASE reads it. */
  public AseAtoms atoms(long index) throws IOException {
    if (closed) throw new IllegalStateException(file + " is closed");
    if (index < 0 || index >= size()) throw new IndexOutOfBoundsException("frame " + index + " outside [0, " + size() + ")");
    int i = (int) index;
    long len = starts[i + 1] - starts[i];
    if (len > Integer.MAX_VALUE - 16) throw new IOException("frame " + index + " of " + file + " is " + len + " bytes, too large for one read");
    ByteBuffer b = ByteBuffer.allocate((int) len);
    long at = starts[i];
    while (b.hasRemaining()) {
      int got = channel.read(b, at + b.position());
      if (got < 0) throw new IOException(file + " shrank while open: frame " + index + " ends past the end");
    }
    try (ExtxyzReader r = ExtxyzReader.open(new ByteArrayInputStream(b.array()), file, 1)) {
      AseAtoms a = r.read();
      if (a == null) throw new IOException("frame " + index + " of " + file + " is empty at byte " + at + ": the file changed since it was indexed");
      return a;
    }
  }

  @Override
  public Molecule get(long index, FieldSet fields) throws IOException {
    return AseMapping.toMolecule(atoms(index), AseMapping.Precision.FLOAT64).molecule();
  }

  /**
   * The object tier of this file: each frame's ASE structure as a row ({@link AtomsRows#standard()}), straight from
   * what ASE reads (not through a molecule, so info entries, arrays and constraints stay as ASE has them). Closing
   * it closes this table.
   */
  public ObjectTable rows() {
    return new ObjectTable() {
      private volatile List<String> keys;

      @Override
      public String source() { return file.toString(); }

      @Override
      public long size() { return ExtxyzTable.this.size(); }

      @Override
      public Map<String, Object> get(long index) throws IOException {
        return AtomsRows.standard().toRow(atoms(index));
      }

      @Override
      public Map<String, Object> get(long index, Collection<String> only) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        get(index).forEach((k, v) -> { if (only.contains(k)) out.put(k, v); });
        return out;
      }

      @Override
      public List<String> keys() throws IOException {
        List<String> k = keys;
        if (k == null) {
          TreeSet<String> all = new TreeSet<>();
          for (long i = 0, n = Math.min(size(), Table.SCHEMA_SAMPLE_ROWS); i < n; i++) all.addAll(get(i).keySet());
          keys = k = List.copyOf(all);
        }
        return k;
      }

      @Override
      public void close() throws IOException { ExtxyzTable.this.close(); }
    };
  }

  @Override
  public void close() throws IOException {
    if (closed) return;
    closed = true;
    channel.close();
    if (temporary) Files.deleteIfExists(text);
  }
}
