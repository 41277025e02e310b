/**
 * Atomstore data: one table of structures over many backends (asebytes LMDB, fairchem aselmdb, ASE databases,
 * extended XYZ, memory, Redis, {@code .atp} files and datasets), seen in three tiers (bytes, rows, molecules),
 * with lazy views, projections, mutations where the backend allows, an async API and read-through caches.
 */
module org.atomstore.data {
  requires transitive org.atomstore.core;
  requires transitive org.atomstore.io;
  requires transitive org.atomstore.dataset;

  exports org.atomstore.data;
  provides org.atomstore.table.TableProvider with
      org.atomstore.data.internal.DataTableProviders.Memory,
      org.atomstore.data.internal.DataTableProviders.Extxyz;
}
