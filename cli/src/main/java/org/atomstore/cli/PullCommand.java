package org.atomstore.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.atomstore.dataset.remote.Addresses;
import org.atomstore.dataset.remote.Transfer;
import org.atomstore.source.DirectoryObjectStore;
import org.atomstore.source.ObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "pull", mixinStandardHelpOptions = true, description = {
    "Download a dataset (https://.../dataset/, s3://BUCKET/PREFIX, hf://datasets/ORG/REPO[@REVISION]/PATH or a "
        + "local directory) into a directory, several shards at once.",
    "Resumable: shards already in the directory with the right size and SHA-256 are kept, so a pull that was "
        + "interrupted transfers only what is missing. Each shard is downloaded to a temporary name, checked against "
        + "the manifest's size and SHA-256, and only then renamed into place; a shard whose bytes do not match fails "
        + "the pull, naming it, and nothing is left under its name. The manifest is written last (one is made for a "
        + "dataset that has none)."})
final class PullCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "ADDRESS", description = "The dataset to pull.")
  String address;

  @Parameters(index = "1", paramLabel = "DIR", description = "Where the dataset goes.")
  Path dir;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "4", description = "Shards downloaded at once (default: ${DEFAULT-VALUE}).")
  int threads;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (threads < 1) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--threads must be at least 1, not " + threads);
    Transfer.Result r;
    try (ObjectStore src = Inputs.remote(address) ? Addresses.openStore(address) : DirectoryObjectStore.open(Path.of(address));
        Progress bar = Progress.bytes("pull", -1)) {
      r = Transfer.pull(src, dir, threads, new Transfer.Listener() {
        @Override public void bytes(long n) { bar.step(n); }
      });
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf("pulled %s into %s: %d shard(s) downloaded (%s), %d already in place; %,d molecules%n", address, dir,
        r.transferred(), Summary.human(r.bytes()), r.skipped(), r.manifest().totalMolecules());
    out.flush();
    return ExitCodes.OK;
  }
}
