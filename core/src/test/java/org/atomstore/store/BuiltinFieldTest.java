package org.atomstore.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.atomstore.format.SectionCursor;
import org.atomstore.model.BuiltinField;
import org.atomstore.model.Molecule;
import org.atomstore.model.TypeTag;
import org.atomstore.model.Value;
import org.junit.jupiter.api.Test;

class BuiltinFieldTest {

  @Test
  void sectionsAreInTheOrderRecordsStoreThemAndTheirIdsAreTheReadersIds() {
    List<String> keys = BuiltinField.SECTIONS.stream().map(BuiltinField::key).toList();
    assertThat(keys).containsExactly("charges", "cell", "energy", "forces", "name", "pbc", "stress", "velocities");
    assertThat(SectionCursor.BUILTIN_NAMES).containsExactlyElementsOf(keys);
    for (BuiltinField f : BuiltinField.SECTIONS) {
      assertThat(SectionCursor.builtinId(f.key())).isEqualTo(f.id());
      assertThat(BuiltinField.ofId(f.id())).isSameAs(f);
      assertThat(FieldSet.of(f.key()).builtin(f.id())).isTrue();
    }
    assertThat(BuiltinField.section("positions")).isNull();
    assertThat(BuiltinField.of("positions")).isSameAs(BuiltinField.POSITIONS);
    assertThat(FieldSet.of("positions").positions()).isTrue();
  }

  @Test
  void format2AllowsOnlyTheOriginalDtypes() {
    assertThat(BuiltinField.POSITIONS.format2Problem(TypeTag.VEC3_F64)).isEqualTo("record format 2 does not support float64 positions");
    assertThat(BuiltinField.ENERGY.format2Problem(TypeTag.FLOAT32)).isEqualTo("record format 2 does not support float32 energy");
    assertThat(BuiltinField.FORCES.format2Problem(TypeTag.VEC3_F64)).isEqualTo("record format 2 does not support float64 forces");
    for (BuiltinField f : BuiltinField.values()) {
      if (f == BuiltinField.ATOMIC_NUMBERS) continue;
      boolean defaultFits = f.format2Holds(f.tag(f != BuiltinField.FORCES && f != BuiltinField.VELOCITIES && f != BuiltinField.POSITIONS));
      assertThat(defaultFits).as(f.key()).isTrue();
    }
  }

  @Test
  void moleculeBuiltinsAreSetAndReadThroughTheEnum() {
    Molecule m = Molecule.of(new float[3], new byte[] {1});
    m.builtin(BuiltinField.ENERGY, new Value.Float32(2f));
    m.builtin(BuiltinField.NAME, new Value.Text("x"));
    m.builtin(BuiltinField.PBC, new Value.Bool3(true, false, true));
    assertThat(m.energy()).isEqualTo(new Value.Float32(2f));
    assertThat(m.name()).isEqualTo("x");
    assertThat(m.builtins().keySet()).containsExactly("energy", "name", "pbc");
    assertThat(m.builtin(BuiltinField.PBC)).isEqualTo(new Value.Bool3(true, false, true));
  }

  @Test
  void widthsAgreeWithTheTypeTagsOfEachField() {
    for (BuiltinField f : BuiltinField.values()) {
      if (f == BuiltinField.NAME || f == BuiltinField.ATOMIC_NUMBERS) {
        assertThat(f.width()).isEqualTo(1);
      } else if (f == BuiltinField.PBC) {
        assertThat(f.width()).isEqualTo(org.atomstore.model.TypeTag.elementBytes(f.tag(true))); // one byte per flag
      } else {
        assertThat(org.atomstore.model.TypeTag.elementBytes(f.tag(true))).as(f.key()).isEqualTo(8 * f.width());
        assertThat(org.atomstore.model.TypeTag.elementBytes(f.tag(false))).as(f.key()).isEqualTo(4 * f.width());
      }
    }
  }
}
