package org.atomstore.codec;

import java.util.Locale;

/**
 * Per-record compression of an {@code .atp} file, as stored in the header: a type byte (0 none, 1 LZ4,
 * 2 zstd) and, for zstd, the level (any level zstd accepts, negative ones included; it is irrelevant for
 * decoding).
 */
public record Compression(Kind kind, int level) {

  /** The codec kinds, with the id written to the header. */
  public enum Kind {
    NONE(0), LZ4(1), ZSTD(2);

    private final int id;

    Kind(int id) { this.id = id; }

    public int id() { return id; }

    /** The kind for a header type byte, or null when the byte names none. */
    public static Kind forId(int id) {
      for (Kind k : values()) if (k.id == id) return k;
      return null;
    }
  }

  public static final Compression NONE = new Compression(Kind.NONE, 0);
  public static final Compression LZ4 = new Compression(Kind.LZ4, 0);

  public Compression {
    if (kind != Kind.ZSTD && level != 0) {
      throw new IllegalArgumentException(kind + " takes no level");
    }
  }

  public static Compression zstd(int level) {
    return new Compression(Kind.ZSTD, level);
  }

  private static final java.util.regex.Pattern ZSTD_LEVEL = java.util.regex.Pattern.compile("[+-]?[0-9]{1,6}");

  /** Parses {@code none}, {@code lz4}, {@code zstd} (level 3) or {@code zstd:LEVEL}. */
  public static Compression parse(String spec) {
    String s = spec.trim().toLowerCase(Locale.ROOT);
    if (s.equals("none")) return NONE;
    if (s.equals("lz4")) return LZ4;
    if (s.equals("zstd")) return zstd(3);
    if (s.startsWith("zstd:")) {
      // checked before parsing: a bad level is an expected user error, not an exception to catch
      String level = s.substring(5);
      if (!ZSTD_LEVEL.matcher(level).matches()) throw new IllegalArgumentException("bad zstd level in '" + spec + "'");
      return zstd(Integer.parseInt(level));
    }
    throw new IllegalArgumentException("unknown compression '" + spec + "' (expected none, lz4 or zstd:LEVEL)");
  }

  /** The name as dumps print it: none, lz4 or zstd. */
  public String kindName() {
    return kind.name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return kind == Kind.ZSTD ? "zstd:" + level : kindName();
  }
}
