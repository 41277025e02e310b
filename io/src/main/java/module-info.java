/**
 * Atomstore io: extended XYZ and ASE databases read (and extended XYZ written) exactly as ASE 3.22 does, and
 * the mapping between ASE's atoms and Atomstore's molecules.
 */
module org.atomstore.io {
  requires transitive org.atomstore.core;
  requires ch.randelshofer.fastdoubleparser;
  requires com.fasterxml.jackson.databind;
  // AseDump and AseRow write JSON through Jackson's JsonGenerator, which their callers pass in.
  requires transitive com.fasterxml.jackson.core;
  requires org.apache.commons.compress;
  // commons-compress reads .xz through it but declares it optional (requires static).
  requires org.tukaani.xz;
  requires java.sql;
  // The JDBC driver of ASE's .db files, found by DriverManager as a service.
  requires org.xerial.sqlitejdbc;
  // .aselmdb files: LMDB through lmdbjava (automatic module, named from its jar) and its jnr-ffi pointers.
  requires lmdbjava;
  requires org.jnrproject.ffi;

  exports org.atomstore.io;
  exports org.atomstore.io.ase;
  exports org.atomstore.io.asedb;
  exports org.atomstore.io.aselmdb;
  exports org.atomstore.io.extxyz;
  exports org.atomstore.io.mapping;
  // ASE databases as tables (Tables.open): .aselmdb and .db files.
  provides org.atomstore.table.TableProvider with org.atomstore.io.internal.AseTables.AseLmdbProvider,
      org.atomstore.io.internal.AseTables.AseDbProvider;
  // Not exported: the parsers and helpers behind these (org.atomstore.io.internal, io.ase.internal,
  // io.asedb.internal, io.extxyz.internal, io.mapping.internal).
}
