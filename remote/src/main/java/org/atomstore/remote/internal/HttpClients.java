package org.atomstore.remote.internal;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The {@link HttpClient}s every HTTP source shares, one per connect timeout: a client holds a selector thread and
 * a connection pool, so sources do not make their own. Redirects are not followed by the client: sources follow
 * them themselves, to drop credentials when a redirect leaves the origin.
 */
public final class HttpClients {
  private static final ConcurrentMap<Duration, HttpClient> CLIENTS = new ConcurrentHashMap<>();

  private HttpClients() {}

  public static HttpClient shared(Duration connectTimeout) {
    return CLIENTS.computeIfAbsent(connectTimeout, t -> HttpClient.newBuilder()
        .connectTimeout(t)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build());
  }
}
