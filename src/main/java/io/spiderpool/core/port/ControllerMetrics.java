// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.port;

/**
 * What the controller role reports for Spiderpool's controller metrics (docs/metrics.md): IP GC
 * releases, pool totals, and when a term of the role begins and ends. A process exports the pool
 * gauges only while it holds the role, so a replica that does not hold it never reports stale or
 * empty totals. Every method defaults to doing nothing; {@link #NOOP} records nothing.
 */
public interface ControllerMetrics {

  /** Records nothing. */
  ControllerMetrics NOOP = new ControllerMetrics() {};

  /** This process took the role: the role's gauges appear. */
  default void termStarted() {}

  /** This process gave the role up (or lost it): the role's gauges are removed. */
  default void termEnded() {}

  /**
   * The IP GC released {@code records} leaked records, or set out to release them and the write
   * failed ({@link #gcReleaseFailed} follows). Records an earlier write had already removed are not
   * counted.
   */
  default void gcReleasing(int records) {}

  /** Writing the release of {@code records} leaked records failed. */
  default void gcReleaseFailed(int records) {}

  /** A GC release was refused as stale (HTTP 409) and retried. */
  default void gcConflict() {}

  /**
   * A pool the role knows; reported until {@link #poolGone}. Calling it again for the same name
   * changes nothing.
   *
   * @param counters its current counters, read at each scrape
   */
  default void pool(String name, PoolCounters counters) {}

  /** The pool is gone: its gauges are removed. */
  default void poolGone(String name) {}

  /** A pool's counters as the role's cache has them now; negative when not known. */
  interface PoolCounters {
    /** Its addresses ({@code status.totalIPCount}). */
    long total();

    /** Its records ({@code status.allocatedIPCount}). */
    long allocated();
  }
}
