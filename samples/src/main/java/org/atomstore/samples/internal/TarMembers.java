package org.atomstore.samples.internal;

import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.atomstore.samples.CorruptSampleException;

/**
 * The regular-file members of one WebDataset tar shard, read in order: each member's name, webdataset key and
 * extension (key = the name up to the first {@code .} of its base name) and bytes. PAX and GNU headers are
 * consumed by commons-compress. Sizes are bounded before anything is allocated, names that climb out of the
 * archive ({@code ..}, absolute) are refused.
 *
 * <p>Belongs to one thread.
 */
public final class TarMembers implements AutoCloseable {
  /** The largest member read into memory unless the caller says otherwise. */
  public static final long DEFAULT_MAX_MEMBER = 256L << 20;

  private final String shard;
  private final TarArchiveInputStream tar;
  private final long maxMember;

  /** One member. */
  public record Member(String name, String key, String extension, byte[] bytes, long offset) {}

  public TarMembers(String shard, InputStream in, long maxMember) {
    this.shard = shard;
    this.tar = new TarArchiveInputStream(in);
    this.maxMember = maxMember;
  }

  /** The next regular file member, or null at the end of the archive. */
  public Member next() throws IOException {
    while (true) {
      TarArchiveEntry e;
      long at = tar.getBytesRead();
      try {
        e = tar.getNextEntry();
      } catch (IOException | IllegalArgumentException x) {
        throw new CorruptSampleException(shard, null, null, at, "corrupt tar header: " + x.getMessage(), x);
      }
      if (e == null) return null;
      if (!e.isFile()) continue;
      String name = e.getName();
      checkName(name, at);
      long size = e.getSize();
      if (size < 0 || size > maxMember) {
        throw new CorruptSampleException(shard, name, null, at, "tar member claims " + size + " bytes, more than the limit of " + maxMember);
      }
      long dataAt = tar.getBytesRead();
      byte[] b;
      try {
        b = tar.readNBytes((int) size);
      } catch (IOException x) {
        throw new CorruptSampleException(shard, name, null, dataAt, "cannot read tar member: " + x.getMessage(), x);
      }
      if (b.length != size) {
        throw new CorruptSampleException(shard, name, null, dataAt + b.length, "tar member truncated: " + b.length + " of " + size + " bytes");
      }
      int slash = name.lastIndexOf('/');
      int dot = name.indexOf('.', slash + 1);
      String key = dot < 0 ? name : name.substring(0, dot);
      String ext = dot < 0 ? "" : name.substring(dot + 1);
      return new Member(name, key, ext, b, dataAt);
    }
  }

  private void checkName(String name, long at) throws CorruptSampleException {
    boolean bad = name.isEmpty() || name.startsWith("/") || name.indexOf('\0') >= 0 || name.matches("^[A-Za-z]:.*");
    for (String part : name.split("[/\\\\]")) if (part.equals("..")) bad = true;
    if (bad) throw new CorruptSampleException(shard, name, null, at, "tar member name is absolute or leaves the archive");
  }

  @Override
  public void close() throws IOException {
    tar.close();
  }
}
