package org.atomstore.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.atomstore.model.TypeTag;
import org.junit.jupiter.api.Test;

class RecordFormatTest {

  @Test
  void format3NeedsThePositionsTypeFromTheSchema() {
    RecordFormat v3 = RecordFormat.of(3);
    assertThat(v3.positionsTypeProblem(-1)).isEqualTo("missing positions dtype for record format 3");
    assertThat(v3.positionsTypeProblem(TypeTag.VEC3_F64)).isNull();
    assertThat(v3.positionsType(TypeTag.VEC3_F64)).isEqualTo(TypeTag.VEC3_F64);
    assertThatThrownBy(() -> v3.positionsType(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("missing positions dtype for record format 3");
  }

  @Test
  void format2HasFloat32PositionsOnly() {
    RecordFormat v2 = RecordFormat.of(2);
    assertThat(v2.positionsTypeProblem(-1)).isNull();
    assertThat(v2.positionsTypeProblem(TypeTag.VEC3_F32)).isNull();
    assertThat(v2.positionsType(-1)).isEqualTo(TypeTag.VEC3_F32);
    assertThat(v2.positionsTypeProblem(TypeTag.VEC3_F64)).contains("record format 2 does not support");
    assertThatThrownBy(() -> v2.positionsType(TypeTag.VEC3_F64)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage(v2.positionsTypeProblem(TypeTag.VEC3_F64));
  }
}
