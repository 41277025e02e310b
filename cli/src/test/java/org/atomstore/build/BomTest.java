package org.atomstore.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import org.junit.jupiter.api.Test;

/** The BOM the README tells users to import lists every module of the build, at the build's version. */
class BomTest {

  private static Document parse(Path pom) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
  }

  /** Text of the direct child {@code name} of {@code parent}. */
  private static String child(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) return e.getTextContent().trim();
    }
    throw new AssertionError("no <" + name + "> in <" + parent.getTagName() + ">");
  }

  @Test
  void bomListsEveryModuleAtTheProjectVersion() throws Exception {
    Path root = ReadmeExamplesTest.projectRoot();
    Element parent = parse(root.resolve("pom.xml")).getDocumentElement();
    Element bom = parse(root.resolve("bom/pom.xml")).getDocumentElement();

    assertThat(child(bom, "artifactId")).isEqualTo("atomstore-bom");
    assertThat(child(bom, "version")).as("BOM version").isEqualTo(child(parent, "version"));

    List<String> moduleArtifacts = new ArrayList<>();
    var modules = parent.getElementsByTagName("module");
    for (int i = 0; i < modules.getLength(); i++) {
      String dir = modules.item(i).getTextContent().trim();
      if (dir.equals("bom")) continue;
      moduleArtifacts.add(child(parse(root.resolve(dir).resolve("pom.xml")).getDocumentElement(), "artifactId"));
    }
    assertThat(moduleArtifacts).contains("atomstore-core", "atomstore-io", "atomstore-dataset", "atomstore-loader");

    List<String> managed = new ArrayList<>();
    var deps = bom.getElementsByTagName("dependency");
    for (int i = 0; i < deps.getLength(); i++) {
      Element d = (Element) deps.item(i);
      assertThat(child(d, "groupId")).isEqualTo("org.atomstore");
      assertThat(child(d, "version")).isEqualTo("${project.version}");
      managed.add(child(d, "artifactId"));
    }
    assertThat(managed).containsExactlyInAnyOrderElementsOf(moduleArtifacts);
  }

  @Test
  void readmeImportsTheBomAtTheProjectVersion() throws Exception {
    Path root = ReadmeExamplesTest.projectRoot();
    String version = child(parse(root.resolve("pom.xml")).getDocumentElement(), "version");
    String readme = java.nio.file.Files.readString(root.resolve("README.md"));
    assertThat(readme).contains("<artifactId>atomstore-bom</artifactId>\n      <version>" + version + "</version>")
        .contains("<scope>import</scope>").contains("--enable-native-access=ALL-UNNAMED");
  }
}
