package org.atomstore.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * Mean squared error over the molecules that have a target: labels are {@code (target [B], weight [B])}, weight 1
 * where the molecule has an energy and 0 where it has none.
 */
public final class WeightedSquaredLoss extends Loss {
  public WeightedSquaredLoss() {
    super("energy_mse");
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    NDArray target = labels.get(0);
    NDArray weight = labels.get(1);
    NDArray diff = predictions.singletonOrThrow().sub(target);
    return diff.mul(diff).mul(weight).sum().div(weight.sum().maximum(1f));
  }
}
