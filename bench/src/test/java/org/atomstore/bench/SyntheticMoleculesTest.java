package org.atomstore.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SyntheticMoleculesTest {

  @Test
  void followsTheReferenceFormulasInFloat32() {
    BenchMolecule m = SyntheticMolecules.molecule(5, 4, true, false);
    // atom 3 of molecule 5: t = 5*0.001 + 3*0.01 = 0.035 (float32); numpy float32 gives these values
    assertThat(m.positions()[9]).isCloseTo(0.454843f, within(1e-6f));
    assertThat(m.positions()[10]).isCloseTo(9.982304f, within(1e-5f));
    assertThat(m.atomicNumbers()).containsExactly(1, 6, 7, 8); // [1,6,7,8,16][(5+i)%5]
    assertThat(m.energy()).isEqualTo(-1000.0 - 5 * 1e-3);
    assertThat(m.forces()).hasSize(12);
    assertThat(m.custom()).isNull();
  }

  @Test
  void moleculeZeroStartsAtTheOrigin() {
    BenchMolecule m = SyntheticMolecules.molecule(0, 1, false, false);
    assertThat(m.positions()).containsExactly(0f, 10f, 0f);
    assertThat(m.atomicNumbers()).containsExactly(1);
    assertThat(m.energy()).isNaN();
    assertThat(m.forces()).isNull();
  }

  @Test
  void batchesAgreeWithSingleMoleculesWhateverTheirSplit() {
    MoleculeBatch big = SyntheticMolecules.batch(1000, 600, 7, true, true);
    for (int k : new int[] {0, 1, 299, 599}) {
      assertThat(big.molecule(k)).isEqualTo(SyntheticMolecules.molecule(1000 + k, 7, true, true));
    }
    assertThat(big.molecule(3).custom().eigenvalues()).hasSize(BenchMolecule.CustomProps.EIGENVALUES);
    assertThat(big.molecule(3).custom().mullikenCharges()).hasSize(7);
  }
}
