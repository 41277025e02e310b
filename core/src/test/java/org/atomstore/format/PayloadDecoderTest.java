package org.atomstore.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.atomstore.model.TypeTag;
import org.junit.jupiter.api.Test;

class PayloadDecoderTest {

  /** A tensor payload: rank, dims (u32 each), then {@code dataBytes} zero bytes. */
  private static MemorySegment tensor(long[] dims, int dataBytes) {
    ByteBuffer b = ByteBuffer.allocate(1 + 4 * dims.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) dims.length);
    for (long d : dims) b.putInt((int) d);
    return MemorySegment.ofArray(b.array());
  }

  private static int[] dims(MemorySegment s) {
    return PayloadDecoder.tensorDims(s, 0, s.byteSize(), TypeTag.TENSOR_F64);
  }

  @Test
  void aTensorWhoseShapeMatchesItsDataDecodes() {
    assertThat(dims(tensor(new long[] {2, 3}, 48))).containsExactly(2, 3);
  }

  @Test
  void aShapeThatDisagreesWithTheDataNamesBothCounts() {
    assertThatThrownBy(() -> dims(tensor(new long[] {2, 3}, 32))).isInstanceOf(RecordFormatException.class)
        .hasMessageContaining("expects 6 values, got 4");
  }

  @Test
  void aShapeWhoseProductOverflowsALongIsRefusedAsTooMany() {
    // (2^31 - 1)^3 > 2^63: the product cannot be computed in a long
    long big = Integer.MAX_VALUE;
    assertThatThrownBy(() -> dims(tensor(new long[] {big, big, big}, 8))).isInstanceOf(RecordFormatException.class)
        .hasMessageContaining("expects too many values, got 1");
    // a zero after the overflow does not make it fit: the overflow is sticky, as the product is never exact
    assertThatThrownBy(() -> dims(tensor(new long[] {big, big, big, 0}, 0))).isInstanceOf(RecordFormatException.class)
        .hasMessageContaining("expects too many values, got 0");
  }

  @Test
  void theLargestProductThatFitsIsExact() {
    // 2^31 * 2^31 = 2^62 fits; times 2 = 2^63 does not
    long d = 1L << 31; // stored as u32, so above Integer.MAX_VALUE: flagged as too large a dim
    assertThatThrownBy(() -> dims(tensor(new long[] {d}, 8))).hasMessageContaining("too many");
    long e = 3_037_000_499L; // floor(sqrt(2^63 - 1)), above Integer.MAX_VALUE too
    assertThatThrownBy(() -> dims(tensor(new long[] {e, e}, 8))).hasMessageContaining("too many");
    assertThatThrownBy(() -> dims(tensor(new long[] {46_341, 46_341}, 8))).hasMessageContaining("expects 2147488281 values, got 1");
  }
}
