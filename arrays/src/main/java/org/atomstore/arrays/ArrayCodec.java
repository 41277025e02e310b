package org.atomstore.arrays;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The compressor new arrays are written with, as the numcodecs configuration that goes into {@code .zarray}
 * ({@code {"id": "zstd", "level": 3}}). Written: none, zstd, lz4, zlib, gzip and Blosc (lz4, lz4hc, zstd,
 * zlib inside; no, byte or bit shuffle). Read: all of these and Blosc's blosclz.
 *
 * @param config the numcodecs configuration, or null for no compressor
 */
public record ArrayCodec(Map<String, Object> config) {

  public static final ArrayCodec NONE = new ArrayCodec(null);

  public ArrayCodec {
    if (config != null) config = Map.copyOf(new TreeMap<>(config));
  }

  public static ArrayCodec zstd(int level) { return new ArrayCodec(Map.of("id", "zstd", "level", level)); }

  public static ArrayCodec lz4() { return new ArrayCodec(Map.of("id", "lz4", "acceleration", 1)); }

  public static ArrayCodec zlib(int level) { return new ArrayCodec(Map.of("id", "zlib", "level", level)); }

  public static ArrayCodec gzip(int level) { return new ArrayCodec(Map.of("id", "gzip", "level", level)); }

  /** Blosc with {@code cname} inside; shuffle 0 none, 1 byte, 2 bit. */
  public static ArrayCodec blosc(String cname, int clevel, int shuffle) {
    return new ArrayCodec(Map.of("id", "blosc", "cname", cname, "clevel", clevel, "shuffle", shuffle, "blocksize", 0));
  }

  /**
   * Parses {@code none}, {@code zstd[:LEVEL]}, {@code lz4}, {@code zlib[:LEVEL]}, {@code gzip[:LEVEL]} or
   * {@code blosc[:CNAME[:CLEVEL[:SHUFFLE]]]} (SHUFFLE {@code noshuffle}, {@code shuffle}, {@code bitshuffle}).
   */
  public static ArrayCodec parse(String spec) {
    String[] p = spec.trim().toLowerCase(Locale.ROOT).split(":");
    try {
      return switch (p[0]) {
        case "none" -> NONE;
        case "zstd" -> zstd(p.length > 1 ? Integer.parseInt(p[1]) : 3);
        case "lz4" -> lz4();
        case "zlib" -> zlib(p.length > 1 ? Integer.parseInt(p[1]) : 6);
        case "gzip" -> gzip(p.length > 1 ? Integer.parseInt(p[1]) : 5);
        case "blosc" -> {
          String cname = p.length > 1 ? p[1] : "lz4";
          if (!java.util.Set.of("lz4", "lz4hc", "zstd", "zlib").contains(cname)) {
            throw new IllegalArgumentException("Blosc codec '" + cname + "' cannot be written (lz4, lz4hc, zstd, zlib)");
          }
          int level = p.length > 2 ? Integer.parseInt(p[2]) : 5;
          int shuffle = p.length > 3 ? switch (p[3]) {
            case "noshuffle", "0" -> 0;
            case "shuffle", "1" -> 1;
            case "bitshuffle", "2" -> 2;
            default -> throw new IllegalArgumentException("Blosc shuffle '" + p[3] + "' (noshuffle, shuffle, bitshuffle)");
          } : 1;
          yield blosc(cname, level, shuffle);
        }
        default -> throw new IllegalArgumentException("unknown array codec '" + spec + "' (none, zstd:L, lz4, zlib:L, gzip:L, blosc:CNAME:L:SHUFFLE)");
      };
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad level in array codec '" + spec + "'");
    }
  }

  @Override
  public String toString() { return config == null ? "none" : config.toString(); }
}
