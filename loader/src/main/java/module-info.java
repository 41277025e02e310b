/**
 * Atomstore loader: samplers (deterministic shuffles from seed and epoch, rank splits) and the multi-threaded,
 * resumable batch loader over a sharded dataset.
 */
module org.atomstore.loader {
  requires transitive org.atomstore.dataset;
  requires com.fasterxml.jackson.databind;

  exports org.atomstore.loader;
  exports org.atomstore.loader.sampler;
}
