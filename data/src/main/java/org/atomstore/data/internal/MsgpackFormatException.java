package org.atomstore.data.internal;

import java.io.IOException;

/**
 * A value that is not one whole MessagePack object as asebytes (msgpack 1.x with msgpack-numpy's hooks) writes
 * it: truncated, trailing bytes, a length or count past the end, an ndarray map that does not fit its dtype and
 * shape, or a type asebytes would not read back (ext types, pickled object arrays). Carries the byte offset in
 * the value; the backend that read the value names the store, row and field around it.
 */
public final class MsgpackFormatException extends IOException {
  private final long offset;

  public MsgpackFormatException(long offset, String problem) {
    super(problem + " (at byte " + offset + " of the value)");
    this.offset = offset;
  }

  public MsgpackFormatException(long offset, String problem, Throwable cause) {
    super(problem + " (at byte " + offset + " of the value)", cause);
    this.offset = offset;
  }

  /** Byte offset of the problem inside the value. */
  public long offset() { return offset; }
}
