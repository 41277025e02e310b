/**
 * Atomstore dataset: sharded datasets read as one (a local directory or an object store: HTTP, S3, the Hugging
 * Face Hub), their content-hashed manifests, the sharded writer, and publishing and pulling whole datasets.
 */
module org.atomstore.dataset {
  requires transitive org.atomstore.core;
  requires org.atomstore.remote;
  requires com.fasterxml.jackson.databind;
  requires java.net.http;

  exports org.atomstore.dataset;
  exports org.atomstore.dataset.remote;
  provides org.atomstore.table.TableProvider with org.atomstore.dataset.remote.RemoteTableProvider,
      org.atomstore.dataset.internal.AtpTableProvider;
  // The manifest is (de)serialized by Jackson from its records.
  opens org.atomstore.dataset to com.fasterxml.jackson.databind;
}
