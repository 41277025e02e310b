package org.atomstore.io.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.atomstore.model.Molecule;
import org.atomstore.model.Value;
import org.junit.jupiter.api.Test;

class SchemaSettlerTest {

  static Molecule frame() {
    return Molecule.of(new double[] {0, 0, 0, 1, 0, 0}, Molecule.atomicNumbers(1, 1));
  }

  static SchemaPlan settle(List<Molecule> frames) {
    var s = new SchemaSettler();
    for (int i = 0; i < frames.size(); i++) s.observe(frames.get(i), "t.xyz:" + (3 * i + 1));
    return s.settle();
  }

  @Test
  void partsSurveyedApartAndAppendedInOrderSettleAsOneSurvey() throws Exception {
    List<java.util.function.Supplier<Molecule>> frames = List.of(
        () -> frame().property("tag", new Value.Int64(20)).atomProperty("q", new Value.Int32Array(new int[] {1, 2})),
        () -> frame().property("tag", new Value.Text("mol")),
        () -> frame().property("tag", new Value.Float64(0.1)).atomProperty("q", new Value.Float64Array(new double[] {0.5, 1})),
        () -> frame().property("tag", new Value.Int64(3)).property("e", new Value.Int64(7)),
        () -> frame().property("e", new Value.Float64(1.5)));
    var whole = new SchemaSettler();
    for (int i = 0; i < frames.size(); i++) assertThat(whole.observe(frames.get(i).get(), "t.xyz:" + (3 * i + 1))).isEqualTo(i == 0);
    SchemaPlan expected = whole.settle();
    for (int cut = 0; cut <= frames.size(); cut++) {
      var first = new SchemaSettler();
      var second = new SchemaSettler();
      for (int i = 0; i < frames.size(); i++) {
        // the second part counts its lines from its own start; append puts them back
        if (i < cut) first.observe(frames.get(i).get(), "t.xyz:" + (3 * i + 1));
        else second.observe(frames.get(i).get(), "t.xyz:" + (3 * (i - cut) + 1));
      }
      var bytes = new java.io.ByteArrayOutputStream();
      try (var out = new java.io.ObjectOutputStream(bytes)) {
        out.writeObject(second);
      }
      SchemaSettler shipped;
      try (var in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
        shipped = (SchemaSettler) in.readObject();
      }
      int shift = 3 * cut;
      first.append(shipped, w -> "t.xyz:" + (Long.parseLong(w.substring(6)) + shift));
      SchemaPlan plan = first.settle();
      assertThat(plan.warnings()).as("cut at %d", cut).isEqualTo(expected.warnings());
      for (var f : frames) {
        Molecule a = f.get();
        Molecule b = f.get();
        assertThat(plan.apply(a)).isEqualTo(expected.apply(b));
        assertThat(a).as("cut at %d", cut).isEqualTo(b);
      }
    }
  }

  @Test
  void oneTypeEverywhereChangesNothing() {
    var plan = settle(List.of(frame().property("e", new Value.Float64(1)), frame().property("e", new Value.Float64(2))));
    assertThat(plan.isEmpty()).isTrue();
    assertThat(plan.warnings()).isEmpty();
  }

  @Test
  void integersBesideFloatsBecomeFloats() {
    Molecule a = frame().property("e", new Value.Int64(20));
    Molecule b = frame().property("e", new Value.Float64(1.5));
    var plan = settle(List.of(a, b));
    assertThat(plan.warnings()).isEmpty();
    assertThat(plan.apply(a)).isEmpty();
    assertThat(plan.apply(b)).isEmpty();
    assertThat(a.properties().get("e")).isEqualTo(new Value.Float64(20));
    assertThat(b.properties().get("e")).isEqualTo(new Value.Float64(1.5));
  }

  @Test
  void integersTooLargeForADoubleBesideFloatsBecomeStrings() {
    Molecule a = frame().property("e", new Value.Int64((1L << 53) + 1));
    Molecule b = frame().property("e", new Value.Float64(1.5));
    var plan = settle(List.of(a, b));
    assertThat(plan.apply(a)).isEmpty();
    assertThat(a.properties().get("e")).isEqualTo(new Value.Text("9007199254740993"));
  }

  @Test
  void numbersBesideStringsBecomeStringsWithOneWarningNamingKeyAndFrames() {
    Molecule a = frame().property("tag", new Value.Int64(20));
    Molecule b = frame().property("tag", new Value.Text("mol"));
    Molecule c = frame().property("tag", new Value.Float64(0.1));
    Molecule d = frame().property("tag", new Value.Int64(3));
    var plan = settle(List.of(a, b, c, d));
    for (Molecule m : List.of(a, b, c, d)) assertThat(plan.apply(m)).isEmpty();
    assertThat(a.properties().get("tag")).isEqualTo(new Value.Text("20"));
    assertThat(c.properties().get("tag")).isEqualTo(new Value.Text("0.1"));
    assertThat(plan.warnings()).hasSize(1);
    assertThat(plan.warnings().getFirst()).contains("'tag'").contains("frame(s) 1, 4").contains("3")
        .contains("stored as strings");
  }

  @Test
  void perAtomWidthsUnifyAsTensorsKeepingEachShape() {
    Molecule a = frame().atomProperty("CS", new Value.TensorFloat64(new int[] {2, 2}, new double[] {1, 2, 3, 4}));
    Molecule b = frame().atomProperty("CS", new Value.Vec3Float64(new double[] {1, 2, 3, 4, 5, 6}));
    var plan = settle(List.of(a, b));
    assertThat(plan.apply(a)).isEmpty();
    assertThat(plan.apply(b)).isEmpty();
    assertThat(a.atomProperties().get("CS")).isEqualTo(new Value.TensorFloat64(new int[] {2, 2}, new double[] {1, 2, 3, 4}));
    assertThat(b.atomProperties().get("CS")).isEqualTo(new Value.TensorFloat64(new int[] {2, 3}, new double[] {1, 2, 3, 4, 5, 6}));
  }

  @Test
  void intColumnBesideFloatColumnOfOneShapeBecomesFloatColumn() {
    Molecule a = frame().atomProperty("q", new Value.Int32Array(new int[] {1, 2}));
    Molecule b = frame().atomProperty("q", new Value.Float64Array(new double[] {0.5, 1}));
    var plan = settle(List.of(a, b));
    assertThat(plan.apply(a)).isEmpty();
    assertThat(a.atomProperties().get("q")).isEqualTo(new Value.Float64Array(new double[] {1, 2}));
  }

  @Test
  void infoArraysOfDifferentLengthsBecomeTensors() {
    Molecule a = frame().property("v", new Value.Float64Array(new double[] {1, 2}));
    Molecule b = frame().property("v", new Value.Int64Array(new long[] {1, 2, 3}));
    var plan = settle(List.of(a, b));
    assertThat(plan.apply(b)).isEmpty();
    assertThat(b.properties().get("v")).isEqualTo(new Value.TensorFloat64(new int[] {3}, new double[] {1, 2, 3}));
  }

  @Test
  void noCommonTypeNamesKeyBothTypesInWordsAndWhereFirstSeen() {
    Molecule a = frame().property("x", new Value.Float64(1.5));
    Molecule b = frame().property("x", new Value.Int64Array(new long[] {1, 2, 3}));
    var plan = settle(List.of(a, b));
    assertThat(plan.apply(a)).isEmpty();
    assertThat(plan.apply(b)).hasValueSatisfying(msg -> assertThat(msg)
        .isEqualTo("property 'x' is an array of 3 integers here but a float at t.xyz:1; the two have no common type")
        .doesNotContain("type 1").doesNotContain("tag"));
  }
}
