package org.atomstore.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps shard paths inside their dataset directory. A shard path is relative, uses {@code /} as separator
 * and has no empty, {@code .} or {@code ..} segment; once resolved, the real path of the file (links
 * followed) must still lie below the real path of the dataset directory.
 */
final class ShardPaths {
  private ShardPaths() {}

  /** Checks the spelling of {@code relative} (no file system access) and resolves it against {@code root}. */
  static Path resolve(Path root, String relative, Path namedIn) throws UnsafeShardPathException {
    String problem = spellingProblem(relative);
    if (problem != null) throw new UnsafeShardPathException(namedIn, relative, problem);
    Path resolved = root.resolve(relative).normalize();
    if (!resolved.startsWith(root.normalize())) {
      throw new UnsafeShardPathException(namedIn, relative, "leaves the dataset directory " + root);
    }
    return resolved;
  }

  /**
   * What is wrong with the spelling of a shard path (absolute, a NUL or backslash, an empty, {@code .} or
   * {@code ..} segment), or null when it is a safe relative path.
   */
  static String spellingProblem(String relative) {
    if (relative.isEmpty()) return "is empty";
    if (relative.indexOf('\0') >= 0 || relative.indexOf('\\') >= 0) return "contains a NUL or backslash";
    if (relative.startsWith("/") || (relative.length() > 1 && relative.charAt(1) == ':')) {
      return "is absolute; shard paths must be relative to the dataset directory";
    }
    for (String segment : relative.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        return "has a '" + segment + "' segment; shard paths must stay inside the dataset directory";
      }
    }
    return null;
  }

  /** Follows links: the real file must lie below the real dataset directory. */
  static Path confineReal(Path realRoot, Path resolved, String relative, Path namedIn) throws IOException {
    Path real = resolved.toRealPath();
    if (!real.startsWith(realRoot)) {
      throw new UnsafeShardPathException(namedIn, relative,
          "is a link to " + real + ", outside the dataset directory " + realRoot);
    }
    if (!Files.isRegularFile(real)) {
      throw new UnsafeShardPathException(namedIn, relative, "is not a regular file");
    }
    return real;
  }

  /** The shard path spelling of {@code file} below {@code root}: segments joined by {@code /}. */
  static String relativize(Path root, Path file) {
    Path rel = root.relativize(file);
    StringBuilder sb = new StringBuilder();
    for (Path segment : rel) {
      if (!sb.isEmpty()) sb.append('/');
      sb.append(segment);
    }
    return sb.toString();
  }
}
