package org.atomstore.io.extxyz.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.atomstore.io.ase.internal.PyText;

/**
 * One entry of {@code Properties=name:TYPE:NCOLS}: name as written, ASE's name for it ({@code pos} ->
 * {@code positions}, {@code Z} -> {@code numbers}, {@code charge} -> {@code charges}, {@code species} ->
 * {@code symbols}), type letter and column count.
 */
record ColumnSpec(String name, String aseName, char type, int cols) {

  private static final int CACHE_SIZE = 256;
  /** Most files repeat a few Properties strings on every frame; parsed lists are immutable and shared. */
  private static final java.util.concurrent.ConcurrentHashMap<String, List<ColumnSpec>> CACHE =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Parses a Properties string as ASE's {@code parse_properties} does; the message is ASE's. */
  static List<ColumnSpec> parse(String props) throws CommentParser.CommentException {
    List<ColumnSpec> cached = CACHE.get(props);
    if (cached != null) return cached;
    List<ColumnSpec> parsed = List.copyOf(parseUncached(props));
    if (CACHE.size() >= CACHE_SIZE) CACHE.clear();
    CACHE.put(props, parsed);
    return parsed;
  }

  private static List<ColumnSpec> parseUncached(String props) throws CommentParser.CommentException {
    String[] fields = props.split(":", -1);
    int triples = fields.length / 3;
    // Python evaluates int() on every third field (fields[2::3]) before looking at any type.
    var counts = new ArrayList<Integer>();
    for (int i = 2; i < fields.length; i += 3) {
      var v = PyText.parseBigInt(fields[i]);
      if (v == null) {
        throw new CommentParser.CommentException("ValueError",
            "invalid literal for int() with base 10: " + PyText.repr(fields[i]));
      }
      counts.add(v.intValue());
    }
    var out = new ArrayList<ColumnSpec>();
    var seen = new HashSet<String>();
    for (int t = 0; t < Math.min(triples, counts.size()); t++) {
      String name = fields[3 * t];
      String type = fields[3 * t + 1];
      if (!(type.equals("R") || type.equals("I") || type.equals("S") || type.equals("L"))) {
        throw new CommentParser.CommentException("ValueError", "Unknown property type: " + type);
      }
      int n = counts.get(t);
      if (n < 0 || n > 1_000_000) {
        throw new CommentParser.CommentException("ValueError", "column count " + n + " out of range for " + name);
      }
      if (n == 0) {
        throw new CommentParser.CommentException("ValueError", "need at least one array to concatenate");
      }
      if (!seen.add(name)) {
        throw new CommentParser.CommentException("ValueError", "field '" + name + "' occurs more than once");
      }
      String ase = switch (name) {
        case "pos" -> "positions";
        case "Z" -> "numbers";
        case "charge" -> "charges";
        case "species" -> "symbols";
        default -> name;
      };
      out.add(new ColumnSpec(name, ase, type.charAt(0), n));
    }
    return out;
  }
}
