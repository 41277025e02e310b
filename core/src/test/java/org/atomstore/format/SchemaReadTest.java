package org.atomstore.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.atomstore.model.TypeTag;
import org.junit.jupiter.api.Test;

/** Schema blobs read from files: the schema or the problem, never an exception. */
class SchemaReadTest {

  private static byte[] blobWithKey(byte[] key) {
    ByteBuffer b = ByteBuffer.allocate(9 + 13 + key.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(Schema.BLOB_VERSION).put((byte) TypeTag.VEC3_F32).putInt(1);
    b.put((byte) AtpLayout.KIND_MOLECULE_PROPERTY).put((byte) TypeTag.FLOAT64).put((byte) 0).putShort((short) key.length)
        .putInt(8).putInt(8).put(key);
    return b.array();
  }

  @Test
  void aValidBlobGivesItsSchema() {
    Schema.Decoded d = Schema.read(blobWithKey("énergie".getBytes(StandardCharsets.UTF_8)));
    assertThat(d.problem()).isNull();
    assertThat(d.schema().positionsType()).isEqualTo(TypeTag.VEC3_F32);
    assertThat(d.schema().entries()).extracting(Schema.Entry::key).isEqualTo(List.of("énergie"));
  }

  @Test
  void malformedUtf8InAKeyIsAProblem() {
    for (byte[] key : List.of(new byte[] {(byte) 0xff}, new byte[] {'a', (byte) 0xc3}, new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80})) {
      Schema.Decoded d = Schema.read(blobWithKey(key));
      assertThat(d.schema()).isNull();
      assertThat(d.problem()).isEqualTo("invalid UTF-8 in schema key of entry 0");
    }
  }

  @Test
  void structuralDamageIsAProblem() {
    byte[] ok = blobWithKey("e".getBytes(StandardCharsets.UTF_8));
    assertThat(Schema.read(new byte[3]).problem()).isEqualTo("schema blob too small (3 bytes)");
    byte[] trailing = java.util.Arrays.copyOf(ok, ok.length + 2);
    assertThat(Schema.read(trailing).problem()).isEqualTo("schema blob has 2 trailing bytes");
    byte[] perAtom = ok.clone();
    perAtom[9 + 2] = 7;
    assertThat(Schema.read(perAtom).problem()).isEqualTo("invalid schema per_atom flag 7 at entry 0");
  }
}
