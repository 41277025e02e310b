package org.atomstore.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import java.util.Arrays;
import org.atomstore.store.FlatBatch;

/**
 * The flat, ragged batch that graph networks consume, as NDArrays straight from a {@link FlatBatch}'s arrays: atoms
 * of all molecules concatenated, with a batch vector (the molecule of each atom) and offsets.
 *
 * <p>Data, in this order: {@code positions [N,3]} float32, {@code atomic_numbers [N]} int32, {@code batch [N]}
 * int32, {@code offsets [B+1]} int32, {@code cell [B,3,3]} float32, {@code pbc [B,3]} boolean. Labels:
 * {@code energy [B]} float32 (NaN where missing), {@code forces [N,3]} float32 (zeros where missing),
 * {@code stress [B,3,3]} float32. Each NDArray is named so. Fields the batch lacks are left out.
 *
 * <p>Also a DJL {@link Batchifier} for single records in the same layout (the path DJL's own samplers take):
 * per-atom arrays are concatenated, per-molecule ones stacked, and the batch vector and offsets added.
 */
public final class GraphBatches implements BatchPreparer<FlatBatch>, Batchifier {
  private static final long serialVersionUID = 1L;

  /** The preparer and batchifier; stateless. */
  public static final GraphBatches INSTANCE = new GraphBatches();

  private GraphBatches() {}

  @Override
  public FlatBatch prepare(FlatBatch batch) { return batch; }

  @Override
  public int size(FlatBatch b) { return b.size(); }

  @Override
  public NDList data(NDManager m, FlatBatch b) {
    int n = b.totalAtoms();
    int size = b.size();
    NDList out = new NDList();
    if (b.positions() != null) out.add(named(m.create(floats(b.positions()), new Shape(n, 3)), "positions"));
    if (b.atomicNumbers() != null) out.add(named(m.create(b.atomicNumbers(), new Shape(n)), "atomic_numbers"));
    out.add(named(m.create(b.batchVector(), new Shape(n)), "batch"));
    out.add(named(m.create(b.atomOffsets(), new Shape(size + 1)), "offsets"));
    if (b.cell() != null) out.add(named(m.create(floats(b.cell()), new Shape(size, 3, 3)), "cell"));
    if (b.pbc() != null) out.add(named(m.create(b.pbc(), new Shape(size, 3)), "pbc"));
    return out;
  }

  @Override
  public NDList labels(NDManager m, FlatBatch b) {
    NDList out = new NDList();
    if (b.energy() != null) {
      float[] e = new float[b.size()];
      for (int k = 0; k < e.length; k++) e[k] = (float) b.energy()[k];
      out.add(named(m.create(e, new Shape(b.size())), "energy"));
    }
    if (b.forces() != null) out.add(named(m.create(floats(b.forces()), new Shape(b.totalAtoms(), 3)), "forces"));
    if (b.stress() != null) out.add(named(m.create(floats(b.stress()), new Shape(b.size(), 3, 3)), "stress"));
    return out;
  }

  /** Names of per-atom arrays, concatenated by {@link #batchify}. */
  private static boolean perAtom(String name) {
    return name.equals("positions") || name.equals("atomic_numbers") || name.equals("forces");
  }

  @Override
  public NDList batchify(NDList[] records) {
    if (records.length == 0) throw new IllegalArgumentException("no records to batchify");
    NDList first = records[0];
    NDList out = new NDList();
    for (int f = 0; f < first.size(); f++) {
      String name = first.get(f).getName();
      NDList parts = new NDList(records.length);
      for (NDList r : records) parts.add(r.get(f));
      out.add(named(perAtom(name) ? NDArrays.concat(parts, 0) : NDArrays.stack(parts, 0), name));
      if ("positions".equals(name)) {
        // the batch vector and offsets follow the positions, as in data()
        int[] offsets = new int[records.length + 1];
        for (int k = 0; k < records.length; k++) {
          offsets[k + 1] = offsets[k] + Math.toIntExact(records[k].get(f).getShape().get(0));
        }
        int[] batch = new int[offsets[records.length]];
        for (int k = 0; k < records.length; k++) Arrays.fill(batch, offsets[k], offsets[k + 1], k);
        NDManager m = out.get(0).getManager();
        out.add(named(m.create(batch), "batch"));
        out.add(named(m.create(offsets), "offsets"));
      }
    }
    return out;
  }

  @Override
  public NDList[] unbatchify(NDList batch) {
    throw new UnsupportedOperationException("ragged graph batches are not split back into records");
  }

  private static NDArray named(NDArray a, String name) {
    a.setName(name);
    return a;
  }

  static float[] floats(Object array) {
    if (array instanceof float[] f) return f;
    double[] d = (double[]) array;
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
    return f;
  }

  /** Records as {@link AtomstoreDataset#get} builds them: the same names as a batch, without batch and offsets. */
  static NDList record(NDManager m, FlatBatch one) {
    NDList data = INSTANCE.data(m, one);
    NDList out = new NDList();
    for (NDArray a : data) {
      if (!a.getName().equals("batch") && !a.getName().equals("offsets")) {
        if (a.getName().equals("cell")) a = named(a.reshape(3, 3), "cell");
        else if (a.getName().equals("pbc")) a = named(a.reshape(3), "pbc");
        out.add(a);
      }
    }
    return out;
  }

}
