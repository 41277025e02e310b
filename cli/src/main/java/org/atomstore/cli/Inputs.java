package org.atomstore.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.atomstore.dataset.Dataset;
import org.atomstore.dataset.ShardedDataset;
import org.atomstore.dataset.remote.Addresses;
import org.atomstore.store.AtpFile;
import org.atomstore.store.AtpReader;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What a command's PATH argument opens: a local path, or a remote address ({@code https://}, {@code s3://},
 * {@code hf://}; see {@link Addresses}) read with range requests.
 */
final class Inputs {
  private Inputs() {}

  /** Positional argument {@code index} as typed: a URL given as a Path would lose the second slash of {@code //}. */
  static String raw(CommandSpec spec, int index) {
    return spec.positionalParameters().get(index).stringValues().get(0);
  }

  static boolean remote(String address) {
    return Addresses.isRemote(address);
  }

  /** Whether the address is a dataset (a directory, or a remote address that is not one {@code .atp} file). */
  static boolean isDataset(String address) {
    return remote(address) ? !Addresses.isFile(address) : Files.isDirectory(Path.of(address));
  }

  /** One {@code .atp} file, local (mapped) or remote. */
  static AtpFile file(String address) throws IOException {
    return remote(address) ? Addresses.openFile(address) : AtpReader.open(Path.of(address));
  }

  /** A dataset (or one file as a dataset of one shard), local or remote. */
  static Dataset dataset(String address) throws IOException {
    return remote(address) ? Addresses.openDataset(address) : ShardedDataset.open(Path.of(address));
  }

  /** The address as the commands print it: a local path as {@link Path} spells it, a remote address as given. */
  static String shown(String address) {
    return remote(address) ? address : Path.of(address).toString();
  }
}
