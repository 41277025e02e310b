package org.atomstore.dataset.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.stream.Stream;
import org.atomstore.remote.testing.RangeHttpServer;

/**
 * A Hugging Face Hub-like server on 127.0.0.1 for tests: the two endpoints {@code huggingface_hub} reads a
 * dataset through, over {@link RangeHttpServer} (whose counters, log and faults apply to every request).
 *
 * <ul>
 *   <li>{@code GET /api/datasets/ORG/REPO/tree/REV[/PATH]?recursive=true}: the files (and directories) under PATH
 *       as the Hub lists them ({@code type}, {@code path}, {@code size}, {@code oid}, {@code lfs.oid} = SHA-256 for
 *       {@code .atp} files), {@link #pageSize} entries a page with a {@code Link: <...>; rel="next"} header;</li>
 *   <li>{@code GET|HEAD /datasets/ORG/REPO/resolve/REV/PATH}: 302 to {@code /ORG/REPO/PATH}, served with Range by
 *       the file server (as the Hub redirects to its CDN).</li>
 * </ul>
 * The repositories are the directories {@code ROOT/ORG/REPO}; revisions other than those allowed answer 404. With
 * {@link #requireToken}, both endpoints answer 401 without {@code Authorization: Bearer TOKEN} (the CDN does not
 * ask, as a signed URL would not).
 */
public final class HubTestServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final RangeHttpServer files;
  private final Set<String> revisions = new CopyOnWriteArraySet<>(List.of("main"));
  private volatile int pageSize = 2;
  private volatile String token;

  private HubTestServer(RangeHttpServer files) {
    this.files = files;
    files.createContext("/api/datasets/", this::tree);
    files.createContext("/datasets/", this::resolve);
  }

  /** Serves the repositories under {@code root} ({@code root/ORG/REPO/...}). */
  public static HubTestServer serve(Path root) throws IOException {
    return new HubTestServer(RangeHttpServer.serve(root));
  }

  /** The endpoint, as {@code HF_ENDPOINT} would give it: {@code http://127.0.0.1:PORT}. */
  public String endpoint() {
    return files.baseUri().toString().replaceAll("/$", "");
  }

  public RangeHttpServer files() { return files; }

  public HubTestServer pageSize(int n) {
    pageSize = n;
    return this;
  }

  public HubTestServer allowRevision(String revision) {
    revisions.add(revision);
    return this;
  }

  public HubTestServer requireToken(String t) {
    token = t;
    return this;
  }

  private boolean authorized(HttpExchange ex) throws IOException {
    String t = token;
    if (t == null || ("Bearer " + t).equals(ex.getRequestHeaders().getFirst("Authorization"))) return true;
    ex.sendResponseHeaders(401, -1);
    return false;
  }

  /** ORG/REPO, REV and the rest of a path {@code /PREFIX/ORG/REPO/VERB/REV[/REST]}; null when it is not one. */
  private static String[] parts(String rawPath, String prefix, String verb) {
    String[] p = rawPath.substring(prefix.length()).split("/", 5);
    if (p.length < 4 || !p[2].equals(verb)) return null;
    String rev = URLDecoder.decode(p[3], StandardCharsets.UTF_8);
    String rest = p.length == 5 ? URLDecoder.decode(p[4], StandardCharsets.UTF_8) : "";
    return new String[] {p[0] + "/" + p[1], rev, rest};
  }

  private void tree(HttpExchange ex) throws IOException {
    if (!authorized(ex)) return;
    String[] p = parts(ex.getRequestURI().getRawPath(), "/api/datasets/", "tree");
    Path repo = p == null ? null : files.root().resolve(p[0]);
    if (p == null || !revisions.contains(p[1]) || !Files.isDirectory(repo)) {
      ex.sendResponseHeaders(404, -1);
      return;
    }
    Path under = p[2].isEmpty() ? repo : repo.resolve(p[2]).normalize();
    if (!under.startsWith(repo) || !Files.isDirectory(under)) {
      ex.sendResponseHeaders(404, -1);
      return;
    }
    List<Path> all;
    try (Stream<Path> s = Files.walk(under)) {
      all = s.filter(x -> !x.equals(under)).sorted().toList();
    }
    String query = ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery();
    int from = 0;
    for (String kv : query.split("&")) if (kv.startsWith("cursor=")) from = Integer.parseInt(kv.substring(7));
    int to = Math.min(all.size(), from + pageSize);
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    for (Path f : all.subList(from, to)) {
      String rel = repo.relativize(f).toString().replace('\\', '/');
      if (Files.isDirectory(f)) {
        out.addObject().put("type", "directory").put("oid", "0").put("size", 0).put("path", rel);
      } else {
        var o = out.addObject().put("type", "file").put("oid", "1").put("size", Files.size(f)).put("path", rel);
        if (rel.endsWith(".atp")) o.putObject("lfs").put("oid", sha256(f)).put("size", Files.size(f)).put("pointerSize", 134);
      }
    }
    if (to < all.size()) {
      URI self = ex.getRequestURI();
      String next = self.getRawPath() + "?recursive=true&cursor=" + to;
      ex.getResponseHeaders().add("Link", "<" + files.baseUri().resolve(next) + ">; rel=\"next\"");
    }
    byte[] body = JSON.writeValueAsBytes(out);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(200, body.length);
    ex.getResponseBody().write(body);
  }

  private void resolve(HttpExchange ex) throws IOException {
    if (!authorized(ex)) return;
    String[] p = parts(ex.getRequestURI().getRawPath(), "/datasets/", "resolve");
    if (p == null || !revisions.contains(p[1]) || p[2].isEmpty() || !Files.isRegularFile(files.root().resolve(p[0]).resolve(p[2]))) {
      ex.sendResponseHeaders(404, -1);
      return;
    }
    ex.getResponseHeaders().set("Location", files.uri(p[0] + "/" + p[2]).toString());
    ex.sendResponseHeaders(302, -1);
  }

  private static String sha256(Path f) throws IOException {
    try (InputStream in = Files.newInputStream(f)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) >= 0; ) md.update(buf, 0, n);
      return HexFormat.of().formatHex(md.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    files.close();
  }
}
