package org.atomstore.io;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * Opens a file for streaming reads, decompressing {@code .gz}, {@code .bz2} and {@code .xz} by extension. A damaged
 * or truncated compressed stream surfaces as a {@link CorruptCompressedInputException} naming the file (at open or
 * at the read that meets the damage); errors reading the file itself stay plain {@link IOException}s. The stream
 * counts the bytes of the file consumed ({@link Input#sourceBytesRead()}): compressed bytes for a compressed file,
 * so progress can be shown against the file's size when the decompressed size is not known. Stateless.
 */
public final class CompressedFiles {

  private static final int BUFFER = 1 << 16;

  private CompressedFiles() {}

  /**
   * Opens {@code file}, decompressing by extension. The stream reads what one thread gives it (as any
   * {@link InputStream}); {@link Input#sourceBytesRead()} may be read from any thread.
   */
  public static Input open(Path file) throws IOException {
    var raw = new CountingInput(Files.newInputStream(file));
    try {
      String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
      String kind = name.endsWith(".gz") ? "gzip" : name.endsWith(".bz2") ? "bzip2" : name.endsWith(".xz") ? "xz" : null;
      if (kind == null) return new Input(raw, file, null, raw);
      InputStream decoded;
      try {
        decoded = switch (kind) {
          // member by member, not java.util.zip: the JDK ignores garbage after the last member, Python refuses it
          case "gzip" -> new GzipMembers(new BufferedInputStream(raw, BUFFER));
          case "bzip2" -> new BZip2CompressorInputStream(new BufferedInputStream(raw, BUFFER), true);
          default -> new XZCompressorInputStream(new BufferedInputStream(raw, BUFFER), true);
        };
      } catch (IOException | RuntimeException e) {
        throw damaged(file, kind, raw, e);
      }
      return new Input(decoded, file, kind, raw);
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  // A decompressor's complaint is about the data unless the file read under it failed.
  // (RuntimeExceptions included: a decompressor fed hostile bytes may throw one.)
  private static IOException damaged(Path file, String kind, CountingInput raw, Exception e) {
    if (e instanceof IOException io && (raw.failure == io || io instanceof CorruptCompressedInputException)) return io;
    String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new CorruptCompressedInputException(file, raw.count, "damaged " + kind + " data: " + why, e);
  }

  /** The file name without a compression suffix, e.g. {@code a.xyz} for {@code a.xyz.gz}. */
  public static String baseName(Path file) {
    String name = file.getFileName().toString();
    String lower = name.toLowerCase(Locale.ROOT);
    for (String ext : new String[] {".gz", ".bz2", ".xz"}) {
      if (lower.endsWith(ext)) return name.substring(0, name.length() - ext.length());
    }
    return name;
  }

  /** The raw file: counts the bytes handed to the decompressor and remembers its own read failures. */
  private static final class CountingInput extends FilterInputStream {
    final InputStream in;
    // written by the reading thread only; volatile so a progress display on another thread sees it
    volatile long count;
    IOException failure;

    CountingInput(InputStream in) {
      super(in);
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      try {
        int b = in.read();
        if (b >= 0) count++;
        return b;
      } catch (IOException e) {
        failure = e;
        throw e;
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        int n = in.read(b, off, len);
        if (n > 0) count += n;
        return n;
      } catch (IOException e) {
        failure = e;
        throw e;
      }
    }

    @Override
    public long skip(long n) throws IOException {
      long s = in.skip(n);
      count += s;
      return s;
    }
  }

  /**
   * The members of a gzip file one after another, as Python's gzip reader takes them: after a member, zero bytes
   * (padding) are skipped, then the input must end or hold another member; anything else is refused. Each member is
   * decoded by commons-compress, which hands the bytes it read past the member back to the buffered input.
   */
  private static final class GzipMembers extends InputStream {
    private final BufferedInputStream in;
    private GzipCompressorInputStream member;

    GzipMembers(BufferedInputStream in) throws IOException {
      this.in = in;
      this.member = new GzipCompressorInputStream(in, false);
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) return 0;
      while (member != null) {
        int n = member.read(b, off, len);
        if (n >= 0) return n;
        member = next();
      }
      return -1;
    }

    private GzipCompressorInputStream next() throws IOException {
      int c;
      do {
        in.mark(1);
        c = in.read();
      } while (c == 0);
      if (c < 0) return null;
      in.reset();
      return new GzipCompressorInputStream(in, false); // refuses what is not a gzip header
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  /**
   * An opened file's (decompressed) text, with the count of the file's own bytes consumed so far. Turns a
   * decompressor's errors into {@link CorruptCompressedInputException}s. Read by one thread at a time;
   * {@link #sourceBytesRead()} from any thread.
   */
  public static final class Input extends FilterInputStream {
    private final Path file;
    private final String kind; // null: not compressed
    private final CountingInput raw;

    private Input(InputStream decoded, Path file, String kind, CountingInput raw) {
      super(decoded);
      this.file = file;
      this.kind = kind;
      this.raw = raw;
    }

    /**
     * Bytes of the file read so far: the compressed bytes handed to the decompressor (read ahead in blocks of up
     * to 64 KiB) for a compressed file, the text's bytes otherwise. Equals the file's size once the text is read to
     * its end.
     */
    public long sourceBytesRead() {
      return raw.count;
    }

    // plain text: the file's own errors, passed on unchanged
    private IOException damaged(Exception e) {
      if (kind != null) return CompressedFiles.damaged(file, kind, raw, e);
      if (e instanceof RuntimeException r) throw r;
      return (IOException) e;
    }

    @Override
    public int read() throws IOException {
      try {
        return in.read();
      } catch (IOException | RuntimeException e) {
        throw damaged(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return in.read(b, off, len);
      } catch (IOException | RuntimeException e) {
        throw damaged(e);
      }
    }

    @Override
    public long skip(long n) throws IOException {
      try {
        return in.skip(n);
      } catch (IOException | RuntimeException e) {
        throw damaged(e);
      }
    }

    @Override
    public int available() throws IOException {
      try {
        return in.available();
      } catch (IOException | RuntimeException e) {
        throw damaged(e);
      }
    }
  }
}
