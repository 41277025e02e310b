package org.atomstore.cli;

import java.util.Locale;
import picocli.CommandLine;

/** Byte sizes on the command line: {@code 123}, {@code 64K}, {@code 512M}, {@code 1G}, {@code 2T} (powers of 1024). */
final class Sizes implements CommandLine.ITypeConverter<Long> {
  @Override
  public Long convert(String text) {
    return parse(text);
  }

  static long parse(String text) {
    String t = text.trim().toUpperCase(Locale.ROOT);
    if (t.endsWith("B")) t = t.substring(0, t.length() - 1);
    if (t.endsWith("I")) t = t.substring(0, t.length() - 1);
    int shift = 0;
    if (!t.isEmpty()) {
      switch (t.charAt(t.length() - 1)) {
        case 'K' -> shift = 10;
        case 'M' -> shift = 20;
        case 'G' -> shift = 30;
        case 'T' -> shift = 40;
        default -> { }
      }
    }
    if (shift > 0) t = t.substring(0, t.length() - 1);
    try {
      long v = Long.parseLong(t.trim());
      if (v < 1 || v > (Long.MAX_VALUE >> shift)) throw new NumberFormatException();
      return v << shift;
    } catch (NumberFormatException e) {
      throw new CommandLine.TypeConversionException("not a byte size: '" + text + "' (examples: 1000000, 64M, 1G)");
    }
  }
}
