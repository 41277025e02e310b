package org.atomstore.samples;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.atomstore.model.Molecule;
import org.atomstore.model.NdArray;
import org.atomstore.model.Value;

/**
 * An atomistic structure as an atdata sample, so any table of molecules can be written as atdata shards and read
 * back: {@code positions} (float32 or float64, shape [n, 3]), {@code numbers} (uint8, [n]), and the optional
 * {@code name}, {@code energy}, {@code forces} ([n, 3]), {@code cell} ([3, 3]), {@code pbc} (3 booleans) and
 * {@code charge} (per-atom charges, [n]). Other properties of a molecule are not carried.
 */
@SampleInfo(description = "An atomistic structure (Atomstore AtomsSample).")
public record AtomsSample(@Nullable String name, NdArray positions, NdArray numbers, @Nullable Double energy,
    @Nullable NdArray forces, @Nullable NdArray cell, @Nullable List<Boolean> pbc, @Nullable NdArray charge) {

  /** The sample of a molecule. */
  public static AtomsSample of(Molecule m) {
    int n = m.atomCount();
    NdArray positions = vec3(m.positions(), n);
    NdArray numbers = new NdArray("|u1", new long[] {n}, m.atomicNumbers().clone());
    Double energy = m.energy() == null ? null : m.energyAsDouble();
    NdArray forces = m.forces() == null ? null : vec3(m.forces(), n);
    NdArray cell = switch (m.cell()) {
      case null -> null;
      case Value.Mat3Float64 c -> f8(new long[] {3, 3}, c.values());
      case Value.Mat3Float32 c -> f4(new long[] {3, 3}, c.values());
      default -> throw new IllegalArgumentException("cell of type " + m.cell().getClass().getSimpleName());
    };
    List<Boolean> pbc = m.pbc() == null ? null : List.of(m.pbc().a(), m.pbc().b(), m.pbc().c());
    NdArray charge = switch (m.charges()) {
      case null -> null;
      case Value.Float64Array c -> f8(new long[] {c.values().length}, c.values());
      case Value.Float32Array c -> f4(new long[] {c.values().length}, c.values());
      default -> throw new IllegalArgumentException("charges of type " + m.charges().getClass().getSimpleName());
    };
    return new AtomsSample(m.name(), positions, numbers, energy, forces, cell, pbc, charge);
  }

  /**
   * The molecule this sample describes.
   *
   * @throws IllegalArgumentException when shapes or dtypes do not describe one structure
   */
  public Molecule toMolecule() {
    if (numbers.shape().length != 1 || numbers.kind() != 'u' && numbers.kind() != 'i') {
      throw new IllegalArgumentException("numbers must be a 1-D integer array, got " + numbers);
    }
    int n = (int) numbers.shape()[0];
    byte[] z = new byte[n];
    ByteBuffer zb = ByteBuffer.wrap(numbers.data()).order(numbers.order());
    for (int i = 0; i < n; i++) {
      long v = switch (numbers.itemSize()) {
        case 1 -> zb.get(i) & 0xff;
        case 2 -> zb.getShort(2 * i);
        case 4 -> zb.getInt(4 * i);
        case 8 -> zb.getLong(8 * i);
        default -> throw new IllegalArgumentException("numbers dtype " + numbers.dtype());
      };
      if (v < 0 || v > 255) throw new IllegalArgumentException("atomic number " + v + " out of range");
      z[i] = (byte) v;
    }
    Molecule m = Molecule.create(vec3Value(positions, n, "positions"), z);
    if (name != null) m.name(name);
    if (energy != null) m.energy(energy);
    if (forces != null) m.forces(vec3Value(forces, n, "forces"));
    if (cell != null) m.cell(new Value.Mat3Float64(doubles(cell, 9, "cell")));
    if (pbc != null) {
      if (pbc.size() != 3) throw new IllegalArgumentException("pbc needs 3 values, got " + pbc.size());
      m.pbc(pbc.get(0), pbc.get(1), pbc.get(2));
    }
    if (charge != null) m.charges(new Value.Float64Array(doubles(charge, n, "charge")));
    return m;
  }

  private static NdArray vec3(Value v, int n) {
    return switch (v) {
      case Value.Vec3Float32 f -> f4(new long[] {n, 3}, f.values());
      case Value.Vec3Float64 d -> f8(new long[] {n, 3}, d.values());
      default -> throw new IllegalArgumentException("per-atom vectors of type " + v.getClass().getSimpleName());
    };
  }

  private static Value vec3Value(NdArray a, int n, String what) {
    if (a.shape().length != 2 || a.shape()[0] != n || a.shape()[1] != 3) {
      throw new IllegalArgumentException(what + " must have shape [" + n + ", 3], got " + a);
    }
    if (a.dtype().equals("<f4")) {
      float[] f = new float[3 * n];
      ByteBuffer.wrap(a.data()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
      return new Value.Vec3Float32(f);
    }
    return new Value.Vec3Float64(doubles(a, 3 * n, what));
  }

  private static double[] doubles(NdArray a, int count, String what) {
    if (a.length() != count || a.kind() != 'f') throw new IllegalArgumentException(what + " must hold " + count + " floats, got " + a);
    ByteBuffer b = ByteBuffer.wrap(a.data()).order(a.order());
    double[] out = new double[count];
    for (int i = 0; i < count; i++) {
      out[i] = switch (a.itemSize()) {
        case 2 -> Float.float16ToFloat(b.getShort(2 * i));
        case 4 -> b.getFloat(4 * i);
        case 8 -> b.getDouble(8 * i);
        default -> throw new IllegalArgumentException(what + " dtype " + a.dtype());
      };
    }
    return out;
  }

  private static NdArray f4(long[] shape, float[] v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    return new NdArray("<f4", shape, b.array());
  }

  private static NdArray f8(long[] shape, double[] v) {
    ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asDoubleBuffer().put(v);
    return new NdArray("<f8", shape, b.array());
  }
}
