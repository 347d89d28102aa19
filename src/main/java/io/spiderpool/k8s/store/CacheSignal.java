// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.store;

import java.time.Duration;

/**
 * A counter a watch cache bumps on every change, which waiters block on: a wait ends as soon as the
 * cache has moved past the version the waiter looked at, so nobody polls the API server.
 */
final class CacheSignal {
  private long version;

  /** Called by the informer after each change. */
  synchronized void bump() {
    version++;
    notifyAll();
  }

  synchronized long version() {
    return version;
  }

  /**
   * Blocks until the version differs from {@code seen} or {@code max} has passed.
   *
   * @return false when interrupted (the interrupt flag is set again)
   */
  synchronized boolean awaitChange(long seen, Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    while (version == seen) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return true;
      }
      try {
        wait(Math.max(1, left / 1_000_000), 0);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }
}
