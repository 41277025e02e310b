package org.atomstore.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
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

@Command(name = "publish", mixinStandardHelpOptions = true, description = {
    "Publish a dataset directory to an object store: s3://BUCKET/PREFIX (endpoint from AWS_ENDPOINT_URL for "
        + "S3-compatible stores, credentials from the AWS SDK's usual chain) or a local directory.",
    "Every shard is checked against the manifest (one is made when the directory has none), sent, and the manifest "
        + "is written last, so a reader never sees a manifest naming a shard that is not there yet.",
    "--resume leaves out shards already there with the manifest's size and SHA-256 (read back to be sure)."})
final class PublishCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DIR", description = "The dataset directory.")
  Path dir;

  @Parameters(index = "1", paramLabel = "ADDRESS", description = "s3://BUCKET/PREFIX or a local directory.")
  String address;

  @Option(names = "--resume", description = "Skip shards already published whole.")
  boolean resume;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "4", description = "Shards sent at once (default: ${DEFAULT-VALUE}).")
  int threads;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (threads < 1) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--threads must be at least 1, not " + threads);
    if (!Files.isDirectory(dir)) throw new java.nio.file.NoSuchFileException(dir.toString(), null, "not a dataset directory");
    long total = 0;
    try (var s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s.filter(p -> p.toString().endsWith(".atp"))::iterator) total += Files.size(p);
    }
    Transfer.Result r;
    try (ObjectStore dest = Inputs.remote(address) ? Addresses.openStore(address) : DirectoryObjectStore.open(Files.createDirectories(Path.of(address)));
        Progress bar = Progress.bytes("publish", total)) {
      r = Transfer.publish(dir, dest, resume, threads, new Transfer.Listener() {
        @Override public void bytes(long n) { bar.step(n); }
      });
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf("published %s to %s: %d shard(s) sent (%s), %d already there; manifest written last%n", dir, address,
        r.transferred(), Summary.human(r.bytes()), r.skipped());
    out.flush();
    return ExitCodes.OK;
  }
}
