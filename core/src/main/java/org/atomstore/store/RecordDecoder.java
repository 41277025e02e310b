package org.atomstore.store;

import java.lang.foreign.MemorySegment;
import org.atomstore.format.AtpLayout;
import org.atomstore.format.PayloadDecoder;
import org.atomstore.format.RecordFormatException;
import org.atomstore.format.SectionCursor;
import org.atomstore.model.BuiltinField;
import org.atomstore.model.Molecule;
import org.atomstore.model.TypeTag;
import org.atomstore.model.Value;

/** Decodes one record into a {@link Molecule}, decoding only the fields asked for. Stateless. */
final class RecordDecoder {
  private RecordDecoder() {}

  static Molecule decode(SectionCursor c, MemorySegment rec, long base, long len, int positionsType, FieldSet fields) {
    c.reset(rec, base, len, positionsType);
    int n = c.atomCount();
    Value positions = null;
    if (fields.positions) {
      positions = positionsType == TypeTag.VEC3_F64
          ? new Value.Vec3Float64(PayloadDecoder.doubles(rec, c.positionsOffset(), n * 3))
          : new Value.Vec3Float32(PayloadDecoder.floats(rec, c.positionsOffset(), n * 3));
    }
    byte[] numbers = null;
    if (fields.atomicNumbers) {
      numbers = new byte[n];
      MemorySegment.copy(rec, AtpLayout.BYTE, c.numbersOffset(), numbers, 0, n);
    }
    Molecule m = Molecule.partial(n, positions, numbers);
    while (c.next()) {
      switch (c.kind()) {
        case AtpLayout.KIND_BUILTIN -> {
          int id = c.builtinId();
          if (id >= 0 && fields.builtin(id)) builtin(m, c, id, n);
        }
        case AtpLayout.KIND_ATOM_PROPERTY, AtpLayout.KIND_MOLECULE_PROPERTY -> {
          if (fields.wantsCustom(c)) {
            String key = c.key();
            Value v = PayloadDecoder.read(c);
            // the record may hold what a molecule cannot (a key as both kinds, a per-atom value of another length)
            String problem = c.kind() == AtpLayout.KIND_ATOM_PROPERTY ? m.trySetAtomProperty(key, v) : m.trySetProperty(key, v);
            if (problem != null) throw new RecordFormatException(problem, c.payloadOffset());
          }
        }
        default -> { } // unknown kinds are skipped, as the reference does
      }
    }
    return m;
  }

  /** Decodes a builtin section, checking its type tag and size against the atom count. */
  static Value builtinValue(SectionCursor c, int id, int n) {
    checkBuiltin(c, id, n);
    long off = c.payloadOffset();
    return switch (BuiltinField.ofId(id)) {
      case PBC -> {
        MemorySegment s = c.segment();
        yield new Value.Bool3(s.get(AtpLayout.BYTE, off) != 0, s.get(AtpLayout.BYTE, off + 1) != 0, s.get(AtpLayout.BYTE, off + 2) != 0);
      }
      case NAME -> new Value.Text(c.utf8(off, c.payloadLength(), "name"));
      default -> PayloadDecoder.read(c);
    };
  }

  /** Checks a builtin section's type tag and size against the atom count, without decoding it. */
  static void checkBuiltin(SectionCursor c, int id, int n) {
    if (!BuiltinField.ofId(id).reads(c.typeTag(), c.payloadLength(), n)) {
      throw badBuiltin(BuiltinField.ofId(id).key(), c.typeTag(), c.payloadLength(), c.payloadOffset());
    }
  }

  private static void builtin(Molecule m, SectionCursor c, int id, int n) {
    m.builtin(BuiltinField.ofId(id), builtinValue(c, id, n));
  }

  private static RecordFormatException badBuiltin(String name, int tag, long len, long off) {
    return new RecordFormatException("builtin '" + name + "' has unsupported type tag " + tag + " or size " + len + " bytes", off);
  }
}
