/**
 * Atomstore bench: the reference's benchmark scenario and the side-by-side harness against LMDB, SQLite,
 * extended XYZ and HDF5. Used by the command line; the library never depends on it.
 */
module org.atomstore.bench {
  requires transitive org.atomstore.core;
  requires org.atomstore.io;
  requires org.atomstore.loader;
  requires org.atomstore.data;
  requires com.fasterxml.jackson.databind;
  requires java.sql;
  requires jdk.management; // process CPU time (AsebytesBench)
  requires org.xerial.sqlitejdbc;
  requires lmdbjava; // automatic, named from its jar file (lmdbjava 0.9.3 declares no module name)
  requires io.jhdf;
  requires org.knowm.xchart;

  exports org.atomstore.bench;
  exports org.atomstore.bench.store;
}
