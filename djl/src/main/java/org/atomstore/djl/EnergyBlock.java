package org.atomstore.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Atomic energies summed into molecular ones: one MLP maps each atom's descriptors to its energy, and a pooling
 * matrix {@code [B, N]} (row {@code b} holds {@code 1/n_b} on the atoms of molecule {@code b}) averages them per
 * molecule. Inputs: descriptors {@code [N, F]}, pooling {@code [B, N]}; output: energy per atom {@code [B]}.
 */
public final class EnergyBlock extends AbstractBlock {
  private static final byte VERSION = 1;
  private final SequentialBlock mlp;

  /** An MLP with two hidden layers of {@code hidden} SiLU units. */
  public EnergyBlock(int hidden) {
    super(VERSION);
    mlp = addChildBlock("mlp", new SequentialBlock()
        .add(Linear.builder().setUnits(hidden).build())
        .add(Activation.swishBlock(1f))
        .add(Linear.builder().setUnits(hidden).build())
        .add(Activation.swishBlock(1f))
        .add(Linear.builder().setUnits(1).build()));
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray atoms = mlp.forward(store, new NDList(inputs.get(0)), training, params).singletonOrThrow();
    return new NDList(inputs.get(1).matMul(atoms).reshape(-1));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[1].get(0))};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    mlp.initialize(manager, dataType, inputShapes[0]);
  }
}
