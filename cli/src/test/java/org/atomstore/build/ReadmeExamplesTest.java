package org.atomstore.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Java examples compile as written, against the library modules only (not cli or bench).
 *
 * <p>A block is a list of {@code import} lines followed by statements, as a user would paste them into a
 * method: the imports go to the top of a source file and the statements into a method that may throw. Nothing
 * else is added, so a missing import or a renamed method fails here.
 */
class ReadmeExamplesTest {

  private static final Pattern JAVA_BLOCK = Pattern.compile("(?ms)^```java\\n(.*?)^```");

  @TempDir Path tmp;

  static Path projectRoot() {
    String root = System.getProperty("atomstore.root");
    return root != null ? Path.of(root) : Path.of("").toAbsolutePath().getParent();
  }

  static List<String> javaBlocks(String markdown) {
    List<String> blocks = new ArrayList<>();
    Matcher m = JAVA_BLOCK.matcher(markdown);
    while (m.find()) blocks.add(m.group(1));
    return blocks;
  }

  /** The imports of {@code block} at the top of class {@code name}, its statements in a method body. */
  static String asCompilationUnit(String name, String block) {
    var imports = new StringBuilder();
    var body = new StringBuilder();
    boolean inImports = true;
    for (String line : block.split("\n", -1)) {
      if (inImports && (line.startsWith("import ") || line.isBlank())) {
        imports.append(line).append('\n');
      } else {
        inImports = false;
        body.append("    ").append(line).append('\n');
      }
    }
    // One line per import and the method header on the line of the first import keeps line numbers close.
    return imports + "class " + name + " {\n  static void example() throws Exception {\n" + body + "  }\n}\n";
  }

  /**
   * The command line's runtime class path (target/runtime-classpath.txt, written by the build: no test or provided
   * jars, so no Spark) less cli, bench and djl (the README must not lean on the command line's classes) and less
   * jars that cannot be modules.
   */
  private static final List<String> TEST_ONLY = List.of(File.separator + "org" + File.separator + "apache" + File.separator + "sshd" + File.separator,
      File.separator + "com" + File.separator + "google" + File.separator, File.separator + "org" + File.separator + "gaul" + File.separator,
      "pytorch-native-cpu");

  static String libraryClassPath() {
    String cp;
    try {
      cp = Files.readString(Path.of("target", "runtime-classpath.txt")).strip();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("target/runtime-classpath.txt is written by the build (dependency:build-classpath)", e);
    }
    return java.util.Arrays.stream(cp.split(File.pathSeparator))
        .filter(e -> !e.endsWith("test-classes") && !e.endsWith("-tests.jar"))
        // test libraries whose jars clash as automatic modules (s3proxy's sshd and Google Cloud jars), and DJL's
        // native-library jar, which has no module name: no user of the library has them on a module path
        .filter(e -> TEST_ONLY.stream().noneMatch(e::contains))
        .filter(e -> !e.contains(File.separator + "cli" + File.separator + "target")
            && !e.contains(File.separator + "bench" + File.separator + "target")
            && !e.contains(File.separator + "djl" + File.separator + "target")
            && !e.contains("atomstore-cli") && !e.contains("atomstore-bench") && !e.contains("atomstore-djl")
            // DJL's native PyTorch jar has no module name javac can derive: no module path could hold it
            && !e.contains(File.separator + "ai" + File.separator + "djl" + File.separator))
        .filter(ReadmeExamplesTest::usableOnModulePath)
        .collect(Collectors.joining(File.pathSeparator));
  }

  private static boolean usableOnModulePath(String entry) {
    try {
      java.lang.module.ModuleFinder.of(Path.of(entry)).findAll();
      return true;
    } catch (java.lang.module.FindException e) {
      return false;
    }
  }

  static List<String> compile(Path dir, List<Path> sources) throws IOException {
    return compile(dir, sources, "-classpath");
  }

  /** Compiles {@code sources} with the library on the class path or ({@code --module-path}) the module path. */
  static List<String> compile(Path dir, List<Path> sources, String pathOption) throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    var diagnostics = new DiagnosticCollector<JavaFileObject>();
    try (var files = javac.getStandardFileManager(diagnostics, null, null)) {
      var out = new StringWriter();
      var options = List.of("--release", "25", "-proc:none", "-d", dir.resolve("classes").toString(),
          pathOption, libraryClassPath());
      javac.getTask(out, files, diagnostics, options, null, files.getJavaFileObjectsFromPaths(sources)).call();
    }
    return diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
        .map(d -> (d.getSource() == null ? "javac" : d.getSource().getName() + ":" + d.getLineNumber()) + ": " + d.getMessage(null))
        .toList();
  }

  @Test
  void javaBlocksOfTheReadmeCompileAsWritten() throws IOException {
    String readme = Files.readString(projectRoot().resolve("README.md"));
    List<String> blocks = javaBlocks(readme);
    assertThat(blocks).as("java blocks in README.md").hasSizeGreaterThanOrEqualTo(3);

    List<Path> sources = new ArrayList<>();
    for (int i = 0; i < blocks.size(); i++) {
      assertThat(blocks.get(i)).as("block %d starts with its imports", i + 1).startsWith("import ");
      String name = "ReadmeExample" + (i + 1);
      Path source = tmp.resolve(name + ".java");
      Files.writeString(source, asCompilationUnit(name, blocks.get(i)));
      sources.add(source);
    }
    assertThat(compile(tmp, sources)).as("compiler errors in the README's java blocks").isEmpty();
  }

  /**
   * The same blocks compiled as a named module that requires the four library modules: what the README uses
   * is exported, not merely present on the class path.
   */
  @Test
  void javaBlocksCompileAgainstTheExportedPackagesOnly() throws IOException {
    List<String> blocks = javaBlocks(Files.readString(projectRoot().resolve("README.md")));
    Path src = tmp.resolve("module-src");
    Path pkg = Files.createDirectories(src.resolve("readme"));
    List<Path> sources = new ArrayList<>();
    Path moduleInfo = src.resolve("module-info.java");
    Files.writeString(moduleInfo, "module readme.examples {\n  requires org.atomstore.core;\n"
        + "  requires org.atomstore.io;\n  requires org.atomstore.dataset;\n  requires org.atomstore.loader;\n}\n");
    sources.add(moduleInfo);
    for (int i = 0; i < blocks.size(); i++) {
      String name = "ReadmeExample" + (i + 1);
      Path source = pkg.resolve(name + ".java");
      Files.writeString(source, "package readme;\n" + asCompilationUnit(name, blocks.get(i)));
      sources.add(source);
    }
    assertThat(compile(tmp, sources, "--module-path")).as("compiler errors on the module path").isEmpty();
  }

  @Test
  void aBlockThatUsesAnInternalPackageFailsOnTheModulePath() throws IOException {
    Path src = tmp.resolve("internal-src");
    Path pkg = Files.createDirectories(src.resolve("readme"));
    Path moduleInfo = src.resolve("module-info.java");
    Files.writeString(moduleInfo, "module readme.examples {\n  requires org.atomstore.core;\n}\n");
    Path source = pkg.resolve("Internal.java");
    Files.writeString(source, "package readme;\n" + asCompilationUnit("Internal",
        "import org.atomstore.format.AtpLayout;\n\nint k = AtpLayout.KIND_BUILTIN;\n"));
    assertThat(compile(tmp, List.of(moduleInfo, source), "--module-path")).isNotEmpty()
        .anySatisfy(e -> assertThat(e).contains("org.atomstore.format"));
  }

  @Test
  void aBlockThatCallsAMissingMethodFails() throws IOException {
    // The check itself can fail: a wrong name in a block is reported, with the block's line.
    String block = "import org.atomstore.store.AtpReader;\n\nAtpReader.openWrongly(java.nio.file.Path.of(\"x\"));\n";
    Path source = tmp.resolve("Broken.java");
    Files.writeString(source, asCompilationUnit("Broken", block));
    assertThat(compile(tmp, List.of(source))).singleElement().asString().contains("openWrongly");
  }

  @Test
  void aBlockWithoutItsImportFails() throws IOException {
    String block = "Path p = Path.of(\"x\");\n";
    Path source = tmp.resolve("NoImport.java");
    Files.writeString(source, asCompilationUnit("NoImport", block));
    assertThat(compile(tmp, List.of(source))).isNotEmpty();
  }
}
