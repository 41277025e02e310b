/**
 * Atomstore arrays: chunked N-dimensional arrays stored in the Zarr v2 layout, which zarr-python and xarray
 * read, and any Zarr v2 store read back. The API is {@link org.atomstore.arrays.ZarrStore} and its values;
 * codecs, Blosc and the chunk grid are implementation ({@code org.atomstore.arrays.internal}).
 */
module org.atomstore.arrays {
  requires transitive org.atomstore.core;
  requires com.github.luben.zstd_jni;
  requires org.lz4.java;
  requires com.fasterxml.jackson.databind;

  exports org.atomstore.arrays;
}
