// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.service.ipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class KeyedLocksTest {

  @Test
  void oneKeyRunsOneAtATimeAndTheMapEmptiesAfterwards() throws Exception {
    KeyedLocks locks = new KeyedLocks();
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger maxInside = new AtomicInteger();
    ExecutorService ex = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        fs.add(
            ex.submit(
                () ->
                    locks.with(
                        "ns/pod",
                        () -> {
                          int now = inside.incrementAndGet();
                          maxInside.accumulateAndGet(now, Math::max);
                          Thread.yield();
                          inside.decrementAndGet();
                          return null;
                        })));
      }
      for (Future<?> f : fs) {
        f.get(10, TimeUnit.SECONDS);
      }
    } finally {
      ex.shutdownNow();
    }
    assertThat(maxInside.get()).isEqualTo(1);
    assertThat(locks.size()).isZero();
  }

  @Test
  void differentKeysDoNotWaitForEachOther() throws Exception {
    KeyedLocks locks = new KeyedLocks();
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService ex = Executors.newSingleThreadExecutor();
    try {
      Future<?> a =
          ex.submit(
              () ->
                  locks.with(
                      "ns/a",
                      () -> {
                        holding.countDown();
                        try {
                          release.await();
                        } catch (InterruptedException e) {
                          Thread.currentThread().interrupt();
                        }
                        return null;
                      }));
      assertThat(holding.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(locks.with("ns/b", () -> "ran while ns/a was held"))
          .isEqualTo("ran while ns/a was held");
      assertThat(locks.size()).isEqualTo(1);
      release.countDown();
      a.get(5, TimeUnit.SECONDS);
    } finally {
      ex.shutdownNow();
    }
    assertThat(locks.size()).isZero();
  }

  @Test
  void aFailingHolderReleasesTheKey() {
    KeyedLocks locks = new KeyedLocks();
    assertThatThrownBy(
            () ->
                locks.with(
                    "ns/x",
                    () -> {
                      throw new IllegalStateException("boom");
                    }))
        .hasMessage("boom");
    assertThat(locks.size()).isZero();
    assertThat(locks.with("ns/x", () -> 1)).isEqualTo(1);
  }
}
