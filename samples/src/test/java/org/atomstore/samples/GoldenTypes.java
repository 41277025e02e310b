package org.atomstore.samples;

import java.math.BigInteger;
import java.util.List;
import org.atomstore.model.NdArray;

/** The sample types of the shared atdata golden shards, as Java records. */
final class GoldenTypes {
  private GoldenTypes() {}

  @SampleInfo(description = "Scalars: msgpack integer widths, float64, str lengths, bool.")
  record ScalarSample(BigInteger i, double f, String s, boolean b) {}

  record TextBytesSample(String title, byte[] payload) {}

  record OptionalSample(@Nullable String label, @Nullable Double score, @Nullable Long count, @Nullable String note) {}

  record ListSample(List<String> tags, List<Double> values, List<Long> ids, List<Boolean> flags) {}

  record Float32ArraySample(NdArray image, String label) {}

  record MixedArraySample(NdArray f64, NdArray i64, NdArray u8, NdArray zero_d, long step) {}

  record OptionalArraySample(String name, @Nullable NdArray embedding, @Nullable NdArray mask) {}

  record LegacyNpySample(NdArray positions, NdArray ids, String tag) {}
}
