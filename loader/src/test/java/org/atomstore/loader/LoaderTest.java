package org.atomstore.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.atomstore.loader.sampler.Remainder;
import org.atomstore.loader.sampler.Sampler;
import org.atomstore.loader.sampler.Shuffle;
import org.junit.jupiter.api.Test;

class LoaderTest {
  private static final long N = 1000;

  /** A source whose batch is its own indices, read with a jitter so workers finish out of order. */
  private static BatchSource<long[]> jittery(long n) {
    return BatchSource.of(n, idx -> {
      LockSupport.parkNanos((idx[0] * 7919 % 13) * 20_000);
      return idx.clone();
    });
  }

  private static List<String> drain(Loader<long[]> loader) {
    List<String> out = new ArrayList<>();
    while (loader.hasNext()) {
      Batch<long[]> b = loader.next();
      assertThat(b.data()).isEqualTo(b.indices());
      out.add(b.number() + ":" + Arrays.toString(b.data()));
    }
    return out;
  }

  private static List<String> run(int threads, long seed, long epoch) {
    try (var loader = Loader.builder(jittery(N)).seed(seed).epoch(epoch).batchSize(32).threads(threads).open()) {
      return drain(loader);
    }
  }

  @Test
  void batchesComeOutInSamplerOrderWhateverTheThreadCount() {
    List<String> expected = new ArrayList<>();
    Sampler s = Sampler.of(Shuffle.full().order(new long[] {0, N}, 7, 1));
    for (long k = 0; k < s.batchCount(32, false); k++) expected.add(k + ":" + Arrays.toString(s.batch(k, 32)));
    for (int threads : new int[] {0, 1, 2, 3, 8}) {
      assertThat(run(threads, 7, 1)).as("threads=%d", threads).isEqualTo(expected);
    }
  }

  @Test
  void identicalAcrossRunsAndDifferentAcrossEpochs() {
    assertThat(run(2, 3, 0)).isEqualTo(run(2, 3, 0));
    assertThat(run(2, 3, 1)).isNotEqualTo(run(2, 3, 0));
  }

  @Test
  void resumedStreamEqualsTheUninterruptedOneWithAnyThreadCount() {
    for (int stopAfter : new int[] {0, 1, 5, 10}) {
      List<String> full;
      try (var loader = builder().threads(2).open()) {
        full = drain(loader);
      }
      List<String> resumed = new ArrayList<>();
      String saved;
      try (var loader = builder().threads(3).open()) {
        for (int i = 0; i < stopAfter; i++) {
          Batch<long[]> b = loader.next();
          resumed.add(b.number() + ":" + Arrays.toString(b.data()));
        }
        saved = loader.state().toJson();
      }
      try (var loader = Loader.builder(jittery(N)).batchSize(32).rank(1, 3).threads(1)
          .resume(LoaderState.fromJson(saved)).open()) {
        resumed.addAll(drain(loader));
      }
      assertThat(resumed).as("stop after %d", stopAfter).isEqualTo(full);
    }
  }

  private static Loader.Builder<long[]> builder() {
    return Loader.builder(jittery(N)).seed(12).epoch(4).rank(1, 3).remainder(Remainder.PAD)
        .shuffle(Shuffle.blocks(16, 64)).batchSize(32);
  }

  @Test
  void stateAtTheEndOfAnEpochPointsAtTheNextEpoch() {
    try (var loader = Loader.builder(jittery(100)).seed(1).epoch(2).batchSize(30).dropLast(true).open()) {
      assertThat(loader.batchCount()).isEqualTo(3);
      drain(loader);
      LoaderState state = loader.state();
      assertThat(state.epoch()).isEqualTo(3);
      assertThat(state.position()).isZero();
      assertThat(LoaderState.fromJson(state.toJson())).isEqualTo(state);
    }
  }

  @Test
  void rejectsMalformedOrMismatchedState() {
    assertThatThrownBy(() -> LoaderState.fromJson("{\"seed\": 1}")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LoaderState.fromJson("not json")).isInstanceOf(IllegalArgumentException.class);
    LoaderState other = new LoaderState(1, 0, 0, 0, 0, 1, Remainder.DROP, 5, "full");
    assertThatThrownBy(() -> Loader.builder(jittery(N)).resume(other)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("5 molecules");
  }

  @Test
  void anIOExceptionInAWorkerReachesTheConsumerWithItsCauseAfterTheEarlierBatches() {
    IOException boom = new IOException("disk on fire");
    var source = BatchSource.of(N, idx -> {
      for (long i : idx) if (i == 500) throw boom;
      return idx;
    });
    Sampler s = Sampler.of(Shuffle.none().order(new long[] {0, N}, 0, 0));
    try (var loader = Loader.builder(source).shuffle(Shuffle.none()).batchSize(10).threads(3).open()) {
      for (int k = 0; k < 50; k++) assertThat(loader.next().data()).isEqualTo(s.batch(k, 10));
      assertThatThrownBy(loader::next).isInstanceOf(UncheckedIOException.class).hasCause(boom)
          .hasMessageContaining("batch 50");
      assertThatThrownBy(loader::hasNext).isInstanceOf(UncheckedIOException.class);
    }
  }

  @Test
  void aFailureBehindASlowBatchArrivesAfterItWhileTheConsumerWaits() {
    // Batch 0 is slow and batch 1 fails at once: the consumer waits for batch 0 while the failure stops the
    // workers, so the batches after the failure that would complete its wake-up window never come.
    IOException boom = new IOException("bad shard");
    var source = BatchSource.of(N, idx -> {
      if (idx[0] == 0) LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
      if (idx[0] == 10) throw boom;
      return idx;
    });
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      try (var loader = Loader.builder(source).shuffle(Shuffle.none()).batchSize(10).threads(2).prefetch(8).open()) {
        assertThat(loader.next().data()).startsWith(0L, 1L);
        assertThatThrownBy(loader::next).isInstanceOf(UncheckedIOException.class).hasCause(boom)
            .hasMessageContaining("batch 1");
      }
    });
  }

  @Test
  void otherWorkerFailuresArriveAsLoaderWorkerException() {
    var bug = new ArithmeticException("bug");
    var source = BatchSource.<long[]>of(N, idx -> { throw bug; });
    for (int threads : new int[] {0, 2}) {
      try (var loader = Loader.builder(source).batchSize(10).threads(threads).open()) {
        assertThatThrownBy(loader::next).isInstanceOf(LoaderWorkerException.class).hasCause(bug);
      }
    }
  }

  @Test
  void closeStopsEveryWorkerAndIsIdempotent() throws Exception {
    var release = new CountDownLatch(1);
    var source = BatchSource.of(N, idx -> {
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return idx;
    });
    var loader = Loader.builder(source).batchSize(10).threads(4).open();
    assertThat(loader.liveWorkers()).isEqualTo(4);
    release.countDown();
    loader.next();
    loader.close();
    assertThat(loader.liveWorkers()).isZero();
    assertThat(Thread.getAllStackTraces().keySet()).noneMatch(
        t -> t.getName().startsWith("atomstore-loader-") && t.isAlive());
    loader.close();
    assertThatThrownBy(loader::next).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    assertThatThrownBy(loader::hasNext).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void closeFromAnotherThreadWakesAWaitingConsumer() throws Exception {
    var never = new CountDownLatch(1);
    var source = BatchSource.of(N, idx -> {
      try {
        never.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return idx;
    });
    var loader = Loader.builder(source).batchSize(10).threads(1).open();
    var thrown = new AtomicReference<Throwable>();
    Thread consumer = Thread.ofPlatform().start(() -> {
      try {
        loader.next();
      } catch (Throwable t) {
        thrown.set(t);
      }
    });
    // Wait until the consumer is parked waiting for the first batch.
    while (consumer.getState() != Thread.State.WAITING) Thread.onSpinWait();
    Thread closer = Thread.ofPlatform().start(loader::close);
    // Release the worker only once close() has begun waiting for it, so no batch can arrive first.
    while (closer.getState() != Thread.State.WAITING) Thread.onSpinWait();
    never.countDown();
    closer.join();
    consumer.join();
    assertThat(thrown.get()).isInstanceOf(IllegalStateException.class);
    assertThat(loader.liveWorkers()).isZero();
  }
}
