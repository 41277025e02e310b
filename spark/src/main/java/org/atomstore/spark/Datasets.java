package org.atomstore.spark;

import java.io.IOException;
import java.nio.file.Path;
import org.atomstore.dataset.ShardedDataset;

/** Opens the dataset a path names: an {@code .atp} file or a dataset directory. */
final class Datasets {
  private Datasets() {}

  static ShardedDataset open(String path) throws IOException {
    return ShardedDataset.open(Path.of(path));
  }
}
