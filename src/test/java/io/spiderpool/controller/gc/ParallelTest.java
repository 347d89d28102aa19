// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.controller.gc;

import static io.spiderpool.testing.Waits.LOCAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ParallelTest {
  private static Map<String, Integer> numbered(int n) {
    Map<String, Integer> in = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      in.put("k" + i, i);
    }
    return in;
  }

  @Test
  void resultsKeepTheKeysAndTheirOrder() {
    Map<String, Integer> out = Parallel.map(numbered(20), v -> v * v);
    assertThat(out.keySet()).containsExactlyElementsOf(numbered(20).keySet());
    out.forEach((k, v) -> assertThat(v).isEqualTo(numbered(20).get(k) * numbered(20).get(k)));
  }

  /** The confirmations of a burst overlap: each task waits until WIDTH of them have started. */
  @Test
  void upToWidthTasksRunAtOnce() {
    CountDownLatch started = new CountDownLatch(Parallel.WIDTH);
    Map<String, Boolean> out =
        Parallel.map(
            numbered(Parallel.WIDTH),
            v -> {
              started.countDown();
              try {
                return started.await(LOCAL.toMillis(), TimeUnit.MILLISECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
              }
            });
    assertThat(out.values()).as("every task saw all %d running", Parallel.WIDTH).containsOnly(true);
  }

  @Test
  void neverMoreThanWidthAtOnce() {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    Parallel.map(
        numbered(10 * Parallel.WIDTH),
        v -> {
          most.accumulateAndGet(running.incrementAndGet(), Math::max);
          Thread.yield();
          running.decrementAndGet();
          return v;
        });
    assertThat(most.get()).isBetween(1, Parallel.WIDTH);
  }

  @Test
  void aSingleTaskRunsOnTheCallingThread() {
    Thread caller = Thread.currentThread();
    assertThat(Parallel.map(numbered(1), v -> Thread.currentThread() == caller))
        .containsEntry("k0", true);
  }

  /** A reconcile must not return while a request of its own still runs, failed or not. */
  @Test
  void theFirstFailureIsThrownOnlyOnceEveryTaskHasEnded() {
    CountDownLatch failed = new CountDownLatch(2);
    AtomicBoolean slowEnded = new AtomicBoolean();
    assertThatThrownBy(
            () ->
                Parallel.map(
                    numbered(3),
                    v -> {
                      if (v == 2) { // runs on after the failures
                        try {
                          failed.await(LOCAL.toMillis(), TimeUnit.MILLISECONDS);
                        } catch (InterruptedException e) {
                          Thread.currentThread().interrupt();
                        }
                        slowEnded.set(true);
                        return v;
                      }
                      failed.countDown();
                      throw new IllegalStateException("task " + v);
                    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("task 0");
    assertThat(slowEnded).isTrue();
  }
}
