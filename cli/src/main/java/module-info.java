/** The {@code atomstore} command line (picocli): thin commands over the library. Exports nothing. */
module org.atomstore.cli {
  requires org.atomstore.core;
  requires org.atomstore.io;
  requires org.atomstore.dataset;
  requires org.atomstore.data;
  requires org.atomstore.loader;
  requires org.atomstore.samples;
  requires org.atomstore.arrays;
  requires org.atomstore.djl;
  requires org.atomstore.bench;
  requires info.picocli;
  requires me.tongfei.progressbar;
  requires com.fasterxml.jackson.databind;
  // arrays bench: process CPU time
  requires jdk.management;

  // picocli fills the commands' annotated fields by reflection.
  opens org.atomstore.cli to info.picocli;
}
