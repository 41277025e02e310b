package org.atomstore.build;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.source.doctree.DocCommentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.DocTrees;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePathScanner;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.lang.model.element.Modifier;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * Every public type of every exported package has a javadoc comment (what it is, and its thread contract where
 * it has state): the API a user sees in an IDE is documented. Parsed with javac's tree API, no build step.
 */
class PublicTypesDocumentedTest {

  private static final List<String> LIBRARY_MODULES = List.of("core", "io", "dataset", "loader");

  /** Source files of the packages {@code dir}'s module exports to everyone. */
  static List<Path> exportedSources(String dir) throws IOException {
    Path root = ReadmeExamplesTest.projectRoot().resolve(dir);
    ModuleDescriptor d = ModuleFinder.of(root.resolve("target/classes")).findAll().iterator().next().descriptor();
    List<Path> files = new ArrayList<>();
    for (ModuleDescriptor.Exports e : d.exports()) {
      if (e.isQualified()) continue;
      Path pkg = root.resolve("src/main/java").resolve(e.source().replace('.', '/'));
      try (Stream<Path> s = Files.list(pkg)) {
        s.filter(p -> p.toString().endsWith(".java") && !p.endsWith("package-info.java")).forEach(files::add);
      }
    }
    return files;
  }

  /** "File: Type" for each public type (top-level or nested in a public type) without a doc comment. */
  static List<String> undocumentedPublicTypes(List<Path> sources) throws IOException {
    var javac = ToolProvider.getSystemJavaCompiler();
    List<String> missing = new ArrayList<>();
    try (var files = javac.getStandardFileManager(null, null, null)) {
      var task = (JavacTask) javac.getTask(null, files, d -> { }, List.of("--release", "25", "-proc:none"), null,
          files.getJavaFileObjectsFromPaths(sources));
      DocTrees docs = DocTrees.instance(task);
      for (CompilationUnitTree unit : task.parse()) {
        new TreePathScanner<Void, Void>() {
          @Override
          public Void visitClass(ClassTree c, Void unused) {
            boolean visible = c.getModifiers().getFlags().contains(Modifier.PUBLIC)
                || getCurrentPath().getParentPath().getLeaf() instanceof ClassTree outer
                    && outer.getKind() == Tree.Kind.INTERFACE;
            if (!visible) return null; // nothing inside a non-public type is API
            DocCommentTree doc = docs.getDocCommentTree(getCurrentPath());
            if (doc == null || doc.getFullBody().isEmpty() && doc.getBlockTags().isEmpty()) {
              missing.add(Path.of(unit.getSourceFile().toUri()).getFileName() + ": " + c.getSimpleName());
            }
            return super.visitClass(c, unused);
          }
        }.scan(unit, null);
      }
    }
    return missing;
  }

  @Test
  void everyPublicTypeOfTheApiHasJavadoc() throws IOException {
    List<String> missing = new ArrayList<>();
    int files = 0;
    for (String module : LIBRARY_MODULES) {
      List<Path> sources = exportedSources(module);
      files += sources.size();
      undocumentedPublicTypes(sources).forEach(m -> missing.add(module + "/" + m));
    }
    assertThat(files).as("API source files").isGreaterThan(30);
    assertThat(missing).as("public API types without javadoc").isEmpty();
  }

  @Test
  void findsATypeWithoutJavadoc() throws IOException {
    Path dir = Files.createTempDirectory("doc");
    Path source = dir.resolve("Api.java");
    Files.writeString(source, """
        package p;
        /** Documented. */
        public final class Api {
          public record Undocumented(int x) {}
          /** Documented. */
          public enum Fine { A }
          private static final class Hidden {}
        }
        """);
    assertThat(undocumentedPublicTypes(List.of(source))).containsExactly("Api.java: Undocumented");
  }
}
