// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.controller.fence;

import static io.spiderpool.testing.Waits.holdsFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class TermGateTest {

  @Test
  void writesPassOnlyWhileOpenAndFenced() {
    AtomicBoolean leader = new AtomicBoolean(true);
    TermGate gate = new TermGate(leader::get);
    assertThat(gate.write(() -> "written")).isEqualTo("written");
    leader.set(false);
    assertThat(gate.isOpen()).isFalse();
    assertThatThrownBy(() -> gate.write(() -> "x")).isInstanceOf(TermGate.Fenced.class);
    leader.set(true);
    assertThat(gate.write(() -> "again")).isEqualTo("again");
    gate.close();
    assertThatThrownBy(() -> gate.write(() -> "x")).isInstanceOf(TermGate.Fenced.class);
    gate.close(); // idempotent
  }

  @Test
  void closeWaitsForTheWriteInFlight() throws Exception {
    TermGate gate = new TermGate(() -> true);
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean finished = new AtomicBoolean();
    CompletableFuture<Void> writer =
        CompletableFuture.runAsync(
            () ->
                gate.write(
                    () -> {
                      inside.countDown();
                      try {
                        release.await();
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                      finished.set(true);
                      return null;
                    }));
    assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Void> closing = CompletableFuture.runAsync(gate::close);
    holdsFor(
        "close() waits while a write is inside",
        Duration.ofMillis(200),
        Duration.ofMillis(10),
        () -> assertThat(closing).isNotDone());
    assertThatThrownBy(() -> gate.write(() -> "late"))
        .as("no new write once closing began")
        .isInstanceOf(TermGate.Fenced.class);
    release.countDown();
    closing.get(5, TimeUnit.SECONDS);
    assertThat(finished).as("close() returned only after the write ended").isTrue();
    writer.get(5, TimeUnit.SECONDS);
  }
}
