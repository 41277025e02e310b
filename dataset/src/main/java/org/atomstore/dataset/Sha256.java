package org.atomstore.dataset;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of a whole file, as lower-case hex; streams through a direct buffer. */
final class Sha256 {
  private static final int BUFFER_SIZE = 1 << 20;

  private Sha256() {}

  static String of(Path file) throws IOException {
    MessageDigest md = newDigest();
    ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER_SIZE);
    try (FileChannel ch = FileChannel.open(file)) {
      while (ch.read(buf) >= 0) {
        buf.flip();
        md.update(buf);
        buf.clear();
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK provides SHA-256", e);
    }
  }
}
