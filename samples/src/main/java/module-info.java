/**
 * Atomstore samples: Java records as typed sample schemas packed exactly as atdata 0.7 packs them (msgpack,
 * NDArray bytes), WebDataset tar shards, sample batches, lenses, a dataset index (SQLite, Redis) with atdata's
 * content ids, and block-compressed random-access datasets.
 */
module org.atomstore.samples {
  requires transitive org.atomstore.core;
  requires transitive org.atomstore.loader;
  requires transitive com.fasterxml.jackson.databind;
  // msgpack-core 0.9.12 declares no module name: the automatic name from its file name.
  requires msgpack.core;
  requires org.apache.commons.compress;
  requires java.sql;
  requires org.xerial.sqlitejdbc;
  requires redis.clients.jedis;
  requires com.github.luben.zstd_jni;

  exports org.atomstore.samples;
  exports org.atomstore.samples.wds;
  exports org.atomstore.samples.index;
  exports org.atomstore.samples.blocks;
  // The command line's shard dump reads tar members as the dataset does.
  exports org.atomstore.samples.internal to org.atomstore.cli;
}
