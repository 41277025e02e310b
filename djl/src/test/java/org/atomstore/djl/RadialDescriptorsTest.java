package org.atomstore.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.atomstore.model.Molecule;
import org.atomstore.store.FieldSet;
import org.atomstore.store.FlatBatch;
import org.junit.jupiter.api.Test;

class RadialDescriptorsTest {
  @Test
  void gaussiansEqualTheirDefinition() {
    SplittableRandom rnd = new SplittableRandom(3);
    List<Molecule> ms = List.of(LjClusters.cluster(rnd), LjClusters.cluster(rnd));
    FlatBatch b = FlatBatch.of(ms, new long[] {0, 1}, FieldSet.of("positions", "atomic_numbers"), true);
    double cutoff = 5.0;
    int g = 8;
    RadialDescriptors d = new RadialDescriptors(LjClusters.ELEMENTS, cutoff, g);
    float[] f = d.compute(b);
    int w = d.width();
    double step = (cutoff - 0.5) / (g - 1);
    double eta = 1 / (2 * step * step);
    double[] p = b.positionsF64();
    int[] z = b.atomicNumbers();
    for (int m = 0; m < 2; m++) {
      for (int i = b.atomOffsets()[m]; i < b.atomOffsets()[m + 1]; i++) {
        double[] expected = new double[w];
        expected[d.species() * g + d.slot(z[i])] = 1;
        for (int j = b.atomOffsets()[m]; j < b.atomOffsets()[m + 1]; j++) {
          if (i == j) continue;
          double r = Math.sqrt(Math.pow(p[3 * i] - p[3 * j], 2) + Math.pow(p[3 * i + 1] - p[3 * j + 1], 2)
              + Math.pow(p[3 * i + 2] - p[3 * j + 2], 2));
          if (r >= cutoff) continue;
          double fc = 0.5 * (Math.cos(Math.PI * r / cutoff) + 1);
          for (int k = 0; k < g; k++) {
            double c = 0.5 + k * step;
            expected[d.slot(z[j]) * g + k] += Math.exp(-eta * (r - c) * (r - c)) * fc;
          }
        }
        for (int k = 0; k < w; k++) assertThat((double) f[i * w + k]).as("atom %d value %d", i, k).isCloseTo(expected[k], within(1e-5));
      }
    }
  }
}
