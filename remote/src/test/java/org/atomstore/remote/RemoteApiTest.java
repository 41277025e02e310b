package org.atomstore.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The module exports its API package only, and that API names neither its internals nor AWS SDK types. */
class RemoteApiTest {

  @Test
  void moduleExportsTheApiPackageOnly() throws Exception {
    java.nio.file.Path classes = java.nio.file.Path.of(HttpByteSource.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    try (InputStream in = java.nio.file.Files.newInputStream(classes.resolve("module-info.class"))) {
      ModuleDescriptor d = ModuleDescriptor.read(in);
      assertThat(d.name()).isEqualTo("org.atomstore.remote");
      assertThat(d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()))
          .containsExactly("org.atomstore.remote");
    }
  }

  @Test
  void publicMembersNameNoInternalOrSdkType() {
    List<String> leaks = new ArrayList<>();
    for (Class<?> c : List.of(HttpByteSource.class, HttpOptions.class, HttpObjectStore.class, S3ByteSource.class,
        S3ObjectStore.class, S3Options.class, BlockCache.class, CachedByteSource.class, BlockCache.Stats.class)) {
      Stream.concat(Stream.<Executable>of(c.getMethods()), Stream.<Executable>of(c.getConstructors()))
          .filter(e -> Modifier.isPublic(e.getModifiers()))
          .forEach(e -> {
            List<String> types = new ArrayList<>();
            for (var g : e.getGenericParameterTypes()) types.add(g.getTypeName());
            if (e instanceof Method m) types.add(m.getGenericReturnType().getTypeName());
            for (String t : types) {
              if (t.contains("org.atomstore.remote.internal.") || t.contains("software.amazon.")) {
                leaks.add(c.getSimpleName() + "." + e.getName() + ": " + t);
              }
            }
          });
    }
    assertThat(leaks).isEmpty();
  }
}
