package org.atomstore.loader;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.atomstore.loader.sampler.Remainder;

/**
 * Where a loader stands: the next batch it hands out starts at {@code position} of the stream that
 * {@code (seed, epoch, shuffle, rank, worldSize, remainder)} defines over a dataset of {@code datasetSize} molecules.
 * Restoring it continues the stream exactly, whatever the number of worker threads. At the end of an epoch
 * the state points at position 0 of the next epoch.
 *
 * <p>JSON form: {@code {"format":1,"seed":..,"epoch":..,"position":..,"rank":..,"worldSize":..,
 * "remainder":"DROP","datasetSize":..,"shuffle":"full"}}.
 */
public record LoaderState(
    int format,
    long seed,
    long epoch,
    long position,
    int rank,
    int worldSize,
    Remainder remainder,
    long datasetSize,
    String shuffle) {

  static final int FORMAT = 1;
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);

  public LoaderState {
    if (format != FORMAT) throw new IllegalArgumentException("unsupported loader state format " + format);
    if (position < 0 || epoch < 0 || datasetSize < 0) {
      throw new IllegalArgumentException("negative epoch, position or dataset size in loader state");
    }
    if (worldSize < 1 || rank < 0 || rank >= worldSize) {
      throw new IllegalArgumentException("rank " + rank + " outside [0, " + worldSize + ") in loader state");
    }
    if (shuffle == null || remainder == null) throw new IllegalArgumentException("loader state without shuffle or remainder");
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Parses {@link #toJson()} output; malformed text gives {@link IllegalArgumentException}. */
  public static LoaderState fromJson(String json) {
    try {
      return JSON.readValue(json, LoaderState.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("malformed loader state: " + e.getOriginalMessage(), e);
    }
  }

  /** Writes the state atomically (temporary file, then rename). */
  public void save(Path file) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, toJson(), StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  public static LoaderState load(Path file) throws IOException {
    if (Files.size(file) > 1 << 16) throw new IOException("loader state file too large: " + file);
    return fromJson(Files.readString(file, StandardCharsets.UTF_8));
  }
}
