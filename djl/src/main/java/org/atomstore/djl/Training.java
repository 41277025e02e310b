package org.atomstore.djl;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.atomstore.loader.LoaderState;
import org.atomstore.loader.sampler.Shuffle;
import org.atomstore.table.Table;

/**
 * Trains the small potential ({@link Potential}, {@link EnergyBlock}) on a table: a validation split chosen by the
 * seed, Adam on the per-atom energy error, one {@link AtomstoreDataset} per split fed by the loader, and per epoch
 * the train and validation loss, the structures per second and the fraction of the epoch spent waiting for data.
 * With a checkpoint directory, the parameters and the loader state are saved after every epoch and a later run
 * resumes from them at the same batch.
 */
public final class Training {
  private Training() {}

  /** What to train and how. */
  public record Options(int epochs, int batchSize, long seed, int threads, double validationFraction, int hidden,
      double cutoff, int gaussians, float learningRate, Path checkpoint) {
    public Options {
      if (epochs < 1 || batchSize < 1 || threads < 0 || hidden < 1 || gaussians < 1) {
        throw new IllegalArgumentException("epochs, batch size, hidden units and gaussians must be positive");
      }
      if (!(validationFraction > 0 && validationFraction < 1)) {
        throw new IllegalArgumentException("validation fraction must be in (0, 1), not " + validationFraction);
      }
    }

    /** Defaults that train in minutes on two cores. */
    public static Options defaults(int epochs, int batchSize) {
      return new Options(epochs, batchSize, 0, 2, 0.1, 64, 5.0, 8, 2e-3f, null);
    }
  }

  /**
   * One epoch's figures. Losses are mean squared errors of the normalized per-atom energy; {@code validationRmse}
   * is the validation error in the table's energy units per atom.
   */
  public record EpochReport(long epoch, double trainLoss, double validationLoss, double validationRmse,
      long structures, double seconds, double structuresPerSecond, double waitFraction) {}

  /** Trains; calls {@code onEpoch} after each epoch and returns every report. */
  public static List<EpochReport> run(Table table, Options o, Consumer<EpochReport> onEpoch) throws IOException {
    Engines.offline();
    long n = table.size();
    if (n < 2) throw new IllegalArgumentException(table.source() + ": training needs at least 2 structures, it has " + n);
    long[][] split = split(n, o.validationFraction(), o.seed());
    Potential potential = Potential.fit(table, split[0], o.cutoff(), o.gaussians());
    LoaderState resume = null;
    Path stateFile = o.checkpoint() == null ? null : o.checkpoint().resolve("loader-state.json");
    if (stateFile != null && Files.isRegularFile(stateFile)) resume = LoaderState.load(stateFile);

    AtomstoreDataset.Builder tb = AtomstoreDataset.builder(table).rows(split[0]).fields(Potential.fields())
        .preparer(potential).seed(o.seed()).threads(o.threads()).batchSize(o.batchSize());
    if (resume != null) tb.resume(resume);
    AtomstoreDataset train = tb.build();
    AtomstoreDataset validation = AtomstoreDataset.builder(table).rows(split[1]).fields(Potential.fields())
        .preparer(potential).shuffle(Shuffle.none()).threads(o.threads()).batchSize(o.batchSize()).build();

    List<EpochReport> reports = new ArrayList<>();
    // the initial weights depend on the seed only
    ai.djl.engine.Engine.getEngine(Engines.PYTORCH).setRandomSeed((int) o.seed());
    try (Model model = Model.newInstance("atomstore-potential", Engines.PYTORCH)) {
      model.setBlock(new EnergyBlock(o.hidden()));
      if (resume != null) {
        try {
          model.load(o.checkpoint(), "atomstore-potential");
        } catch (ai.djl.MalformedModelException e) {
          throw new IOException(o.checkpoint() + ": cannot load the checkpoint: " + e.getMessage(), e);
        }
      }
      DefaultTrainingConfig config = new DefaultTrainingConfig(new WeightedSquaredLoss())
          .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(o.learningRate())).build());
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(new Shape(1, potential.width()), new Shape(1, 1));
        while (train.state().epoch() < o.epochs()) {
          long epoch = train.state().epoch();
          long waitBefore = train.waitNanos();
          long t0 = System.nanoTime();
          double lossSum = 0;
          double weightSum = 0;
          long structures = 0;
          for (Batch batch : train.getData(trainer.getManager())) {
            try (batch) {
              try (GradientCollector gc = trainer.newGradientCollector()) {
                NDList predictions = trainer.forward(batch.getData(), batch.getLabels());
                NDArray loss = trainer.getLoss().evaluate(batch.getLabels(), predictions);
                gc.backward(loss);
                float w = batch.getLabels().get(1).sum().getFloat();
                lossSum += loss.getFloat() * w;
                weightSum += w;
              }
              trainer.step();
              structures += batch.getSize();
            }
          }
          double seconds = (System.nanoTime() - t0) / 1e9;
          double wait = (train.waitNanos() - waitBefore) / 1e9;
          double validationLoss = evaluate(trainer, validation);
          EpochReport r = new EpochReport(epoch, weightSum == 0 ? Double.NaN : lossSum / weightSum, validationLoss,
              Math.sqrt(validationLoss) * potential.energyScale(), structures, seconds,
              structures / Math.max(seconds, 1e-9), seconds == 0 ? 0 : wait / seconds);
          reports.add(r);
          if (o.checkpoint() != null) {
            Files.createDirectories(o.checkpoint());
            model.save(o.checkpoint(), "atomstore-potential");
            train.state().save(stateFile);
          }
          onEpoch.accept(r);
        }
      }
    }
    return reports;
  }

  private static double evaluate(Trainer trainer, AtomstoreDataset validation) {
    double lossSum = 0;
    double weightSum = 0;
    for (Batch batch : validation.getData(trainer.getManager())) {
      try (batch) {
        NDList predictions = trainer.evaluate(batch.getData());
        float w = batch.getLabels().get(1).sum().getFloat();
        lossSum += trainer.getLoss().evaluate(batch.getLabels(), predictions).getFloat() * w;
        weightSum += w;
      }
    }
    return weightSum == 0 ? Double.NaN : lossSum / weightSum;
  }

  /**
   * Training and validation rows: the validation rows are the first {@code fraction} of a permutation that
   * depends on the seed only; both lists ascending, so reads stay local.
   */
  static long[][] split(long n, double fraction, long seed) {
    var order = Shuffle.full().order(new long[] {0, n}, seed, Long.MAX_VALUE);
    int validation = (int) Math.max(1, Math.min(n - 1, Math.round(n * fraction)));
    long[] val = new long[validation];
    long[] train = new long[Math.toIntExact(n - validation)];
    for (int k = 0; k < validation; k++) val[k] = order.at(k);
    for (long k = validation; k < n; k++) train[(int) (k - validation)] = order.at(k);
    Arrays.sort(val);
    Arrays.sort(train);
    return new long[][] {train, val};
  }
}
