package org.atomstore.djl;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import org.atomstore.store.FlatBatch;

/**
 * Turns a loader batch into a DJL batch in two steps: {@link #prepare} runs on the loader's worker threads and
 * does the work in plain Java arrays (descriptors, targets); {@link #data} and {@link #labels} run on the
 * training thread and only copy those arrays into NDArrays of the batch's manager.
 *
 * @param <P> what a prepared batch holds
 */
public interface BatchPreparer<P> {

  /** Work on a batch off the training thread; thread-safe. */
  P prepare(FlatBatch batch) throws IOException;

  /** The model's inputs. */
  NDList data(NDManager manager, P prepared);

  /** The targets. */
  NDList labels(NDManager manager, P prepared);

  /** The batch's molecule count. */
  int size(P prepared);
}
