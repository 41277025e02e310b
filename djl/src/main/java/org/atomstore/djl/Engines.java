package org.atomstore.djl;

/**
 * DJL's PyTorch engine, loaded from the native library on the class path and never downloaded; one intra-op and
 * one inter-op thread unless {@code ai.djl.pytorch.num_threads} / {@code ai.djl.pytorch.num_interop_threads} say
 * otherwise.
 */
public final class Engines {
  /** DJL's name of the PyTorch engine. */
  public static final String PYTORCH = "PyTorch";

  private Engines() {}

  /**
   * Forces DJL offline (no model zoo or native library downloads) before its first use; the native library comes
   * from the {@code pytorch-native-cpu} jar on the class path.
   */
  public static void offline() {
    System.setProperty("ai.djl.offline", "true");
    System.setProperty("offline", "true");
    // One PyTorch thread for the training loop unless the user says otherwise: the loader's threads compute the
    // batches on the other cores, and PyTorch's own pool (a thread per core) would compete with them (measured on 2
    // cores: waiting for data 10-13% of the epoch with PyTorch's default, 2-7% with one thread, and faster steps)
    if (System.getProperty("ai.djl.pytorch.num_threads") == null) System.setProperty("ai.djl.pytorch.num_threads", "1");
    if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
      System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }
  }
}
