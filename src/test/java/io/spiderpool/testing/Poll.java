// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.testing;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The one way the cluster tests wait: look again every half second until the condition holds or
 * the deadline passes, then fail with what was awaited and the last thing seen. Bounds are
 * generous (a loaded 2-core CI machine); a wait that ends early costs nothing.
 */
public final class Poll {
  private static final Duration INTERVAL = Duration.ofMillis(500);

  private Poll() {}

  /**
   * Returns the first value of {@code probe} that {@code done} accepts. A probe that throws is
   * retried like a value that is not done yet (the last exception is reported on timeout).
   */
  public static <T> T until(String what, Duration timeout, Supplier<T> probe, Predicate<? super T> done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    T last = null;
    RuntimeException lastError = null;
    while (true) {
      try {
        last = probe.get();
        lastError = null;
        if (done.test(last)) {
          return last;
        }
      } catch (RuntimeException e) {
        lastError = e;
      }
      if (System.nanoTime() > deadline) {
        AssertionError failure = new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for "
            + what + "; last seen: " + (lastError != null ? lastError.getMessage() : String.valueOf(last)));
        if (lastError != null) {
          failure.initCause(lastError);
        }
        throw failure;
      }
      try {
        Thread.sleep(INTERVAL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what, e);
      }
    }
  }

  /** Waits until {@code condition} is true. */
  public static void until(String what, Duration timeout, Supplier<Boolean> condition) {
    until(what, timeout, condition, Boolean.TRUE::equals);
  }
}
