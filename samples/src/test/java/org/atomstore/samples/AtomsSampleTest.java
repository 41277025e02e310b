package org.atomstore.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.atomstore.model.Molecule;
import org.atomstore.model.Value;
import org.atomstore.samples.wds.ShardWriter;
import org.atomstore.samples.wds.WdsDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomsSampleTest {
  @TempDir Path dir;

  @Test
  void moleculeRoundTripsThroughAShard() throws IOException {
    Molecule m = Molecule.of(new float[] {0, 0, 0, 0.96f, 0, 0, -0.24f, 0.93f, 0}, Molecule.atomicNumbers(8, 1, 1))
        .name("water").energy(-76.4).forces(new float[] {0.1f, 0, 0, -0.05f, 0, 0, -0.05f, 0, 0})
        .cell(new double[] {10, 0, 0, 0, 10, 0, 0, 0, 10}).pbc(true, true, false)
        .charges(new Value.Float64Array(new double[] {-0.8, 0.4, 0.4}));
    var type = SampleType.of(AtomsSample.class);
    Path p = dir.resolve("atoms.tar");
    try (var w = ShardWriter.local(type, p, Long.MAX_VALUE, Long.MAX_VALUE)) {
      w.write(AtomsSample.of(m));
      w.write(AtomsSample.of(Molecule.of(new double[] {1, 2, 3}, Molecule.atomicNumbers(6))));
    }
    List<KeyedSample<AtomsSample>> back = WdsDataset.local(type, List.of(p)).readAll();
    Molecule r = back.get(0).sample().toMolecule();
    assertThat(r.name()).isEqualTo("water");
    assertThat(r.atomicNumbers()).containsExactly(8, 1, 1);
    assertThat(r.positionsAsFloat()).containsExactly(m.positionsAsFloat());
    assertThat(r.energyAsDouble()).isEqualTo(-76.4);
    assertThat(Values(r.forces())).containsExactly(0.1f, 0, 0, -0.05f, 0, 0, -0.05f, 0, 0);
    assertThat(r.pbc()).isEqualTo(new Value.Bool3(true, true, false));
    assertThat(((Value.Mat3Float64) r.cell()).values()).containsExactly(10, 0, 0, 0, 10, 0, 0, 0, 10);
    assertThat(((Value.Float64Array) r.charges()).values()).containsExactly(-0.8, 0.4, 0.4);
    Molecule bare = back.get(1).sample().toMolecule();
    assertThat(bare.positionsAreFloat64()).isTrue();
    assertThat(bare.energy()).isNull();
    assertThat(back.get(1).sample().forces()).isNull();
  }

  private static float[] Values(Value v) {
    return org.atomstore.model.Values.toFloats(v);
  }
}
