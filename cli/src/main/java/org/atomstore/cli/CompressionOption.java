package org.atomstore.cli;

import java.util.Locale;
import org.atomstore.codec.Compression;
import picocli.CommandLine;

/**
 * Parses {@code --compression}: {@code none}, {@code lz4}, {@code zstd} (level 3) or {@code zstd:LEVEL} with
 * LEVEL in 1..22. That is zstd's standard range and the one Atompack documents ("1-22, higher = more
 * compression"); zstd would clamp a higher level and treat a negative one as a fast mode that Atompack does not
 * mention, so both are refused rather than silently changed.
 */
final class CompressionOption implements CommandLine.ITypeConverter<Compression> {
  static final int MIN_ZSTD_LEVEL = 1;
  static final int MAX_ZSTD_LEVEL = 22;
  static final String HELP = "none, lz4, zstd (level 3) or zstd:LEVEL with LEVEL 1..22";

  @Override
  public Compression convert(String text) {
    return parse(text);
  }

  static Compression parse(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    if (s.startsWith("zstd:")) {
      int level;
      try {
        level = Integer.parseInt(s.substring(5));
      } catch (NumberFormatException e) {
        throw new CommandLine.TypeConversionException("'" + text + "': the zstd level is not a number (" + HELP + ")");
      }
      if (level < MIN_ZSTD_LEVEL || level > MAX_ZSTD_LEVEL) {
        throw new CommandLine.TypeConversionException("'" + text + "': zstd level " + level + " is outside 1..22");
      }
      return Compression.zstd(level);
    }
    if (s.equals("none") || s.equals("lz4") || s.equals("zstd")) return Compression.parse(s);
    throw new CommandLine.TypeConversionException("'" + text + "' is not a compression (" + HELP + ")");
  }
}
