package org.atomstore.io.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.atomstore.io.mapping.SchemaSettlerTest.frame;

import java.util.List;
import org.atomstore.model.Molecule;
import org.atomstore.model.Value;
import org.junit.jupiter.api.Test;

/** The watch of the optimistic convert pass notices exactly the key changes that the settler would settle. */
class SchemaWatchTest {

  private static boolean watchAgrees(List<Molecule> frames) {
    var watch = new SchemaWatch();
    boolean all = true;
    for (Molecule m : frames) all &= watch.agrees(m);
    return all;
  }

  private static void assertWatchMatchesSettler(Molecule a, Molecule b) {
    boolean settlerChangesNothing = SchemaSettlerTest.settle(List.of(a, b)).isEmpty();
    assertThat(watchAgrees(List.of(a, b))).as("%s then %s", a.properties(), b.properties()).isEqualTo(settlerChangesNothing);
  }

  @Test
  void agreesWhereTheSettlerChangesNothingAndOnlyThere() {
    Value[] info = {new Value.Int64(20), new Value.Float64(1.5), new Value.Text("mol"), new Value.Float64Array(new double[] {1, 2}),
        new Value.Float64Array(new double[] {1, 2, 3}), new Value.Int64Array(new long[] {1, 2}),
        new Value.Mat3Float64(new double[9]), new Value.TensorFloat64(new int[] {2, 2}, new double[4]),
        new Value.TensorFloat64(new int[] {2, 3}, new double[6])};
    for (Value x : info) {
      for (Value y : info) assertWatchMatchesSettler(frame().property("k", x), frame().property("k", y));
    }
    Value[] perAtom = {new Value.TensorFloat64(new int[] {2, 2}, new double[4]), new Value.Vec3Float64(new double[6]),
        new Value.Float64Array(new double[2]), new Value.Int32Array(new int[2]), new Value.TensorFloat64(new int[] {2, 3}, new double[6])};
    for (Value x : perAtom) {
      for (Value y : perAtom) assertWatchMatchesSettler(frame().atomProperty("c", x), frame().atomProperty("c", y));
    }
  }

  @Test
  void keepsMoleculeAndPerAtomKeysApartAndLaterKeysCount() {
    var watch = new SchemaWatch();
    assertThat(watch.agrees(frame().property("k", new Value.Float64(1)))).isTrue();
    assertThat(watch.agrees(frame().atomProperty("k", new Value.Float64Array(new double[2])))).isTrue();
    assertThat(watch.agrees(frame().property("k", new Value.Float64(2)).property("n", new Value.Int64(1)))).isTrue();
    assertThat(watch.agrees(frame().property("n", new Value.Text("one")))).isFalse();
  }
}
