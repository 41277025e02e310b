package org.atomstore.data.redis;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * A parsed {@code redis://HOST[:PORT][/DB][/GROUP]} address: the server, the logical database (0 by default) and
 * the group, which is the prefix of every key of the table ({@value #DEFAULT_GROUP} by default, as asebytes'). A
 * single path segment made of digits is the database, any other the group. A group is not empty and holds no
 * {@code /} (asebytes' own addresses pass the group apart from the URI; here it is the last segment).
 *
 * @param address the address as given, named in errors
 */
public record RedisAddress(String address, String host, int port, int database, String group) {
  /** The group of an address that names none, as in asebytes. */
  public static final String DEFAULT_GROUP = "default";
  /** The port of an address that names none (Redis' own default). */
  public static final int DEFAULT_PORT = 6379;

  /** Whether {@code address} has the {@code redis://} scheme. */
  public static boolean accepts(String address) {
    return address.regionMatches(true, 0, "redis://", 0, 8);
  }

  /**
   * Parses an address.
   *
   * @throws MalformedURLException naming the address and the problem: another scheme, no host, a bad port or
   *     database, a group with {@code /} or too many path segments
   */
  public static RedisAddress parse(String address) throws MalformedURLException {
    if (!accepts(address)) throw bad(address, "not a redis:// address");
    URI uri;
    try {
      uri = new URI(address);
    } catch (URISyntaxException e) {
      throw bad(address, e.getReason());
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) throw bad(address, "no host");
    if (uri.getUserInfo() != null) throw bad(address, "user names and passwords are not supported");
    if (uri.getQuery() != null || uri.getFragment() != null) throw bad(address, "no query or fragment is allowed");
    int port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
    String path = uri.getPath() == null ? "" : uri.getPath();
    if (path.startsWith("/")) path = path.substring(1);
    if (path.endsWith("/")) path = path.substring(0, path.length() - 1);
    String[] parts = path.isEmpty() ? new String[0] : path.split("/", -1);
    int db = 0;
    String group = DEFAULT_GROUP;
    int at = 0;
    if (parts.length > 0 && parts[0].matches("[0-9]{1,9}")) {
      db = Integer.parseInt(parts[0]);
      at = 1;
    }
    if (parts.length - at > 1) {
      throw bad(address, "group name '" + String.join("/", java.util.Arrays.copyOfRange(parts, at, parts.length))
          + "' contains '/' (expected redis://HOST:PORT[/DB][/GROUP])");
    }
    if (parts.length - at == 1) {
      group = parts[at];
      if (group.isEmpty()) throw bad(address, "empty group name");
    }
    return new RedisAddress(address, uri.getHost(), port, db, group);
  }

  /** The same server and database with another group. */
  public RedisAddress withGroup(String name) throws MalformedURLException {
    if (name.isEmpty() || name.contains("/")) throw bad(address, "group name '" + name + "' is empty or contains '/'");
    return new RedisAddress("redis://" + host + ":" + port + "/" + database + "/" + name, host, port, database, name);
  }

  private static MalformedURLException bad(String address, String problem) {
    return new MalformedURLException(address + ": " + problem);
  }
}
