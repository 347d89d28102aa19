// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.awaitility.core.ThrowingRunnable;

/**
 * The bounds tests wait with, and the one form of wait Awaitility does not spell directly.
 *
 * <p>Every wait in the tests is {@code await("what was awaited").atMost(bound).pollInterval(p)
 * .until(...)}: a bound says how long the design allows, widened so that a loaded 2-core CI machine
 * never hits it; it is not a latency figure (those are measured by the benchmarks in {@code hack/},
 * docs/testing.md).
 */
public final class Waits {
  /**
   * The API server stores an object, a watch cache or informer catches up, a controller handles the
   * event: well under a second on an idle machine. 30 s is still far below anything that would mean
   * a different code path did it (the GC's full scan is 600 s away).
   */
  public static final Duration CLUSTER = Duration.ofSeconds(30);

  /** A thread of this JVM acting on a change (no API server involved). */
  public static final Duration LOCAL = Duration.ofSeconds(10);

  /** A packaged spiderpool JVM booting until its first probe answers: 3–10 s on an idle machine. */
  public static final Duration PROCESS_START = Duration.ofSeconds(120);

  /** How often a condition that costs an API request or a process probe is looked at. */
  public static final Duration POLL = Duration.ofMillis(50);

  /**
   * How often the cluster tests look again: each look runs kubectl or crictl (a process), and what
   * they wait for (a Pod scheduled and started by a kubelet) takes seconds.
   */
  public static final Duration CLUSTER_POLL = Duration.ofMillis(500);

  private Waits() {}

  /**
   * Asserts that {@code assertion} holds at every poll for the whole {@code period}: the "nothing
   * happens" checks (a fence stays shut, a claim stays, a holder keeps the Lease). Awaitility's
   * {@code during} alone would restart its window after a failing poll and pass later; the
   * fail-fast makes one failing poll fail the test.
   */
  public static void holdsFor(
      String what, Duration period, Duration pollInterval, ThrowingRunnable assertion) {
    await(what)
        .failFast(what, assertion)
        .during(period)
        .atMost(period.plus(LOCAL))
        .pollInterval(pollInterval)
        .untilAsserted(assertion);
  }
}
