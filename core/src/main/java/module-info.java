/**
 * Atomstore core: the molecule model, the Atompack {@code .atp} format, its codecs, the memory-mapped reader
 * and the writer.
 *
 * <p>The API is {@link org.atomstore.store.AtpReader}, {@link org.atomstore.store.AtpWriter} and the values they
 * take and return ({@code org.atomstore.model}, {@code org.atomstore.codec}). The byte layout
 * ({@code org.atomstore.format} and its record-format versions) is implementation and not exported.
 */
module org.atomstore.core {
  requires com.github.luben.zstd_jni;
  requires org.lz4.java;

  exports org.atomstore.codec;
  exports org.atomstore.model;
  exports org.atomstore.store;
  exports org.atomstore.source;
  exports org.atomstore.table;
  uses org.atomstore.table.TableProvider;
  // Encoding and compressing records on many threads for one writer (the command line's parallel convert), and
  // copying records between files as stored (conversion in the data module).
  exports org.atomstore.store.internal to org.atomstore.cli, org.atomstore.data;
}
