package org.atomstore.dataset.remote;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * A Hugging Face Hub dataset address, {@code hf://datasets/ORG/REPO[@REVISION][/PATH]}, as
 * {@code huggingface_hub}'s file system spells it: the revision defaults to {@code main}; a revision with a
 * slash is written URL-encoded ({@code @refs%2Fpr%2F1}) or, for pull requests, as {@code @refs/pr/N}.
 *
 * @param repo {@code ORG/REPO}
 * @param revision a branch, tag or commit
 * @param path the path inside the repository, {@code /}-separated, "" for the root
 */
public record HubAddress(String repo, String revision, String path) {
  public static final String SCHEME = "hf://";
  public static final String DEFAULT_REVISION = "main";

  /** Whether {@code address} is an {@code hf://} address. */
  public static boolean matches(String address) {
    return address.startsWith(SCHEME);
  }

  /**
   * Parses an {@code hf://} address.
   *
   * @throws IllegalArgumentException naming the address when it is not {@code hf://datasets/ORG/REPO...}, or its
   *     path has an empty, {@code .} or {@code ..} segment
   */
  public static HubAddress parse(String address) {
    if (!matches(address)) throw new IllegalArgumentException("not an hf:// address: " + address);
    String rest = address.substring(SCHEME.length());
    if (!rest.startsWith("datasets/")) {
      throw new IllegalArgumentException("only dataset repositories are read: hf://datasets/ORG/REPO[@REVISION]/PATH, not " + address);
    }
    rest = rest.substring("datasets/".length());
    String[] parts = rest.split("/", 3);
    if (parts.length < 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw new IllegalArgumentException("no ORG/REPO in " + address);
    }
    String org = parts[0];
    String name = parts[1];
    String tail = parts.length == 3 ? parts[2] : "";
    String revision = DEFAULT_REVISION;
    int at = name.indexOf('@');
    if (at >= 0) {
      revision = name.substring(at + 1);
      name = name.substring(0, at);
      if (revision.equals("refs") && tail.startsWith("pr/")) {
        // @refs/pr/N: the revision runs over two more segments
        String[] pr = tail.split("/", 3);
        revision = "refs/pr/" + pr[1];
        tail = pr.length == 3 ? pr[2] : "";
      } else {
        revision = URLDecoder.decode(revision, StandardCharsets.UTF_8);
      }
      if (revision.isEmpty()) throw new IllegalArgumentException("empty revision in " + address);
    }
    String path = tail.replaceAll("/+$", "");
    if (!path.isEmpty()) {
      for (String seg : path.split("/", -1)) {
        if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) {
          throw new IllegalArgumentException("path in " + address + " has an empty, '.' or '..' segment");
        }
      }
    }
    return new HubAddress(org + "/" + name, revision, path);
  }

  /** The tree listing of {@code path} (below this address's path), as {@code huggingface_hub} requests it. */
  public URI treeUri(String endpoint) {
    String p = path.isEmpty() ? "" : "/" + encodePath(path);
    return URI.create(trim(endpoint) + "/api/datasets/" + repo + "/tree/" + encodeSegment(revision) + p + "?recursive=true");
  }

  /** The download URL of {@code file} (a path inside the repository). */
  public URI resolveUri(String endpoint, String file) {
    return URI.create(trim(endpoint) + "/datasets/" + repo + "/resolve/" + encodeSegment(revision) + "/" + encodePath(file));
  }

  /** The path inside the repository of {@code name}, relative to this address's path. */
  public String inRepo(String name) {
    return path.isEmpty() ? name : name.isEmpty() ? path : path + "/" + name;
  }

  /** This address with {@code name} appended to its path. */
  public HubAddress child(String name) {
    return new HubAddress(repo, revision, inRepo(name));
  }

  @Override
  public String toString() {
    String rev = revision.equals(DEFAULT_REVISION) ? "" : "@" + (revision.startsWith("refs/pr/") ? revision : encodeSegment(revision));
    return SCHEME + "datasets/" + repo + rev + (path.isEmpty() ? "" : "/" + path);
  }

  private static String trim(String endpoint) {
    return endpoint.replaceAll("/+$", "");
  }

  /** Percent-encodes everything but unreserved characters (Python's {@code quote(s, safe="")}). */
  static String encodeSegment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("%7E", "~");
  }

  /** Encodes each segment, keeping the slashes (Python's {@code quote(s)}). */
  static String encodePath(String s) {
    StringBuilder b = new StringBuilder();
    for (String seg : s.split("/", -1)) {
      if (!b.isEmpty()) b.append('/');
      b.append(encodeSegment(seg));
    }
    return b.toString();
  }
}
