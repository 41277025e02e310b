package org.atomstore.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.atomstore.dataset.ShardedDataset;
import org.atomstore.djl.Training;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "train", mixinStandardHelpOptions = true, description = {
    "Train a small interatomic potential on a dataset with Deep Java Library (PyTorch on the CPU, offline).",
    "The model: per-element reference energies fitted by least squares, plus an MLP on per-atom radial "
        + "descriptors (Behler-Parrinello style) for what is left; the loss is the per-atom energy error. A "
        + "validation split is chosen by the seed. Batches come from Atomstore's loader on --threads threads.",
    "Per epoch it prints the train and validation loss (mean squared error of the normalized per-atom energy), "
        + "the validation RMSE in the dataset's energy units per atom, the structures per second and the fraction "
        + "of the epoch spent waiting for data. With --checkpoint, the parameters and the loader state are saved "
        + "after each epoch, and a later run with the same options resumes from there."})
final class TrainCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DATASET", description = "A dataset directory or an .atp file (structures with energies).")
  Path dataset;

  @Option(names = "--epochs", paramLabel = "N", defaultValue = "5", description = "Epochs to train (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "32", description = "Structures per batch (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "Seed of the split and the shuffles (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "2", description = "Loader threads (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--validation", paramLabel = "F", defaultValue = "0.1", description = "Fraction of structures held out for validation (default: ${DEFAULT-VALUE}).")
  double validation;

  @Option(names = "--hidden", paramLabel = "N", defaultValue = "64", description = "Units per hidden layer (default: ${DEFAULT-VALUE}).")
  int hidden;

  @Option(names = "--cutoff", paramLabel = "A", defaultValue = "5.0", description = "Descriptor cutoff in Angstrom (default: ${DEFAULT-VALUE}).")
  double cutoff;

  @Option(names = "--learning-rate", paramLabel = "R", defaultValue = "0.002", description = "Adam's learning rate (default: ${DEFAULT-VALUE}).")
  float learningRate;

  @Option(names = "--checkpoint", paramLabel = "DIR", description = "Save parameters and loader state here after each epoch; resume from them.")
  Path checkpoint;

  @Option(names = "--json", description = "Print one JSON document at the end instead of a line per epoch.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Training.Options options;
    try {
      options = new Training.Options(epochs, batchSize, seed, threads, validation, hidden, cutoff, 8, learningRate, checkpoint);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    List<Training.EpochReport> reports;
    try (ShardedDataset table = ShardedDataset.open(dataset)) {
      reports = Training.run(table, options, r -> {
        if (!json) {
          out.printf(Locale.ROOT, "epoch %d: train loss %.4f, validation loss %.4f (RMSE %.4g per atom), %.0f structures/s, "
              + "waiting for data %.1f%% of the time%n", r.epoch(), r.trainLoss(), r.validationLoss(), r.validationRmse(),
              r.structuresPerSecond(), 100 * r.waitFraction());
          out.flush();
        }
      });
    }
    if (json) {
      ObjectNode root = DumpCommand.json().createObjectNode().put("dataset", dataset.toString());
      ArrayNode list = root.putArray("epochs");
      for (Training.EpochReport r : reports) {
        ObjectNode e = list.addObject().put("epoch", r.epoch());
        num(e, "train_loss", r.trainLoss());
        num(e, "validation_loss", r.validationLoss());
        num(e, "validation_rmse_per_atom", r.validationRmse());
        e.put("structures", r.structures());
        num(e, "seconds", r.seconds());
        num(e, "structures_per_s", r.structuresPerSecond());
        num(e, "wait_fraction", r.waitFraction());
      }
      out.println(DumpCommand.json().writeValueAsString(root));
    }
    return 0;
  }

  /** A number, or null where there is none (no structure in the split had an energy). */
  private static void num(ObjectNode node, String key, double v) {
    if (Double.isFinite(v)) node.put(key, v);
    else node.putNull(key);
  }
}
