package org.atomstore.arrays.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.Inflater;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;

/**
 * A Zarr v2 compressor, keyed by its numcodecs id (the {@code id} written in {@code .zarray}), with the byte
 * framing numcodecs 0.11 uses. Decoding checks that a chunk decodes to exactly its size.
 *
 * <p>Values; safe for concurrent use.
 */
public sealed interface ChunkCodec {

  /** The numcodecs id. */
  String id();

  /** The configuration as written to {@code .zarray} (numcodecs' {@code get_config()}). */
  ObjectNode config();

  /** Decodes a chunk that must hold exactly {@code rawSize} bytes. */
  default byte[] decode(byte[] src, int rawSize) throws ChunkFormatException {
    byte[] dst = new byte[rawSize];
    decodeInto(src, src.length, dst, 0, rawSize);
    return dst;
  }

  /**
   * Decodes the chunk {@code src[0, srcLen)}, which must hold exactly {@code rawSize} bytes, into
   * {@code dst[dOff, dOff+rawSize)} (the caller checked that range): the read path decodes straight into the
   * output or a reused buffer, so no chunk-sized garbage is left per chunk. On failure the range holds
   * unspecified bytes.
   */
  void decodeInto(byte[] src, int srcLen, byte[] dst, int dOff, int rawSize) throws ChunkFormatException;

  /** Encodes a chunk's raw bytes; {@code typeSize} is the element size (Blosc shuffles by it). */
  byte[] encode(byte[] raw, int typeSize);

  /** The codec of a {@code .zarray} compressor object; IllegalArgumentException naming what is wrong. */
  static ChunkCodec fromConfig(JsonNode c) {
    if (c == null || c.isNull()) return null;
    if (!c.isObject() || !c.path("id").isTextual()) throw new IllegalArgumentException("compressor is not an object with an 'id': " + c);
    String id = c.get("id").asText();
    return switch (id) {
      case "zstd" -> new ZstdCodec(intField(c, "level", 1));
      case "lz4" -> new Lz4Codec(intField(c, "acceleration", 1));
      case "zlib" -> new ZlibCodec(intField(c, "level", 1));
      case "gzip" -> new GzipCodec(intField(c, "level", 1));
      case "blosc" -> {
        String cname = c.path("cname").asText("lz4");
        int shuffle = intField(c, "shuffle", 1);
        if (!java.util.Set.of("lz4", "lz4hc", "zstd", "zlib", "blosclz", "snappy").contains(cname)) {
          throw new IllegalArgumentException("unknown Blosc cname '" + cname + "'");
        }
        if (shuffle < -1 || shuffle > 2) throw new IllegalArgumentException("Blosc shuffle " + shuffle + " (expected -1, 0, 1 or 2)");
        yield new BloscCodec(cname, intField(c, "clevel", 5), shuffle, intField(c, "blocksize", 0));
      }
      default -> throw new IllegalArgumentException("compressor id '" + id + "' is not supported (zstd, lz4, zlib, gzip, blosc)");
    };
  }

  private static int intField(JsonNode c, String name, int dflt) {
    JsonNode v = c.get(name);
    if (v == null || v.isNull()) return dflt;
    if (!v.canConvertToInt() || !v.isIntegralNumber()) throw new IllegalArgumentException("compressor field '" + name + "' is not an int: " + v);
    return v.intValue();
  }

  /** zstd: one standard frame. */
  record ZstdCodec(int level) implements ChunkCodec {
    /** One decompression context per thread, reused: zstd's one-shot call sets one up per chunk. */
    private static final ThreadLocal<com.github.luben.zstd.ZstdDecompressCtx> CTX = ThreadLocal.withInitial(com.github.luben.zstd.ZstdDecompressCtx::new);

    public String id() { return "zstd"; }

    public ObjectNode config() { return JsonNodeFactory.instance.objectNode().put("id", id()).put("level", level); }

    public void decodeInto(byte[] src, int srcLen, byte[] dst, int dOff, int rawSize) throws ChunkFormatException {
      long n;
      try {
        // bounded by rawSize: a frame that decodes longer fails with "destination buffer is too small"
        n = CTX.get().decompressByteArray(dst, dOff, rawSize, src, 0, srcLen);
      } catch (ZstdException e) {
        throw new ChunkFormatException("zstd: " + e.getMessage() + " (the chunk needs " + rawSize + " bytes)");
      }
      if (n != rawSize) throw new ChunkFormatException("zstd chunk decodes to " + n + " bytes, expected " + rawSize);
    }

    public byte[] encode(byte[] raw, int typeSize) { return Zstd.compress(raw, level); }
  }

  /** numcodecs LZ4: a 4-byte little-endian decoded size, then one raw LZ4 block (not the LZ4 frame format). */
  record Lz4Codec(int acceleration) implements ChunkCodec {
    private static final LZ4Factory LZ4 = LZ4Factory.fastestInstance();

    public String id() { return "lz4"; }

    public ObjectNode config() { return JsonNodeFactory.instance.objectNode().put("acceleration", acceleration).put("id", id()); }

    public void decodeInto(byte[] src, int srcLen, byte[] dst, int dOff, int rawSize) throws ChunkFormatException {
      if (srcLen < 4) throw new ChunkFormatException("lz4 chunk of " + srcLen + " bytes has no size prefix");
      long size = Blosc.u32(src, 0);
      if (size != rawSize) throw new ChunkFormatException("lz4 chunk declares " + size + " bytes, expected " + rawSize);
      try {
        int got = LZ4.safeDecompressor().decompress(src, 4, srcLen - 4, dst, dOff, rawSize);
        if (got != rawSize) throw new ChunkFormatException("lz4 chunk decodes to " + got + " bytes, expected " + rawSize);
      } catch (LZ4Exception e) {
        throw new ChunkFormatException("lz4: " + e.getMessage());
      }
    }

    public byte[] encode(byte[] raw, int typeSize) {
      var c = LZ4.fastCompressor();
      byte[] out = new byte[4 + c.maxCompressedLength(raw.length)];
      Blosc.put32(out, 0, raw.length);
      int n = c.compress(raw, 0, raw.length, out, 4, out.length - 4);
      return java.util.Arrays.copyOf(out, 4 + n);
    }
  }

  /** zlib: one zlib stream. */
  record ZlibCodec(int level) implements ChunkCodec {
    public String id() { return "zlib"; }

    public ObjectNode config() { return JsonNodeFactory.instance.objectNode().put("id", id()).put("level", level); }

    public void decodeInto(byte[] src, int srcLen, byte[] dst, int dOff, int rawSize) throws ChunkFormatException {
      Inflater inf = new Inflater();
      try {
        inf.setInput(src, 0, srcLen);
        int n = inf.inflate(dst, dOff, rawSize);
        if (!inf.finished() || n != rawSize) throw new ChunkFormatException("zlib chunk does not decode to exactly " + rawSize + " bytes");
      } catch (DataFormatException e) {
        throw new ChunkFormatException("zlib: " + e.getMessage());
      } finally {
        inf.end();
      }
    }

    public byte[] encode(byte[] raw, int typeSize) {
      Deflater d = new Deflater(level);
      try {
        d.setInput(raw);
        d.finish();
        var out = new ByteArrayOutputStream(raw.length / 2 + 64);
        byte[] buf = new byte[64 * 1024];
        while (!d.finished()) out.write(buf, 0, d.deflate(buf));
        return out.toByteArray();
      } finally {
        d.end();
      }
    }
  }

  /** gzip: one gzip member. */
  record GzipCodec(int level) implements ChunkCodec {
    public String id() { return "gzip"; }

    public ObjectNode config() { return JsonNodeFactory.instance.objectNode().put("id", id()).put("level", level); }

    public void decodeInto(byte[] src, int srcLen, byte[] dst, int dOff, int rawSize) throws ChunkFormatException {
      try (var in = new GZIPInputStream(new ByteArrayInputStream(src, 0, srcLen), 8192)) {
        int n = in.readNBytes(dst, dOff, rawSize);
        // a chunk that decodes too long is caught by asking for one byte more, without reading it all
        if (n != rawSize || in.read() >= 0) {
          throw new ChunkFormatException("gzip chunk decodes to " + (n == rawSize ? "more than " : "") + n + " bytes, expected " + rawSize);
        }
      } catch (ChunkFormatException e) {
        throw e;
      } catch (IOException e) {
        throw new ChunkFormatException("gzip: " + e.getMessage());
      }
    }

    public byte[] encode(byte[] raw, int typeSize) {
      var out = new ByteArrayOutputStream(raw.length / 2 + 64);
      try (var gz = new GZIPOutputStream(out) {{ def.setLevel(level); }}) {
        gz.write(raw);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return out.toByteArray();
    }
  }

  /** Blosc 1 ({@link Blosc}). */
  record BloscCodec(String cname, int clevel, int shuffle, int blocksize) implements ChunkCodec {
    public String id() { return "blosc"; }

    public ObjectNode config() {
      return JsonNodeFactory.instance.objectNode().put("blocksize", blocksize).put("clevel", clevel).put("cname", cname)
          .put("id", id()).put("shuffle", shuffle);
    }

    public void decodeInto(byte[] src, int srcLen, byte[] dst, int dOff, int rawSize) throws ChunkFormatException {
      Blosc.decode(src, srcLen, java.lang.foreign.MemorySegment.ofArray(dst).asSlice(dOff, rawSize));
    }

    public byte[] encode(byte[] raw, int typeSize) {
      // numcodecs' AUTOSHUFFLE (-1): bit shuffle for single bytes, byte shuffle otherwise
      int s = shuffle == -1 ? (typeSize == 1 ? 2 : 1) : shuffle;
      return Blosc.encode(raw, typeSize, cname, clevel, s);
    }
  }
}
