package org.atomstore.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SampleBatchTest {
  static final SampleType<ShardWriterTest.Embedding> TYPE = SampleType.of(ShardWriterTest.Embedding.class);

  @Test
  void stacksArraysAlongANewFirstAxisAndListsTheRest() {
    var s = ShardWriterTest.samples(4);
    var b = new SampleBatch<>(TYPE, s);
    var a = b.array("vector");
    assertThat(a.dtype()).isEqualTo("<f4");
    assertThat(a.shape()).containsExactly(4, 3);
    assertThat(java.util.Arrays.copyOfRange(a.data(), 24, 36)).isEqualTo(s.get(2).vector().data());
    assertThat(b.list("score")).containsExactly(null, 0.5, 1.0, null);
    assertThat(b.list("tags")).containsExactly(List.of(0L, -1L), List.of(1L, -1L), List.of(2L, -1L), List.of(3L, -1L));
  }

  @Test
  void refusesToStackMismatchedShapesOrNonArrays() {
    var s = new java.util.ArrayList<>(ShardWriterTest.samples(2));
    s.add(new ShardWriterTest.Embedding("x", ShardWriterTest.f4(1, 2), null, List.of(), new byte[0]));
    assertThatThrownBy(() -> new SampleBatch<>(TYPE, s).array("vector")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sample 2");
    assertThatThrownBy(() -> new SampleBatch<>(TYPE, s).array("id")).isInstanceOf(IllegalArgumentException.class);
  }
}
