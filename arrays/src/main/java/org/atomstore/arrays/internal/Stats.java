package org.atomstore.arrays.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * An array's statistics, over its elements only (never the padding of edge chunks): rows, elements, nulls
 * (equal to the fill value, or NaN) and the numeric min and max of the rest.
 *
 * <p>Stateless; safe for concurrent use.
 */
public final class Stats {
  private Stats() {}

  /** Where the decoded bytes of chunk {@code idx} come from. */
  @FunctionalInterface
  public interface ChunkSource {
    byte[] chunk(long[] idx) throws IOException;
  }

  /** The statistics object stored as the {@code statistics} attribute. */
  public static ObjectNode compute(ArrayMeta m, ChunkSource src) throws IOException {
    DType t = m.dtype();
    int r = m.rank();
    long count = m.elements();
    long nulls = 0;
    boolean isFloat = t.kind() == 'f';
    boolean isInt = "iuMmb".indexOf(t.kind()) >= 0;
    boolean unsigned64 = t.kind() == 'u' && t.itemSize() == 8;
    double dmin = Double.POSITIVE_INFINITY, dmax = Double.NEGATIVE_INFINITY;
    long lmin = Long.MAX_VALUE, lmax = Long.MIN_VALUE;
    boolean any = false;
    byte[] fill = m.fill();
    int item = t.itemSize();
    if (count > 0) {
      long[] grid = new long[r];
      for (int d = 0; d < r; d++) grid[d] = m.gridSize(d);
      long[] idx = new long[r];
      long[] pos = new long[r];
      long[] lo = new long[r], hi = new long[r], stride = new long[r];
      int[] cs = m.chunks();
      if (m.order() == 'F') {
        for (int d = 0; d < r; d++) stride[d] = d == 0 ? 1 : stride[d - 1] * cs[d - 1];
      } else {
        for (int d = r - 1; d >= 0; d--) stride[d] = d == r - 1 ? 1 : stride[d + 1] * cs[d + 1];
      }
      while (true) {
        MemorySegment c = MemorySegment.ofArray(src.chunk(idx));
        for (int d = 0; d < r; d++) {
          lo[d] = 0;
          hi[d] = Math.min(cs[d], m.shape()[d] - idx[d] * cs[d]);
        }
        Arrays.fill(pos, 0);
        while (true) {
          long e = 0;
          for (int d = 0; d < r; d++) e += pos[d] * stride[d];
          if (fill != null && equalsFill(c, e * item, fill)) {
            nulls++;
          } else if (isFloat) {
            double v = Values.doubleAt(t, c, e);
            if (Double.isNaN(v)) nulls++;
            else {
              any = true;
              dmin = Math.min(dmin, v);
              dmax = Math.max(dmax, v);
            }
          } else if (isInt) {
            long v = Values.longAt(t, c, e);
            if (!any) {
              lmin = v;
              lmax = v;
              any = true;
            } else if (unsigned64) {
              if (Long.compareUnsigned(v, lmin) < 0) lmin = v;
              if (Long.compareUnsigned(v, lmax) > 0) lmax = v;
            } else {
              lmin = Math.min(lmin, v);
              lmax = Math.max(lmax, v);
            }
          } else if (t.kind() == 'c') {
            double v = Values.doubleAt(t, c, e);
            if (Double.isNaN(v)) nulls++;
          }
          int d = r - 1;
          while (d >= 0) {
            if (++pos[d] < hi[d]) break;
            pos[d] = 0;
            d--;
          }
          if (d < 0) break;
        }
        int d = r - 1;
        while (d >= 0) {
          if (++idx[d] < grid[d]) break;
          idx[d] = 0;
          d--;
        }
        if (d < 0) break;
      }
    }
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode s = f.objectNode();
    s.put("rows", r == 0 ? 1 : m.shape()[0]);
    s.put("count", count);
    s.put("null_count", nulls);
    if (any && isFloat) {
      s.set("min", Values.floatNode(dmin));
      s.set("max", Values.floatNode(dmax));
    } else if (any && isInt) {
      s.set("min", unsigned64 ? f.numberNode(new BigInteger(Long.toUnsignedString(lmin))) : f.numberNode(lmin));
      s.set("max", unsigned64 ? f.numberNode(new BigInteger(Long.toUnsignedString(lmax))) : f.numberNode(lmax));
    } else {
      s.putNull("min");
      s.putNull("max");
    }
    return s;
  }

  private static boolean equalsFill(MemorySegment c, long at, byte[] fill) {
    for (int k = 0; k < fill.length; k++) if (c.get(ValueLayout.JAVA_BYTE, at + k) != fill[k]) return false;
    return true;
  }
}
