/**
 * Atomstore DJL: any Atomstore table as a Deep Java Library dataset whose batches come from Atomstore's loader
 * (deterministic, rank-split, resumable), built as flat ragged graph batches; and a small interatomic potential
 * (per-element reference energies plus an MLP on radial descriptors) trained on them.
 */
module org.atomstore.djl {
  requires transitive org.atomstore.loader;
  requires transitive ai.djl.api;

  exports org.atomstore.djl;
}
