package org.atomstore.arrays.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The simple numcodecs filters zarr commonly writes, decoded: {@code delta}, {@code fixedscaleoffset},
 * {@code quantize}, {@code astype} and {@code shuffle}. Each turns {@code n} elements of its encoded dtype into
 * elements of its decoded dtype; a chain decodes last filter first.
 *
 * <p>Values; safe for concurrent use.
 */
public sealed interface Filter {

  /** The dtype this filter produces when decoding (the array's dtype for the first filter). */
  DType decoded();

  /** The dtype of what this filter reads when decoding (what the next filter or the compressor produced). */
  DType encoded();

  /** Decodes {@code n} elements. */
  byte[] decode(byte[] enc, int n) throws ChunkFormatException;

  /** The chain of a {@code filters} list ({@code null} or {@code []} for none). */
  static List<Filter> fromConfig(JsonNode list, DType arrayType) {
    List<Filter> out = new ArrayList<>();
    if (list == null || list.isNull()) return out;
    if (!list.isArray()) throw new IllegalArgumentException("filters is not a list: " + list);
    if (list.size() > 16) throw new IllegalArgumentException("more than 16 filters");
    DType cur = arrayType;
    for (JsonNode f : list) {
      String id = f.path("id").asText("");
      Filter flt = switch (id) {
        case "delta" -> new Cast(Kind.DELTA, type(f, "dtype", cur), type(f, "astype", type(f, "dtype", cur)), 1, 0);
        case "fixedscaleoffset" -> new Cast(Kind.SCALE_OFFSET, type(f, "dtype", cur), type(f, "astype", type(f, "dtype", cur)),
            f.path("scale").asDouble(1), f.path("offset").asDouble(0));
        case "quantize" -> new Cast(Kind.CAST, type(f, "dtype", cur), type(f, "astype", type(f, "dtype", cur)), 1, 0);
        case "astype" -> new Cast(Kind.CAST, type(f, "decode_dtype", cur), type(f, "encode_dtype", cur), 1, 0);
        case "shuffle" -> new Shuffle(cur, f.path("elementsize").asInt(cur.itemSize()));
        default -> throw new IllegalArgumentException("filter '" + id + "' is not supported (delta, fixedscaleoffset, quantize, astype, shuffle)");
      };
      if (flt.decoded().itemSize() != cur.itemSize() || flt.decoded().kind() != cur.kind()) {
        throw new IllegalArgumentException("filter '" + id + "' decodes to " + flt.decoded().str() + " where " + cur.str() + " is expected");
      }
      out.add(flt);
      cur = flt.encoded();
    }
    return out;
  }

  private static DType type(JsonNode f, String field, DType dflt) {
    JsonNode n = f.get(field);
    if (n == null || n.isNull()) return dflt;
    DType t = DType.parse(n.asText());
    if (t == null || "iufb".indexOf(t.kind()) < 0) throw new IllegalArgumentException("filter dtype " + n + " is not supported");
    return t;
  }

  enum Kind { DELTA, SCALE_OFFSET, CAST }

  /** Element-wise filters: cumulative sum, {@code enc / scale + offset}, or a plain cast. */
  record Cast(Kind kind, DType decoded, DType encoded, double scale, double offset) implements Filter {
    public byte[] decode(byte[] enc, int n) throws ChunkFormatException {
      if ((long) n * encoded.itemSize() != enc.length) {
        throw new ChunkFormatException("filter input of " + enc.length + " bytes is not " + n + " elements of " + encoded.str());
      }
      ByteBuffer in = ByteBuffer.wrap(enc).order(encoded.byteOrder());
      ByteBuffer out = ByteBuffer.allocate(n * decoded.itemSize()).order(decoded.byteOrder());
      boolean fl = decoded.kind() == 'f';
      long accL = 0;
      double accD = 0;
      for (int i = 0; i < n; i++) {
        switch (kind) {
          case DELTA -> {
            if (fl) {
              accD = round(accD + getD(in, encoded, i));
              putD(out, decoded, i, accD);
            } else {
              accL += getL(in, encoded, i);
              putL(out, decoded, i, accL);
            }
          }
          case SCALE_OFFSET -> {
            double v = getD(in, encoded, i) / scale + offset;
            if (fl) putD(out, decoded, i, v);
            else putL(out, decoded, i, (long) v);
          }
          case CAST -> {
            if (fl) putD(out, decoded, i, getD(in, encoded, i));
            else putL(out, decoded, i, encoded.kind() == 'f' ? (long) getD(in, encoded, i) : getL(in, encoded, i));
          }
        }
      }
      return out.array();
    }

    private double round(double v) { return decoded.itemSize() == 4 ? (float) v : v; }
  }

  /** numcodecs' Shuffle: byte shuffle of the whole chunk by {@code elementsize}. */
  record Shuffle(DType decoded, int elementSize) implements Filter {
    public DType encoded() { return decoded; }

    public byte[] decode(byte[] enc, int n) {
      byte[] out = new byte[enc.length];
      if (elementSize <= 1) return enc.clone();
      Blosc.unshuffle(elementSize, enc.length, enc, java.lang.foreign.MemorySegment.ofArray(out), 0);
      return out;
    }
  }

  static double getD(ByteBuffer b, DType t, int i) {
    int at = i * t.itemSize();
    return switch (t.kind()) {
      case 'f' -> switch (t.itemSize()) {
        case 2 -> Float.float16ToFloat(b.getShort(at));
        case 4 -> b.getFloat(at);
        default -> b.getDouble(at);
      };
      case 'u' -> t.itemSize() == 8 ? unsignedToDouble(b.getLong(at)) : getL(b, t, i);
      default -> getL(b, t, i);
    };
  }

  private static double unsignedToDouble(long v) {
    return v >= 0 ? v : ((v >>> 1) | (v & 1)) * 2.0;
  }

  static long getL(ByteBuffer b, DType t, int i) {
    int at = i * t.itemSize();
    boolean u = t.kind() == 'u' || t.kind() == 'b';
    return switch (t.itemSize()) {
      case 1 -> u ? b.get(at) & 0xffL : b.get(at);
      case 2 -> u ? b.getShort(at) & 0xffffL : b.getShort(at);
      case 4 -> t.kind() == 'f' ? (long) b.getFloat(at) : u ? b.getInt(at) & 0xffffffffL : b.getInt(at);
      default -> t.kind() == 'f' ? (long) b.getDouble(at) : b.getLong(at);
    };
  }

  static void putD(ByteBuffer b, DType t, int i, double v) {
    int at = i * t.itemSize();
    switch (t.itemSize()) {
      case 2 -> b.putShort(at, Float.floatToFloat16((float) v));
      case 4 -> b.putFloat(at, (float) v);
      default -> b.putDouble(at, v);
    }
  }

  static void putL(ByteBuffer b, DType t, int i, long v) {
    int at = i * t.itemSize();
    switch (t.itemSize()) {
      case 1 -> b.put(at, (byte) v);
      case 2 -> b.putShort(at, (short) v);
      case 4 -> b.putInt(at, (int) v);
      default -> b.putLong(at, v);
    }
  }
}
