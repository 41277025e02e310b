package org.atomstore.arrays;

import java.util.List;
import java.util.Map;

/**
 * What one array is, from its metadata: its path in the store, NumPy dtype ({@code dtype.str}), shape, chunk
 * shape, fill value (as zarr decodes it: a Number, Boolean, String, or null), memory order ({@code C} or
 * {@code F}), compressor (the numcodecs configuration, null for none), dimension names (from
 * {@code _ARRAY_DIMENSIONS}, empty when absent) and attributes.
 */
public record ArrayInfo(String path, String dtype, long[] shape, int[] chunks, Object fillValue, char order,
                        Map<String, Object> compressor, List<String> dims, Map<String, Object> attributes) {}
