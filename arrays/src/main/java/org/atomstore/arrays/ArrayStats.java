package org.atomstore.arrays;

/**
 * Statistics of one array, computed when it is flushed and stored in its attributes under
 * {@code "statistics"}: rows (the first dimension; 1 for a 0-d array), elements, nulls (elements equal to the
 * fill value, or NaN), and the smallest and largest of the others (null when there are none or the dtype is not
 * numeric; booleans as 0 and 1, datetimes as their int64 count).
 */
public record ArrayStats(long rows, long count, long nullCount, Number min, Number max) {}
