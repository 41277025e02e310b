/** Atomstore dataset: sharded datasets read as one, their content-hashed manifests and the sharded writer. */
module org.atomstore.dataset {
  requires transitive org.atomstore.core;
  requires com.fasterxml.jackson.databind;

  exports org.atomstore.dataset;
  provides org.atomstore.table.TableProvider with org.atomstore.dataset.internal.AtpTableProvider;
  // The manifest is (de)serialized by Jackson from its records.
  opens org.atomstore.dataset to com.fasterxml.jackson.databind;
}
