package org.atomstore.bench.store;

import org.atomstore.bench.BenchMolecule;
import org.atomstore.bench.MoleculeBatch;
import org.atomstore.model.Molecule;
import org.atomstore.model.StackedBatch;
import org.atomstore.model.TypeTag;
import org.atomstore.model.Value;

/** Converts between the benchmark's molecules and Atomstore's: stacked batches in, Molecule out. Stateless. */
public final class AtpBatches {
  private AtpBatches() {}

  /**
   * The batch as a core {@link StackedBatch}, sharing its arrays: float32 positions and forces, uint8 numbers,
   * float64 energy, and the custom fields as float64 properties (scalars, a 20-value array, per-atom arrays).
   */
  public static StackedBatch stacked(MoleculeBatch b) {
    StackedBatch s = StackedBatch.of(b.count(), b.atoms(), b.positions(), b.atomicNumbers());
    if (b.hasProps()) s.energy(b.energy()).forces(b.forces());
    if (b.hasCustom()) {
      s.property(BenchMolecule.CustomProps.BANDGAP, TypeTag.FLOAT64, b.bandgap());
      s.property(BenchMolecule.CustomProps.FORMATION_ENERGY, TypeTag.FLOAT64, b.formationEnergy());
      s.property(BenchMolecule.CustomProps.EIGENVALUES_KEY, TypeTag.F64_ARRAY, b.eigenvalues(),
          BenchMolecule.CustomProps.EIGENVALUES);
      s.atomProperty(BenchMolecule.CustomProps.MULLIKEN_CHARGES, TypeTag.F64_ARRAY, b.mullikenCharges());
      s.atomProperty(BenchMolecule.CustomProps.HIRSHFELD_VOLUMES, TypeTag.F64_ARRAY, b.hirshfeldVolumes());
    }
    return s;
  }

  /** A decoded Atomstore molecule as the benchmark's arrays (no copy of the arrays). */
  public static BenchMolecule toBench(Molecule m) {
    float[] pos = switch (m.positions()) {
      case Value.Vec3Float32 v -> v.values();
      default -> m.positionsAsFloat();
    };
    float[] forces = switch (m.forces()) {
      case null -> null;
      case Value.Vec3Float32 v -> v.values();
      case Value.Vec3Float64 v -> toFloats(v.values());
      default -> throw new IllegalArgumentException("forces are not vec3: " + m.forces());
    };
    BenchMolecule.CustomProps custom = null;
    if (m.properties().get(BenchMolecule.CustomProps.BANDGAP) instanceof Value.Float64 bg
        && m.properties().get(BenchMolecule.CustomProps.FORMATION_ENERGY) instanceof Value.Float64 fe
        && m.properties().get(BenchMolecule.CustomProps.EIGENVALUES_KEY) instanceof Value.Float64Array ev
        && m.atomProperties().get(BenchMolecule.CustomProps.MULLIKEN_CHARGES) instanceof Value.Float64Array mc
        && m.atomProperties().get(BenchMolecule.CustomProps.HIRSHFELD_VOLUMES) instanceof Value.Float64Array hv) {
      custom = new BenchMolecule.CustomProps(bg.value(), fe.value(), ev.values(), mc.values(), hv.values());
    }
    return new BenchMolecule(pos, m.atomicNumbers(), m.energyAsDouble(), forces, custom);
  }

  private static float[] toFloats(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
    return f;
  }
}
