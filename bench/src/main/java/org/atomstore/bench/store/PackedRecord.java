package org.atomstore.bench.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.atomstore.bench.BenchMolecule;
import org.atomstore.bench.MoleculeBatch;

/**
 * The "LMDB packed" record of Atompack's Python baseline: one little-endian binary value per molecule.
 *
 * <pre>
 * Record  --> magic:"APLM", version:u8 (2, or 3 with custom), flags:u8, nAtoms:u32,
 *             positions:f32[nAtoms*3], numbers:u8[nAtoms],
 *             [energy:f64, forces:f32[nAtoms*3]]                        (flags &amp; WITH_PROPS)
 *             [bandgap:f64, formationEnergy:f64, eigenvalues:f64[20],
 *              mulliken:f64[nAtoms], hirshfeld:f64[nAtoms]]              (flags &amp; WITH_CUSTOM)
 * </pre>
 * The reference also defines cell/pbc, stress and charges flags; the synthetic dataset has none of them.
 * Stateless.
 */
final class PackedRecord {
  static final int MAGIC = 0x4D4C5041; // "APLM" read as a little-endian u32
  static final int HEADER_SIZE = 10;
  static final int FLAG_WITH_PROPS = 1;
  static final int FLAG_WITH_CUSTOM = 1 << 4;
  static final int MAX_ATOMS = 1 << 24;

  private PackedRecord() {}

  static int size(int atoms, boolean props, boolean custom) {
    int n = HEADER_SIZE + atoms * 13;
    if (props) n += 8 + atoms * 12;
    if (custom) n += 16 + 8 * BenchMolecule.CustomProps.EIGENVALUES + atoms * 16;
    return n;
  }

  /** Writes molecule {@code k} of the batch at the buffer's position (little-endian). */
  static void encode(MoleculeBatch b, int k, ByteBuffer out) {
    out.order(ByteOrder.LITTLE_ENDIAN);
    int a = b.atoms();
    int flags = (b.hasProps() ? FLAG_WITH_PROPS : 0) | (b.hasCustom() ? FLAG_WITH_CUSTOM : 0);
    out.putInt(MAGIC).put((byte) (b.hasCustom() ? 3 : 2)).put((byte) flags).putInt(a);
    out.asFloatBuffer().put(b.positions(), k * a * 3, a * 3);
    out.position(out.position() + a * 12);
    out.put(b.atomicNumbers(), k * a, a);
    if (b.hasProps()) {
      out.putDouble(b.energy()[k]);
      out.asFloatBuffer().put(b.forces(), k * a * 3, a * 3);
      out.position(out.position() + a * 12);
    }
    if (b.hasCustom()) {
      int ev = BenchMolecule.CustomProps.EIGENVALUES;
      out.putDouble(b.bandgap()[k]).putDouble(b.formationEnergy()[k]);
      putDoubles(out, b.eigenvalues(), k * ev, ev);
      putDoubles(out, b.mullikenCharges(), k * a, a);
      putDoubles(out, b.hirshfeldVolumes(), k * a, a);
    }
  }

  private static void putDoubles(ByteBuffer out, double[] src, int from, int n) {
    out.asDoubleBuffer().put(src, from, n);
    out.position(out.position() + n * 8);
  }

  /** Decodes a whole record from {@code in} (position to limit); {@code where} names it in errors. */
  static BenchMolecule decode(ByteBuffer in, String where) throws IOException {
    in.order(ByteOrder.LITTLE_ENDIAN);
    int base = in.position();
    int flags = checkHeader(in, base, where);
    int a = in.getInt(base + 6);
    in.position(base + HEADER_SIZE);
    float[] pos = new float[a * 3];
    in.asFloatBuffer().get(pos);
    in.position(in.position() + a * 12);
    byte[] z = new byte[a];
    in.get(z);
    double energy = Double.NaN;
    float[] forces = null;
    if ((flags & FLAG_WITH_PROPS) != 0) {
      energy = in.getDouble();
      forces = new float[a * 3];
      in.asFloatBuffer().get(forces);
      in.position(in.position() + a * 12);
    }
    BenchMolecule.CustomProps custom = null;
    if ((flags & FLAG_WITH_CUSTOM) != 0) custom = decodeCustom(in, a);
    return new BenchMolecule(pos, z, energy, forces, custom);
  }

  static BenchMolecule.CustomProps decodeCustom(ByteBuffer in, int atoms) {
    in.order(ByteOrder.LITTLE_ENDIAN);
    double bandgap = in.getDouble();
    double formation = in.getDouble();
    double[] eigen = getDoubles(in, BenchMolecule.CustomProps.EIGENVALUES);
    double[] mulliken = getDoubles(in, atoms);
    double[] hirshfeld = getDoubles(in, atoms);
    return new BenchMolecule.CustomProps(bandgap, formation, eigen, mulliken, hirshfeld);
  }

  static void encodeCustom(MoleculeBatch b, int k, ByteBuffer out) {
    out.order(ByteOrder.LITTLE_ENDIAN);
    int a = b.atoms();
    int ev = BenchMolecule.CustomProps.EIGENVALUES;
    out.putDouble(b.bandgap()[k]).putDouble(b.formationEnergy()[k]);
    putDoubles(out, b.eigenvalues(), k * ev, ev);
    putDoubles(out, b.mullikenCharges(), k * a, a);
    putDoubles(out, b.hirshfeldVolumes(), k * a, a);
  }

  static int customSize(int atoms) { return 16 + 8 * BenchMolecule.CustomProps.EIGENVALUES + atoms * 16; }

  private static double[] getDoubles(ByteBuffer in, int n) {
    double[] d = new double[n];
    in.asDoubleBuffer().get(d);
    in.position(in.position() + n * 8);
    return d;
  }

  /** Only the energy (NaN when the record has none), read in place. */
  static double decodeEnergy(ByteBuffer in, String where) throws IOException {
    in.order(ByteOrder.LITTLE_ENDIAN);
    int base = in.position();
    int flags = checkHeader(in, base, where);
    if ((flags & FLAG_WITH_PROPS) == 0) return Double.NaN;
    return in.getDouble(base + HEADER_SIZE + in.getInt(base + 6) * 13);
  }

  private static int checkHeader(ByteBuffer in, int base, String where) throws IOException {
    int len = in.limit() - base;
    if (len < HEADER_SIZE || in.getInt(base) != MAGIC) throw new IOException("not a packed record: " + where);
    int flags = in.get(base + 5) & 0xFF;
    int a = in.getInt(base + 6);
    if (a < 0 || a > MAX_ATOMS
        || size(a, (flags & FLAG_WITH_PROPS) != 0, (flags & FLAG_WITH_CUSTOM) != 0) != len) {
      throw new IOException("packed record length " + len + " does not fit " + a + " atoms and flags " + flags
          + ": " + where);
    }
    return flags;
  }
}
