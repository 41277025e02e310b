package org.atomstore.io.extxyz;

import java.io.IOException;
import org.atomstore.io.ase.AseAtoms;

/**
 * Work done on a parse worker right after a frame is parsed (for example mapping it to a molecule and encoding
 * it), so that it runs in parallel too. {@link MappedExtxyzReader} makes one mapper per worker thread and closes
 * them when it is closed: a mapper belongs to one thread at a time.
 */
@FunctionalInterface
public interface FrameMapper<T> extends AutoCloseable {

  T map(AseAtoms frame) throws IOException;

  @Override
  default void close() {}
}
