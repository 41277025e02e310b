package org.atomstore.data.redis;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.atomstore.data.MoleculeTable;
import org.atomstore.data.TableContract;
import org.atomstore.data.Tiers;
import org.atomstore.model.Molecule;
import org.atomstore.table.Table;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The table suite on Redis (molecules stored as asebytes rows), against a real redis-server. */
class RedisTableContractTest extends TableContract {
  private static RedisServer server;
  private static final AtomicInteger GROUPS = new AtomicInteger();
  private String address;

  @BeforeAll
  static void startServer() throws Exception {
    server = RedisServer.start();
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) server.close();
  }

  @Override
  protected Table create(List<Molecule> molecules, Path dir) throws IOException {
    address = server.address(2, "c" + GROUPS.incrementAndGet());
    MoleculeTable t = Tiers.molecules(RedisTable.open(address));
    t.extend(molecules);
    return t;
  }

  @Override
  protected String address() { return address; }

  @Override
  protected Molecule expected(Molecule m) { return viaAse(m); }
}
