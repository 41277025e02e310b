package org.atomstore.data.redis;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.atomstore.data.MutableObjectTable;
import org.atomstore.data.MutableObjectTableContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The mutations suite on Redis, against a real redis-server (skipped when none is installed). */
class RedisMutableContractTest extends MutableObjectTableContract {
  private static RedisServer server;
  private static final AtomicInteger GROUPS = new AtomicInteger();

  @BeforeAll
  static void startServer() throws Exception {
    server = RedisServer.start();
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) server.close();
  }

  @Override
  protected MutableObjectTable create() throws IOException {
    return RedisTable.open(server.address(1, "m" + GROUPS.incrementAndGet()));
  }
}
