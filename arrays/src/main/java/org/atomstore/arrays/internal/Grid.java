package org.atomstore.arrays.internal;

import java.lang.foreign.MemorySegment;

/**
 * Copies between one chunk (C or F order over the chunk shape) and a C-order region of the array: only the
 * part of the chunk inside both the region and the array moves, so the padding of edge chunks never does.
 * Runs along the last dimension (and the trailing dimensions both boxes span whole) are copied in one piece
 * when the chunk is C order.
 *
 * <p>Stateless; safe for concurrent use (callers give each thread disjoint parts of the region).
 */
public final class Grid {
  private Grid() {}

  /** Grid index range of chunks overlapping {@code [start, start+count)} along each dimension: [first, last]. */
  public static long[][] overlap(ArrayMeta m, long[] start, long[] count) {
    int r = m.rank();
    long[] first = new long[r], last = new long[r];
    for (int d = 0; d < r; d++) {
      first[d] = start[d] / m.chunks()[d];
      last[d] = (start[d] + count[d] - 1) / m.chunks()[d];
    }
    return new long[][] {first, last};
  }

  /**
   * Where chunk {@code idx} lies in the C-order region {@code [rStart, rStart+rCount)} as one contiguous run
   * of its own bytes: its byte offset there, or -1 when it does not (the chunk reaches outside the region or
   * the array, the region cuts a trailing dimension the chunk spans, or the chunk is F order in more than one
   * dimension). Then the whole chunk, decoded, is exactly that run.
   */
  public static long contiguousOffset(ArrayMeta m, long[] idx, long[] rStart, long[] rCount) {
    int r = m.rank();
    if (r == 0 || (m.order() == 'F' && r > 1)) return -1;
    int[] cs = m.chunks();
    long off = 0;
    for (int d = 0; d < r; d++) {
      long origin = idx[d] * cs[d];
      if (origin < rStart[d] || origin + cs[d] > rStart[d] + rCount[d]) return -1;
      if (d > 0 && cs[d] != rCount[d]) return -1;
      off = off * rCount[d] + (origin - rStart[d]);
    }
    return off * m.itemSize();
  }

  /**
   * Copies the overlap of chunk {@code idx} with the region {@code [rStart, rStart+rCount)} from the chunk
   * into the region ({@code toRegion}) or back.
   */
  public static void copy(ArrayMeta m, long[] idx, MemorySegment chunk, long[] rStart, long[] rCount, MemorySegment region, boolean toRegion) {
    int r = m.rank();
    int item = m.itemSize();
    if (r == 0) {
      if (toRegion) MemorySegment.copy(chunk, 0, region, 0, item);
      else MemorySegment.copy(region, 0, chunk, 0, item);
      return;
    }
    int[] cs = m.chunks();
    long[] lo = new long[r], hi = new long[r];
    for (int d = 0; d < r; d++) {
      long origin = idx[d] * cs[d];
      lo[d] = Math.max(origin, rStart[d]);
      hi[d] = Math.min(Math.min(origin + cs[d], rStart[d] + rCount[d]), m.shape()[d]);
      if (lo[d] >= hi[d]) return;
    }
    long[] cStride = new long[r];
    long[] rStride = new long[r];
    boolean f = m.order() == 'F';
    if (f) {
      cStride[0] = 1;
      for (int d = 1; d < r; d++) cStride[d] = cStride[d - 1] * cs[d - 1];
    } else {
      cStride[r - 1] = 1;
      for (int d = r - 2; d >= 0; d--) cStride[d] = cStride[d + 1] * cs[d + 1];
    }
    rStride[r - 1] = 1;
    for (int d = r - 2; d >= 0; d--) rStride[d] = rStride[d + 1] * rCount[d + 1];
    int last = r - 1;
    long run = hi[last] - lo[last];
    // trailing dimensions the box spans whole, in both the chunk and the region, make one longer run
    int outer = last;
    if (!f) {
      while (outer > 0 && hi[outer] - lo[outer] == cs[outer] && hi[outer] - lo[outer] == rCount[outer]) {
        outer--;
        run *= hi[outer] - lo[outer];
      }
    }
    long[] p = lo.clone();
    while (true) {
      long c = 0, g = 0;
      for (int d = 0; d < r; d++) {
        c += (p[d] - idx[d] * cs[d]) * cStride[d];
        g += (p[d] - rStart[d]) * rStride[d];
      }
      if (!f || cStride[last] == 1) {
        if (toRegion) MemorySegment.copy(chunk, c * item, region, g * item, run * item);
        else MemorySegment.copy(region, g * item, chunk, c * item, run * item);
      } else {
        long step = cStride[last] * item;
        for (long k = 0; k < run; k++) {
          if (toRegion) MemorySegment.copy(chunk, c * item + k * step, region, (g + k) * item, item);
          else MemorySegment.copy(region, (g + k) * item, chunk, c * item + k * step, item);
        }
      }
      int d = outer - 1;
      while (d >= 0) {
        if (++p[d] < hi[d]) break;
        p[d] = lo[d];
        d--;
      }
      if (d < 0) break;
    }
  }
}
