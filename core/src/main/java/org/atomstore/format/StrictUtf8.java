package org.atomstore.format;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 decoding that reports malformed input by returning null, so that readers of hostile bytes branch
 * on a result rather than catch {@link java.nio.charset.CharacterCodingException}. Owned by one thread.
 */
final class StrictUtf8 {
  private final CharsetDecoder decoder =
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);

  /** The bytes from {@code in}'s position to its limit as a string, or null when they are not valid UTF-8. */
  String decode(ByteBuffer in) {
    decoder.reset();
    // UTF-8 gives at most one char per byte (a 4-byte sequence gives a surrogate pair), so this never overflows
    CharBuffer out = CharBuffer.allocate(in.remaining());
    if (decoder.decode(in, out, true).isError() || decoder.flush(out).isError()) return null;
    return out.flip().toString();
  }
}
