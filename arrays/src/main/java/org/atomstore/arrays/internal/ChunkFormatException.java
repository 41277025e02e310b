package org.atomstore.arrays.internal;

import java.io.IOException;

/** A chunk whose bytes a codec or filter cannot decode; the store adds its own name and the chunk key. */
public final class ChunkFormatException extends IOException {
  public ChunkFormatException(String problem) { super(problem); }

  public ChunkFormatException(String problem, Throwable cause) { super(problem, cause); }
}
