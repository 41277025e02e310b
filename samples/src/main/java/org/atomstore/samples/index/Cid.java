package org.atomstore.samples.index;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Content identifiers as atdata computes them ({@code atdata._cid.generate_cid}): CIDv1, codec dag-cbor (0x71),
 * multihash sha2-256 of the DAG-CBOR bytes, written as multibase base32 lower case without padding (prefix
 * {@code b}, so always {@code bafyrei...}).
 *
 * <pre>
 * CidBytes --> version:0x01, codec:0x71, hash:0x12, length:0x20, sha256[32]
 * </pre>
 *
 * <p>Stateless, thread-safe.
 */
public final class Cid {
  private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

  private Cid() {}

  /** The CID of a value (see {@link DagCbor} for the values accepted). */
  public static String of(Object value) {
    return ofDagCbor(DagCbor.encode(value));
  }

  /** The CID of DAG-CBOR bytes as they are. */
  public static String ofDagCbor(byte[] dagCbor) {
    return "b" + base32(bytes(dagCbor));
  }

  /** The binary CID of DAG-CBOR bytes. */
  public static byte[] bytes(byte[] dagCbor) {
    byte[] digest;
    try {
      digest = MessageDigest.getInstance("SHA-256").digest(dagCbor);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] cid = new byte[4 + digest.length];
    cid[0] = 0x01;
    cid[1] = 0x71;
    cid[2] = 0x12;
    cid[3] = 0x20;
    System.arraycopy(digest, 0, cid, 4, digest.length);
    return cid;
  }

  /** RFC 4648 base32, lower case, no padding. */
  static String base32(byte[] b) {
    var sb = new StringBuilder((b.length * 8 + 4) / 5);
    int buffer = 0;
    int bits = 0;
    for (byte x : b) {
      buffer = (buffer << 8) | (x & 0xff);
      bits += 8;
      while (bits >= 5) {
        sb.append(BASE32[(buffer >>> (bits - 5)) & 31]);
        bits -= 5;
      }
    }
    if (bits > 0) sb.append(BASE32[(buffer << (5 - bits)) & 31]);
    return sb.toString();
  }
}
