package org.atomstore.djl;

/** DJL's PyTorch engine, loaded from the native library on the class path and never downloaded. */
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
  }
}
