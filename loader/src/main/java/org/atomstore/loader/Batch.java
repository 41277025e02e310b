package org.atomstore.loader;

/**
 * One batch as the loader hands it out: its number in the epoch, the global molecule indices it holds
 * (sampler order; the array is the batch's own) and the decoded data.
 */
public record Batch<T>(long epoch, long number, long[] indices, T data) {
  public int size() { return indices.length; }
}
