package org.atomstore.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The exported store API never names a type of the non-exported {@code org.atomstore.store.internal}. */
class ExportedApiTest {

  @Test
  void publicMembersOfTheStoreApiNameNoInternalType() {
    List<String> leaks = new ArrayList<>();
    for (Class<?> c : List.of(AtpWriter.class, AtpReader.class, FlatBatch.class, FieldSet.class, FileSchema.class)) {
      Stream.concat(Stream.<Executable>of(c.getMethods()), Stream.<Executable>of(c.getConstructors()))
          .filter(e -> Modifier.isPublic(e.getModifiers()))
          .forEach(e -> {
            List<Class<?>> types = new ArrayList<>(List.of(e.getParameterTypes()));
            if (e instanceof Method m) types.add(m.getReturnType());
            for (Class<?> t : types) {
              while (t.isArray()) t = t.getComponentType();
              if (t.getPackageName().equals("org.atomstore.store.internal")) leaks.add(c.getSimpleName() + "." + e.getName());
            }
            for (var g : e.getGenericParameterTypes()) {
              if (g.getTypeName().contains("org.atomstore.store.internal.")) leaks.add(c.getSimpleName() + "." + e.getName());
            }
          });
    }
    assertThat(leaks).isEmpty();
  }
}
