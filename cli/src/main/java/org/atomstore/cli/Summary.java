package org.atomstore.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What a command did, for {@code --json}: one JSON object, printed as the only document on stdout, starting
 * with {@code "command"} and {@code "ok"} (false with {@code "error"} and {@code "exit_code"} when it failed). Keys are
 * snake_case; paths are as the user gave them; sizes in bytes; times in seconds; rates per second.
 *
 * <p>Belongs to the thread that runs the command.
 */
final class Summary {
  private final ObjectNode node = JsonNodeFactory.instance.objectNode();

  /** A summary of a command that succeeded ({@code "ok": true}) unless {@code ok} is put again. */
  Summary(String command) {
    node.put("command", command);
    node.put("ok", true);
  }

  Summary put(String key, String value) {
    node.put(key, value);
    return this;
  }

  Summary put(String key, long value) {
    node.put(key, value);
    return this;
  }

  Summary put(String key, double value) {
    node.put(key, value);
    return this;
  }

  Summary put(String key, boolean value) {
    node.put(key, value);
    return this;
  }

  Summary paths(String key, List<Path> paths) {
    ArrayNode a = node.putArray(key);
    for (Path p : paths) a.add(p.toString());
    return this;
  }

  Summary strings(String key, List<String> values) {
    ArrayNode a = node.putArray(key);
    values.forEach(a::add);
    return this;
  }

  ObjectNode node() {
    return node;
  }

  /** Elapsed time, molecules and their rate, as every writing command reports them. */
  Summary timing(long molecules, double seconds) {
    return put("molecules", molecules).put("seconds", round(seconds))
        .put("molecules_per_second", round(seconds > 0 ? molecules / seconds : 0));
  }

  void print(PrintWriter out) throws JsonProcessingException {
    out.println(DumpCommand.json().writeValueAsString(node));
    out.flush();
  }

  static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /** Three significant decimals are all a wall-clock time or a rate means. */
  static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  /** Total size of files (a dataset's shards), in bytes. */
  static long size(List<Path> files) throws IOException {
    long n = 0;
    for (Path f : files) n += Files.size(f);
    return n;
  }

  /** {@code 1,234 bytes} below 10 KiB, else {@code 12.3 MiB}. */
  static String human(long bytes) {
    if (bytes < 10 * 1024) return String.format(Locale.ROOT, "%,d bytes", bytes);
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = bytes / 1024.0;
    int u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }

  /** {@code 0.42 s}, {@code 12.3 s}. */
  static String time(double seconds) {
    return String.format(Locale.ROOT, seconds < 10 ? "%.2f s" : "%.1f s", seconds);
  }

  /** {@code 12,345}: a count per second, for "12,345 molecules/s". */
  static String rate(long count, double seconds) {
    return String.format(Locale.ROOT, "%,.0f", seconds > 0 ? count / seconds : 0);
  }
}
