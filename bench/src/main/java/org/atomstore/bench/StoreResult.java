package org.atomstore.bench;

/**
 * The figures measured for one store. Rates are molecules per second (NaN when not measured), size in bytes,
 * peak memory in KiB (-1 when unknown). {@code skipped} is null for a measured store, else the reason it was
 * left out. {@code verified} is true when every molecule read back during the check equalled what was written.
 */
public record StoreResult(String id, String description, double writePerSecond, double sequentialPerSecond,
    double shuffledPerSecond, double energyPerSecond, long sizeBytes, long peakRssKib, boolean verified,
    String skipped) {

  public static StoreResult skipped(String id, String description, String reason) {
    return new StoreResult(id, description, Double.NaN, Double.NaN, Double.NaN, Double.NaN, -1, -1, false, reason);
  }

  public boolean measured() { return skipped == null; }
}
