package org.atomstore.data;

import java.io.IOException;
import java.util.Map;
import org.atomstore.data.internal.AseRowCodec;
import org.atomstore.io.ase.AseAtoms;

/**
 * The adapter between an object-tier row (asebytes' flat keys {@code cell}, {@code pbc}, {@code constraints},
 * {@code arrays.*}, {@code info.*}, {@code calc.*}) and ASE's {@link AseAtoms}, as asebytes'
 * {@code atoms_to_dict}/{@code dict_to_atoms} convert them. Written once for every backend; {@link MoleculeRows}
 * composes it with io's {@link org.atomstore.io.mapping.AseMapping}. Implementations are stateless and shareable.
 */
public interface AtomsRows {

  /**
   * The structure a row holds.
   *
   * @throws IOException (a {@link org.atomstore.store.CorruptFileException} where the backend has a source) when the
   *     row lacks {@code arrays.numbers} or a value has the wrong type or shape; the message names the key
   */
  AseAtoms toAtoms(Map<String, Object> row) throws IOException;

  /** The row of a structure, keys in asebytes' sorted order. */
  Map<String, Object> toRow(AseAtoms atoms);

  /** The standard adapter (asebytes 0.3.2's layout). */
  static AtomsRows standard() {
    return AseRowCodec.INSTANCE;
  }
}
