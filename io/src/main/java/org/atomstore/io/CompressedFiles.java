package org.atomstore.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/** Opens a file for streaming reads, decompressing {@code .gz}, {@code .bz2} and {@code .xz} by extension. */
public final class CompressedFiles {

  private static final int BUFFER = 1 << 16;

  private CompressedFiles() {}

  public static InputStream open(Path file) throws IOException {
    InputStream raw = Files.newInputStream(file);
    try {
      String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
      if (name.endsWith(".gz")) return new GZIPInputStream(raw, BUFFER);
      if (name.endsWith(".bz2")) return new BZip2CompressorInputStream(new BufferedInputStream(raw, BUFFER), true);
      if (name.endsWith(".xz")) return new XZCompressorInputStream(new BufferedInputStream(raw, BUFFER), true);
      return raw;
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
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
}
