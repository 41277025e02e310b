package org.atomstore.samples;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.atomstore.model.NdArray;

/**
 * Several samples of one type as a batch (atdata's {@code SampleBatch}): an NDArray field is the arrays stacked
 * along a new first axis ({@link #array}), any other field the list of its values ({@link #list}).
 *
 * <p>Immutable by contract (the samples list is copied); stacked arrays are built on each call.
 *
 * @param <T> the sample record type
 */
public record SampleBatch<T extends Record>(SampleType<T> type, List<T> samples) {

  public SampleBatch {
    Objects.requireNonNull(type, "type");
    samples = List.copyOf(samples);
  }

  public int size() { return samples.size(); }

  /**
   * The NDArray field {@code field} of every sample stacked along a new first axis: shape {@code [n, ...]}.
   *
   * @throws IllegalArgumentException when the field is not an NDArray, a value is null, or dtypes or shapes
   *     differ (NumPy's {@code stack} refuses those too)
   */
  public NdArray array(String field) {
    int i = index(field);
    if (!(type.fields().get(i).type() instanceof FieldType.Array)) throw new IllegalArgumentException(field + " is not an NDArray field");
    if (samples.isEmpty()) throw new IllegalArgumentException("cannot stack an empty batch");
    NdArray first = null;
    byte[] out = null;
    int at = 0;
    for (int k = 0; k < samples.size(); k++) {
      NdArray a = (NdArray) type.get(samples.get(k), i);
      if (a == null) throw new IllegalArgumentException("sample " + k + " has no value for " + field);
      if (first == null) {
        first = a;
        out = new byte[Math.multiplyExact(a.data().length, samples.size())];
      } else if (!a.dtype().equals(first.dtype()) || !Arrays.equals(a.shape(), first.shape())) {
        throw new IllegalArgumentException("sample " + k + " has " + a + " in " + field + ", sample 0 has " + first);
      }
      System.arraycopy(a.data(), 0, out, at, a.data().length);
      at += a.data().length;
    }
    long[] shape = new long[first.shape().length + 1];
    shape[0] = samples.size();
    System.arraycopy(first.shape(), 0, shape, 1, first.shape().length);
    return new NdArray(first.dtype(), shape, out);
  }

  /** The values of field {@code field} in sample order (nulls for missing optional values). */
  public List<Object> list(String field) {
    int i = index(field);
    var out = new ArrayList<Object>(samples.size());
    for (T s : samples) out.add(type.get(s, i));
    return Collections.unmodifiableList(out);
  }

  private int index(String field) {
    int i = type.fieldIndex(field);
    if (i < 0) throw new IllegalArgumentException("no field " + field + " in " + type.name());
    return i;
  }
}
