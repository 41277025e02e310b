package org.atomstore.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.atomstore.codec.Compression;
import org.atomstore.format.AtpLayout;
import org.atomstore.format.Schema;
import org.atomstore.model.Molecule;
import org.atomstore.model.StackedBatch;
import org.atomstore.model.TypeTag;
import org.atomstore.model.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Atomstore writes in a custom property is a type tag the reference reads there: its property decoder
 * ({@code decode_property_value}) knows tags 0-8 and 13-17 only, and fails "Unknown type tag" on 9-12.
 */
class ReferenceTypeRulesTest {
  @TempDir Path tmp;

  /** The tags Atompack 0.4.0 reads in an atom or molecule property. */
  static final Set<Integer> CUSTOM_TAGS = Set.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 13, 14, 15, 16, 17);

  private static final double[] M = {1, 2, 3, 4, 5, 6, 7, 8, 9.5};
  private static final float[] MF = {1, 2, 3, 4, 5, 6, 7, 8, 9.5f};

  private static Molecule water() {
    return Molecule.of(new float[] {0, 0, 0, 0, 0, 0.96f, 0.93f, 0, -0.24f}, Molecule.atomicNumbers(8, 1, 1));
  }

  private Molecule roundTrip(Molecule m) throws IOException {
    Path p = tmp.resolve("one.atp");
    try (AtpWriter w = AtpWriter.create(p, Compression.NONE)) {
      w.add(m);
    }
    try (AtpReader r = AtpReader.open(p)) {
      assertCustomTagsReadable(r.header().schema());
      return r.get(0);
    }
  }

  static void assertCustomTagsReadable(Schema s) {
    if (s == null) return; // nothing written
    for (Schema.Entry e : s.entries()) {
      if (e.kind() != AtpLayout.KIND_BUILTIN) assertThat(CUSTOM_TAGS).as("tag of '%s'", e.key()).contains(e.typeTag());
    }
  }

  @Test
  void threeByThreeInAMoleculePropertyIsWrittenAsAVec3ArrayOfThreeRows() throws IOException {
    // Atompack's Python API writes a (3, 3) float ndarray as Vec3ArrayF64 / Vec3Array (tags 7 / 4)
    Molecule back = roundTrip(water().property("virial", new Value.Mat3Float64(M.clone()))
        .property("stress_f32", new Value.Mat3Float32(MF.clone())));
    assertThat(back.properties().get("virial")).isEqualTo(new Value.Vec3Float64(M));
    assertThat(back.properties().get("virial").shape()).containsExactly(3, 3);
    assertThat(back.properties().get("stress_f32")).isEqualTo(new Value.Vec3Float32(MF));
  }

  @Test
  void threeByThreeAsAnAtomPropertyOfThreeAtomsIsOneVec3RowPerAtom() throws IOException {
    Molecule back = roundTrip(water().atomProperty("dipoles", new Value.Mat3Float64(M.clone())));
    assertThat(back.atomProperties().get("dipoles")).isEqualTo(new Value.Vec3Float64(M));
  }

  @Test
  void threeByThreeAsAnAtomPropertyOfAnotherAtomCountIsRefusedWithTheReason() throws IOException {
    Molecule one = Molecule.of(new float[3], Molecule.atomicNumbers(1)).atomProperty("m", new Value.Mat3Float64(M.clone()));
    try (AtpWriter w = AtpWriter.create(tmp.resolve("m.atp"), Compression.NONE)) {
      assertThatThrownBy(() -> w.add(one)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("atom property 'm'").hasMessageContaining("[1, 3, 3]");
      assertThat(w.size()).isZero();
    }
  }

  @Test
  void float32ScalarInACustomPropertyIsWrittenAsFloat64() throws IOException {
    // the Python API turns a numpy float32 scalar into a Python float: tag 0, the value widened exactly
    Molecule back = roundTrip(water().property("temperature", new Value.Float32(300.25f)));
    assertThat(back.properties().get("temperature")).isEqualTo(new Value.Float64(300.25f));
  }

  @Test
  void boolTripleInACustomPropertyIsRefusedBeforeAnythingIsWritten() throws IOException {
    Path p = tmp.resolve("bool.atp");
    try (AtpWriter w = AtpWriter.create(p, Compression.NONE)) {
      w.add(water());
      assertThatThrownBy(() -> w.add(water().property("fixed", new Value.Bool3(true, false, true))))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'fixed'").hasMessageContaining("bool");
      assertThat(w.size()).isEqualTo(1);
      w.add(water());
    }
    try (AtpReader r = AtpReader.open(p)) {
      assertThat(r.size()).isEqualTo(2);
      assertThat(r.verify(10)).isEmpty();
    }
  }

  @Test
  void builtinsKeepTheirOwnTags() throws IOException {
    Molecule m = water().cell(M.clone()).stress(new Value.Mat3Float64(M.clone())).pbc(true, true, false).energy(-1.5);
    Molecule back = roundTrip(m);
    assertThat(back).isEqualTo(m);
  }

  @Test
  void stackedColumnsFollowTheSameRules() throws IOException {
    int b = 2, n = 3;
    float[] pos = new float[b * n * 3];
    byte[] z = {8, 1, 1, 8, 1, 1};
    double[] virial = new double[b * 9];
    for (int i = 0; i < virial.length; i++) virial[i] = i + 0.5;
    float[] temp = {1.5f, 2.25f};
    StackedBatch batch = StackedBatch.of(b, n, pos, z).property("virial", TypeTag.MAT3_F64, virial, 3, 3)
        .property("temperature", TypeTag.FLOAT32, temp);
    Path p = tmp.resolve("stacked.atp");
    try (AtpWriter w = AtpWriter.create(p, Compression.NONE)) {
      w.addBatch(batch);
    }
    try (AtpReader r = AtpReader.open(p)) {
      assertCustomTagsReadable(r.header().schema());
      Molecule second = r.get(1);
      assertThat(second.properties().get("virial")).isEqualTo(new Value.Vec3Float64(java.util.Arrays.copyOfRange(virial, 9, 18)));
      assertThat(second.properties().get("temperature")).isEqualTo(new Value.Float64(2.25f));
    }
    // the same molecules one by one give the same bytes
    Path q = tmp.resolve("single.atp");
    try (AtpWriter w = AtpWriter.create(q, Compression.NONE)) {
      for (int k = 0; k < b; k++) {
        w.add(Molecule.of(new float[n * 3], new byte[] {8, 1, 1})
            .property("virial", new Value.Mat3Float64(java.util.Arrays.copyOfRange(virial, 9 * k, 9 * k + 9)))
            .property("temperature", new Value.Float32(temp[k])));
      }
    }
    assertThat(Files.readAllBytes(q)).isEqualTo(Files.readAllBytes(p));
  }

  /** One value of every kind, for every custom position: accepted ones must come out as readable tags. */
  @Test
  void everyValueKindInEveryCustomPositionIsWrittenReadablyOrRefused() throws IOException {
    List<Value> values = List.of(new Value.Float64(1), new Value.Int64(2), new Value.Text("t"),
        new Value.Float64Array(new double[] {1, 2, 3}), new Value.Vec3Float32(new float[9]), new Value.Int64Array(new long[3]),
        new Value.Float32Array(new float[3]), new Value.Vec3Float64(new double[9]), new Value.Int32Array(new int[3]),
        new Value.Bool3(true, false, true), new Value.Mat3Float64(M.clone()), new Value.Float32(1.5f),
        new Value.Mat3Float32(MF.clone()), Value.Null.INSTANCE, new Value.TensorFloat32(new int[] {3, 2}, new float[6]),
        new Value.TensorFloat64(new int[] {3}, new double[3]), new Value.TensorInt32(new int[] {3, 1}, new int[3]),
        new Value.TensorInt64(new int[] {3, 2, 1}, new long[6]));
    assertThat(values.stream().map(Value::typeTag).distinct().count()).isEqualTo(TypeTag.MAX + 1);
    List<String> refused = new ArrayList<>();
    for (boolean perAtom : new boolean[] {false, true}) {
      for (Value v : values) {
        Path p = tmp.resolve("v" + v.typeTag() + perAtom + ".atp");
        try (AtpWriter w = AtpWriter.create(p, Compression.NONE)) {
          Molecule m = perAtom ? water().atomProperty("k", v) : water().property("k", v);
          try {
            w.add(m);
          } catch (IllegalArgumentException e) {
            refused.add((perAtom ? "atom " : "molecule ") + v.typeTag());
            assertThat(w.size()).isZero();
          }
        }
        try (AtpReader r = AtpReader.open(p)) {
          assertCustomTagsReadable(r.header().schema());
          assertThat(r.verify(10)).isEmpty();
        }
      }
    }
    // bool triples have no custom form; scalars, strings and nulls are not per-atom for 3 atoms (the reference's
    // size rule); everything else is written
    assertThat(refused).containsExactlyInAnyOrder("molecule 9", "atom 0", "atom 1", "atom 2", "atom 9", "atom 11");
  }
}
