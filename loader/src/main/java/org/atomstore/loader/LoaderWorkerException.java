package org.atomstore.loader;

/**
 * A worker thread failed with something other than an {@link java.io.IOException} (those arrive as
 * {@link java.io.UncheckedIOException}); the worker's exception is the cause.
 */
public final class LoaderWorkerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LoaderWorkerException(String message, Throwable cause) {
    super(message, cause);
  }
}
