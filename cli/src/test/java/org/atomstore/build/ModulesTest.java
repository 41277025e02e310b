package org.atomstore.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Each module of the build is a named module that exports its API packages only: the byte layout, record
 * formats and other implementation packages are not exported (at most to Atomstore's own modules).
 */
class ModulesTest {

  /** Module directory, module name, the packages every user may use. */
  private static final Map<String, Map.Entry<String, Set<String>>> API = Map.ofEntries(
      Map.entry("core", Map.entry("org.atomstore.core", Set.of("org.atomstore.codec", "org.atomstore.model",
          "org.atomstore.store", "org.atomstore.source", "org.atomstore.table"))),
      Map.entry("remote", Map.entry("org.atomstore.remote", Set.of("org.atomstore.remote"))),
      Map.entry("io", Map.entry("org.atomstore.io", Set.of("org.atomstore.io", "org.atomstore.io.ase",
          "org.atomstore.io.asedb", "org.atomstore.io.aselmdb", "org.atomstore.io.extxyz", "org.atomstore.io.mapping"))),
      Map.entry("dataset", Map.entry("org.atomstore.dataset", Set.of("org.atomstore.dataset", "org.atomstore.dataset.remote"))),
      Map.entry("data", Map.entry("org.atomstore.data", Set.of("org.atomstore.data", "org.atomstore.data.lmdb",
          "org.atomstore.data.redis"))),
      Map.entry("loader", Map.entry("org.atomstore.loader", Set.of("org.atomstore.loader", "org.atomstore.loader.sampler"))),
      Map.entry("djl", Map.entry("org.atomstore.djl", Set.of("org.atomstore.djl"))),
      Map.entry("arrays", Map.entry("org.atomstore.arrays", Set.of("org.atomstore.arrays"))),
      Map.entry("bench", Map.entry("org.atomstore.bench", Set.of("org.atomstore.bench", "org.atomstore.bench.store"))),
      Map.entry("samples", Map.entry("org.atomstore.samples", Set.of("org.atomstore.samples", "org.atomstore.samples.wds",
          "org.atomstore.samples.index", "org.atomstore.samples.blocks"))),
      Map.entry("cli", Map.entry("org.atomstore.cli", Set.of())));

  private static ModuleDescriptor descriptor(String dir) {
    Path classes = ReadmeExamplesTest.projectRoot().resolve(dir).resolve("target/classes");
    assertThat(classes.resolve("module-info.class")).as(dir + " has a module-info").isRegularFile();
    return ModuleFinder.of(classes).findAll().iterator().next().descriptor();
  }

  @Test
  void everyModuleExportsItsApiPackagesOnly() {
    API.forEach((dir, nameAndApi) -> {
      ModuleDescriptor d = descriptor(dir);
      assertThat(d.name()).as(dir).isEqualTo(nameAndApi.getKey());
      assertThat(d.isAutomatic() || d.isOpen()).as(dir + " is an explicit, closed module").isFalse();
      Set<String> unqualified = d.exports().stream().filter(e -> !e.isQualified()).map(ModuleDescriptor.Exports::source)
          .collect(Collectors.toCollection(TreeSet::new));
      assertThat(unqualified).as(dir + " exports").containsExactlyInAnyOrderElementsOf(nameAndApi.getValue());
      d.exports().stream().filter(ModuleDescriptor.Exports::isQualified).forEach(e ->
          assertThat(e.targets()).as(dir + " exports " + e.source() + " only to Atomstore's modules")
              .allMatch(t -> t.startsWith("org.atomstore.")));
      assertThat(unqualified).as(dir + ": no internal package is exported to all")
          .noneMatch(p -> p.contains(".internal") || p.startsWith("org.atomstore.format"));
    });
  }

  @Test
  void coreKeepsTheByteLayoutInternal() {
    ModuleDescriptor core = descriptor("core");
    assertThat(core.packages()).contains("org.atomstore.format", "org.atomstore.format.v2", "org.atomstore.format.v3");
    assertThat(core.exports()).filteredOn(e -> e.source().startsWith("org.atomstore.format")).isEmpty();
  }

  @Test
  void ioKeepsItsParsersAndHelpersInternal() {
    ModuleDescriptor io = descriptor("io");
    var internal = Set.of("org.atomstore.io.internal", "org.atomstore.io.ase.internal", "org.atomstore.io.asedb.internal",
        "org.atomstore.io.extxyz.internal", "org.atomstore.io.mapping.internal");
    assertThat(io.packages()).containsAll(internal);
    assertThat(io.exports()).filteredOn(e -> internal.contains(e.source())).isEmpty();
  }

  @Test
  void ioExportedPackagesHoldNoParserImplementation() throws Exception {
    // The extended XYZ engine (block scanner, frame, comment and atom-line parsers) is not reachable by users.
    Path extxyz = ReadmeExamplesTest.projectRoot().resolve("io/target/classes/org/atomstore/io/extxyz");
    for (String impl : new String[] {"FrameScanner", "FrameParser", "CommentParser", "AtomLineParser"}) {
      assertThat(extxyz.resolve(impl + ".class")).as(impl + " outside the exported package").doesNotExist();
      assertThat(extxyz.resolve("internal/" + impl + ".class")).as(impl + " in extxyz.internal").isRegularFile();
    }
  }
}
