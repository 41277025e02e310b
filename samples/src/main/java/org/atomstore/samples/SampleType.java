package org.atomstore.samples;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.atomstore.model.NdArray;
import org.atomstore.samples.internal.NdArrayBytes;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * A Java {@code record} as an atdata sample schema, and its codec: a sample is one msgpack map whose keys are the
 * component names in declaration order, packed exactly as atdata 0.7's {@code PackableSample.packed} packs
 * (shortest integers, non-negative ones unsigned; every float as float 64; {@code str}/{@code bin} by length;
 * {@link NdArray} values as atdata's compact NDArray bytes in a {@code bin}).
 *
 * <p>Component types: {@code long int short byte} and boxes, {@link BigInteger} (up to 2^64-1), {@code double
 * float} and boxes, {@code boolean}/{@code Boolean}, {@code String}, {@code byte[]}, {@link NdArray}, and
 * {@code List} of any of those (boxed). {@link Nullable} marks optional fields.
 *
 * <p>The codec is built once per record class ({@link #of}): canonical constructor and accessors become method
 * handles, so encoding and decoding run without reflection. Immutable and safe for concurrent use.
 *
 * @param <T> the record type
 */
public final class SampleType<T extends Record> {
  private static final ClassValue<SampleType<?>> CACHE = new ClassValue<>() {
    @Override
    protected SampleType<?> computeValue(Class<?> type) {
      return build(type.asSubclass(Record.class));
    }
  };

  private final Class<T> type;
  private final String name;
  private final String version;
  private final String description;
  private final List<SampleField> fields;
  private final String[] names;
  private final Map<String, Integer> index;
  private final Codec[] codecs;
  private final MethodHandle[] getters; // (Object)Object
  private final MethodHandle constructor; // (Object[])Object

  private SampleType(Class<T> type, List<SampleField> fields, Codec[] codecs, MethodHandle[] getters,
      MethodHandle constructor) {
    this.type = type;
    SampleInfo info = type.getAnnotation(SampleInfo.class);
    this.name = info == null || info.name().isEmpty() ? type.getSimpleName() : info.name();
    this.version = info == null ? "1.0.0" : info.version();
    this.description = info == null || info.description().isEmpty() ? null : info.description();
    this.fields = List.copyOf(fields);
    this.names = fields.stream().map(SampleField::name).toArray(String[]::new);
    this.index = new HashMap<>();
    for (int i = 0; i < names.length; i++) index.put(names[i], i);
    this.codecs = codecs;
    this.getters = getters;
    this.constructor = constructor;
  }

  /** The sample type of a record class, built on first use and cached for the class's lifetime. */
  @SuppressWarnings("unchecked")
  public static <T extends Record> SampleType<T> of(Class<T> type) {
    return (SampleType<T>) CACHE.get(type);
  }

  public Class<T> javaType() { return type; }

  /** The schema name (atdata's class {@code __name__}). */
  public String name() { return name; }

  /** The schema version ({@code 1.0.0} unless {@link SampleInfo} says otherwise). */
  public String version() { return version; }

  /** The description (atdata's docstring), or null. */
  public String description() { return description; }

  /** atdata's schema reference: {@code atdata://local/schema/{name}@{version}}. */
  public String schemaRef() { return "atdata://local/schema/" + name + "@" + version; }

  /** The fields in declaration order (the msgpack map's key order). */
  public List<SampleField> fields() { return fields; }

  /** The field called {@code name}, or -1. */
  public int fieldIndex(String name) {
    Integer i = index.get(name);
    return i == null ? -1 : i;
  }

  /** The value of field {@code i} of {@code sample}. */
  public Object get(T sample, int i) {
    try {
      return getters[i].invokeExact((Object) sample);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** A sample built from field values in declaration order (nulls only for optional fields). */
  public T create(Object... values) {
    if (values.length != codecs.length) throw new IllegalArgumentException(values.length + " values for " + codecs.length + " fields");
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null && !fields.get(i).optional()) throw new IllegalArgumentException("field " + names[i] + " is not @Nullable");
    }
    try {
      return type.cast(constructor.invokeExact(values));
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** The msgpack bytes of {@code sample}, as atdata packs it. */
  public byte[] encode(T sample) {
    MessageBufferPacker p = PACKER.get();
    p.clear();
    try {
      encode(sample, p);
      return p.toByteArray();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e); // a buffer packer does no I/O
    }
  }

  /** One reusable packer per thread: a fresh one allocates its buffers for every sample. */
  private static final ThreadLocal<MessageBufferPacker> PACKER = ThreadLocal.withInitial(MessagePack::newDefaultBufferPacker);

  /** Packs {@code sample} as one msgpack map into {@code p}. */
  public void encode(T sample, MessagePacker p) throws IOException {
    p.packMapHeader(codecs.length);
    for (int i = 0; i < codecs.length; i++) {
      packString(p, names[i]);
      Object v;
      try {
        v = getters[i].invokeExact((Object) sample);
      } catch (Throwable t) {
        throw rethrow(t);
      }
      if (v == null) {
        if (!fields.get(i).optional()) throw new IllegalArgumentException("field " + names[i] + " of " + name + " is null but not @Nullable");
        p.packNil();
      } else {
        codecs[i].write(p, v);
      }
    }
  }

  /**
   * Decodes one sample from its msgpack bytes.
   *
   * @param shard names the shard in errors (may be null)
   * @param key names the sample key or member in errors (may be null)
   * @throws CorruptSampleException when the bytes are not one msgpack map of this schema
   */
  public T decode(byte[] bytes, String shard, String key) throws CorruptSampleException {
    var in = new In(MessagePack.newDefaultUnpacker(bytes), bytes.length, shard, key);
    Object[] values = new Object[codecs.length];
    boolean[] seen = new boolean[codecs.length];
    try {
      MessageFormat f = in.u.getNextFormat();
      if (f.getValueType() != ValueType.MAP) throw in.corrupt(null, "expected a msgpack map, found " + f);
      int n = in.u.unpackMapHeader();
      in.checkCount(n, 2, null);
      for (int e = 0; e < n; e++) {
        if (in.u.getNextFormat().getValueType() != ValueType.STRING) throw in.corrupt(null, "map key is not a string");
        String k = in.string(null);
        int i = e < names.length && names[e].equals(k) ? e : fieldIndex(k);
        if (i < 0) throw in.corrupt(k, "unexpected field for " + name);
        if (seen[i]) throw in.corrupt(k, "field appears twice");
        seen[i] = true;
        if (in.u.getNextFormat() == MessageFormat.NIL) {
          in.u.unpackNil();
          if (!fields.get(i).optional()) throw in.corrupt(k, "nil in a field that is not optional");
        } else {
          in.field = k;
          values[i] = codecs[i].read(in);
          in.field = null;
        }
      }
      if (in.u.hasNext()) throw in.corrupt(null, "bytes after the sample map");
    } catch (MessagePackException e) {
      throw in.corrupt(in.field, why(e), e);
    } catch (CorruptSampleException e) {
      throw e;
    } catch (IOException e) {
      throw in.corrupt(in.field, why(e), e);
    }
    for (int i = 0; i < values.length; i++) {
      if (!seen[i] && !fields.get(i).optional()) throw new CorruptSampleException(shard, key, names[i], -1, "field missing");
    }
    try {
      return type.cast(constructor.invokeExact(values));
    } catch (IllegalArgumentException e) {
      throw new CorruptSampleException(shard, key, null, -1, "record constructor refused the values: " + e.getMessage(), e);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  @Override
  public String toString() { return "SampleType[" + name + "@" + version + " " + fields + "]"; }

  // ---- building ----

  private static <T extends Record> SampleType<T> build(Class<T> type) {
    if (!type.isRecord()) throw new IllegalArgumentException(type + " is not a record");
    RecordComponent[] comps = type.getRecordComponents();
    MethodHandles.Lookup lookup;
    try {
      lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
    } catch (IllegalAccessException e) {
      throw new IllegalArgumentException("cannot access " + type + " (open its package to org.atomstore.samples)", e);
    }
    var fields = new ArrayList<SampleField>();
    Codec[] codecs = new Codec[comps.length];
    MethodHandle[] getters = new MethodHandle[comps.length];
    Class<?>[] params = new Class<?>[comps.length];
    try {
      for (int i = 0; i < comps.length; i++) {
        RecordComponent c = comps[i];
        boolean optional = c.isAnnotationPresent(Nullable.class);
        if (optional && c.getType().isPrimitive()) throw new IllegalArgumentException("@Nullable on primitive component " + c.getName());
        codecs[i] = codec(c.getType(), c.getGenericType(), type, c.getName());
        fields.add(new SampleField(c.getName(), codecs[i].fieldType(), optional, c.getType()));
        getters[i] = lookup.unreflect(c.getAccessor()).asType(MethodType.methodType(Object.class, Object.class));
        params[i] = c.getType();
      }
      MethodHandle ctor = lookup.findConstructor(type, MethodType.methodType(void.class, params))
          .asSpreader(Object[].class, comps.length)
          .asType(MethodType.methodType(Object.class, Object[].class));
      return new SampleType<>(type, fields, codecs, getters, ctor);
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException("cannot access the components of " + type, e);
    }
  }

  private static Codec codec(Class<?> raw, Type generic, Class<?> owner, String field) {
    if (raw == long.class || raw == Long.class) return Codec.LONG;
    if (raw == int.class || raw == Integer.class) return Codec.INT;
    if (raw == short.class || raw == Short.class) return Codec.SHORT;
    if (raw == byte.class || raw == Byte.class) return Codec.BYTE;
    if (raw == BigInteger.class) return Codec.BIG;
    if (raw == double.class || raw == Double.class) return Codec.DOUBLE;
    if (raw == float.class || raw == Float.class) return Codec.FLOAT;
    if (raw == boolean.class || raw == Boolean.class) return Codec.BOOL;
    if (raw == String.class) return Codec.STR;
    if (raw == byte[].class) return Codec.BYTES;
    if (raw == NdArray.class) return Codec.ARRAY;
    if (raw == List.class && generic instanceof ParameterizedType pt && pt.getActualTypeArguments()[0] instanceof Class<?> e) {
      Codec item = codec(e, e, owner, field);
      if (item instanceof ListCodec) throw new IllegalArgumentException("nested lists are not supported: " + owner.getName() + "." + field);
      return new ListCodec(item);
    }
    throw new IllegalArgumentException("unsupported sample field type " + generic.getTypeName() + " of " + owner.getName() + "." + field);
  }

  /** The problem a msgpack-core exception stands for, in words. */
  static String why(Exception e) {
    if (e instanceof org.msgpack.core.MessageSizeException) return "msgpack length prefix too large (runs past the end of the sample)";
    if (e instanceof org.msgpack.core.MessageInsufficientBufferException || e instanceof java.io.EOFException) return "msgpack truncated";
    return "invalid msgpack: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
  }

  static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException r) return r;
    if (t instanceof Error e) throw e;
    return new IllegalStateException(t);
  }

  static void packString(MessagePacker p, String s) throws IOException {
    // Encoded here so the header is always the shortest for the UTF-8 length, as msgpack-python writes it.
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    p.packRawStringHeader(b.length);
    p.writePayload(b);
  }

  // ---- field codecs ----

  /** The decoding state of one sample: the unpacker, its size and what errors should name. */
  static final class In {
    final MessageUnpacker u;
    final long size;
    final String shard;
    final String key;
    String field;

    In(MessageUnpacker u, long size, String shard, String key) {
      this.u = u;
      this.size = size;
      this.shard = shard;
      this.key = key;
    }

    long remaining() { return size - u.getTotalReadBytes(); }

    void checkLength(long n, String what) throws CorruptSampleException {
      if (n < 0 || n > remaining()) throw corrupt(field, what + " length " + Integer.toUnsignedString((int) n) + " runs past the end of the sample (" + remaining() + " bytes left)");
    }

    void checkCount(long n, int minBytesEach, String f) throws CorruptSampleException {
      if (n < 0 || n > remaining() / minBytesEach) throw corrupt(f, "element count " + Integer.toUnsignedString((int) n) + " runs past the end of the sample (" + remaining() + " bytes left)");
    }

    String string(String f) throws IOException {
      int n = u.unpackRawStringHeader();
      checkLength(n, "string");
      byte[] b = u.readPayload(n);
      try {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
      } catch (CharacterCodingException e) {
        throw corrupt(f, "string is not valid UTF-8");
      }
    }

    byte[] binary() throws IOException {
      int n = u.unpackBinaryHeader();
      checkLength(n, "bin");
      return u.readPayload(n);
    }

    CorruptSampleException corrupt(String f, String problem) {
      return new CorruptSampleException(shard, key, f, u.getTotalReadBytes(), problem);
    }

    CorruptSampleException corrupt(String f, String problem, Throwable cause) {
      return new CorruptSampleException(shard, key, f, u.getTotalReadBytes(), problem, cause);
    }

    ValueType expect(ValueType t) throws IOException {
      MessageFormat f = u.getNextFormat();
      if (f.getValueType() != t) throw corrupt(field, "expected " + t.name().toLowerCase() + ", found msgpack " + f.name().toLowerCase());
      return t;
    }
  }

  /** How one Java component type is packed and unpacked. */
  abstract static sealed class Codec permits ScalarCodec, ListCodec {
    static final Codec LONG = new ScalarCodec(FieldType.Primitive.INT) {
      void write(MessagePacker p, Object v) throws IOException { p.packLong((Long) v); }
      Object read(In in) throws IOException { return readLong(in, Long.MIN_VALUE, Long.MAX_VALUE); }
    };
    static final Codec INT = new ScalarCodec(FieldType.Primitive.INT) {
      void write(MessagePacker p, Object v) throws IOException { p.packLong((Integer) v); }
      Object read(In in) throws IOException { return (int) readLong(in, Integer.MIN_VALUE, Integer.MAX_VALUE); }
    };
    static final Codec SHORT = new ScalarCodec(FieldType.Primitive.INT) {
      void write(MessagePacker p, Object v) throws IOException { p.packLong((Short) v); }
      Object read(In in) throws IOException { return (short) readLong(in, Short.MIN_VALUE, Short.MAX_VALUE); }
    };
    static final Codec BYTE = new ScalarCodec(FieldType.Primitive.INT) {
      void write(MessagePacker p, Object v) throws IOException { p.packLong((Byte) v); }
      Object read(In in) throws IOException { return (byte) readLong(in, Byte.MIN_VALUE, Byte.MAX_VALUE); }
    };
    static final BigInteger MAX_U64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    static final Codec BIG = new ScalarCodec(FieldType.Primitive.INT) {
      void write(MessagePacker p, Object v) throws IOException {
        BigInteger b = (BigInteger) v;
        if (b.compareTo(MAX_U64) > 0 || b.bitLength() > 63 && b.signum() < 0) throw new IllegalArgumentException("integer out of msgpack's range: " + b);
        p.packBigInteger(b);
      }
      Object read(In in) throws IOException {
        in.expect(ValueType.INTEGER);
        return in.u.unpackBigInteger();
      }
    };
    static final Codec DOUBLE = new ScalarCodec(FieldType.Primitive.FLOAT) {
      void write(MessagePacker p, Object v) throws IOException { p.packDouble((Double) v); }
      Object read(In in) throws IOException { return readDouble(in); }
    };
    static final Codec FLOAT = new ScalarCodec(FieldType.Primitive.FLOAT) {
      // atdata writes a float32 scalar as float 64 (numpy's .item() gives a Python float).
      void write(MessagePacker p, Object v) throws IOException { p.packDouble((Float) v); }
      Object read(In in) throws IOException { return (float) readDouble(in); }
    };
    static final Codec BOOL = new ScalarCodec(FieldType.Primitive.BOOL) {
      void write(MessagePacker p, Object v) throws IOException { p.packBoolean((Boolean) v); }
      Object read(In in) throws IOException { in.expect(ValueType.BOOLEAN); return in.u.unpackBoolean(); }
    };
    static final Codec STR = new ScalarCodec(FieldType.Primitive.STR) {
      void write(MessagePacker p, Object v) throws IOException { packString(p, (String) v); }
      Object read(In in) throws IOException { in.expect(ValueType.STRING); return in.string(in.field); }
    };
    static final Codec BYTES = new ScalarCodec(FieldType.Primitive.BYTES) {
      void write(MessagePacker p, Object v) throws IOException {
        byte[] b = (byte[]) v;
        p.packBinaryHeader(b.length);
        p.writePayload(b);
      }
      Object read(In in) throws IOException { in.expect(ValueType.BINARY); return in.binary(); }
    };
    static final Codec ARRAY = new ScalarCodec(null) {
      void write(MessagePacker p, Object v) throws IOException {
        NdArray a = (NdArray) v;
        byte[] dt = a.dtype().getBytes(StandardCharsets.US_ASCII);
        byte[] header = new byte[NdArrayBytes.headerLength(dt.length, a.shape().length)];
        NdArrayBytes.writeHeader(header, dt, a.shape());
        p.packBinaryHeader(header.length + a.data().length);
        p.writePayload(header);
        p.writePayload(a.data());
      }
      Object read(In in) throws IOException {
        in.expect(ValueType.BINARY);
        byte[] b = in.binary();
        try {
          return NdArrayBytes.decode(b).array();
        } catch (IllegalArgumentException | ArithmeticException e) {
          throw in.corrupt(in.field, e.getMessage());
        }
      }
      FieldType fieldType() { return new FieldType.Array(); }
    };

    abstract void write(MessagePacker p, Object v) throws IOException;

    abstract Object read(In in) throws IOException;

    abstract FieldType fieldType();

    static long readLong(In in, long min, long max) throws IOException {
      MessageFormat f = in.u.getNextFormat();
      if (f.getValueType() != ValueType.INTEGER) throw in.corrupt(in.field, "expected integer, found msgpack " + f.name().toLowerCase());
      if (f == MessageFormat.UINT64) {
        BigInteger b = in.u.unpackBigInteger();
        if (b.bitLength() > 63) throw in.corrupt(in.field, "integer " + b + " does not fit a Java long (use BigInteger)");
        return b.longValue();
      }
      long v = in.u.unpackLong();
      if (v < min || v > max) throw in.corrupt(in.field, "integer " + v + " out of range [" + min + ", " + max + "]");
      return v;
    }

    static double readDouble(In in) throws IOException {
      MessageFormat f = in.u.getNextFormat();
      return switch (f.getValueType()) {
        case FLOAT -> in.u.unpackDouble();
        // A Python float field may hold an int when the writer passed one; atdata keeps what msgpack gives.
        case INTEGER -> f == MessageFormat.UINT64 ? in.u.unpackBigInteger().doubleValue() : (double) in.u.unpackLong();
        default -> throw in.corrupt(in.field, "expected float, found msgpack " + f.name().toLowerCase());
      };
    }
  }

  abstract static non-sealed class ScalarCodec extends Codec {
    private final FieldType.Primitive primitive;

    ScalarCodec(FieldType.Primitive primitive) { this.primitive = primitive; }

    FieldType fieldType() { return new FieldType.Scalar(primitive); }
  }

  static final class ListCodec extends Codec {
    private final Codec item;

    ListCodec(Codec item) { this.item = item; }

    void write(MessagePacker p, Object v) throws IOException {
      List<?> l = (List<?>) v;
      p.packArrayHeader(l.size());
      for (Object o : l) {
        if (o == null) throw new IllegalArgumentException("null list element");
        item.write(p, o);
      }
    }

    Object read(In in) throws IOException {
      in.expect(ValueType.ARRAY);
      int n = in.u.unpackArrayHeader();
      in.checkCount(n, 1, in.field);
      Object[] out = new Object[n];
      for (int i = 0; i < n; i++) {
        if (in.u.getNextFormat() == MessageFormat.NIL) throw in.corrupt(in.field, "nil list element " + i);
        out[i] = item.read(in);
      }
      return List.of(out);
    }

    FieldType fieldType() { return new FieldType.ListOf(item.fieldType()); }
  }
}
