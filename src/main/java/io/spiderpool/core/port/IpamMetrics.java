// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.port;

import java.time.Duration;

/**
 * What the IPAM path reports for Spiderpool's agent metrics
 * (docs/spiderpool-compat.md#metric-names): one call per ADD or DEL outcome, and one per
 * compare-and-set conflict on a pool. The agent API reports outcomes at its boundary; the engine
 * reports conflicts inside its retry loop. Every method defaults to doing nothing, so a caller that
 * does not care (tests, the CLI) passes {@link #NOOP}.
 */
public interface IpamMetrics {

  /** Records nothing. */
  IpamMetrics NOOP = new IpamMetrics() {};

  /** Why an allocation or release failed; one Spiderpool counter per reason. */
  enum Failure {
    /** Anything not below ({@code ..._err_internal_counts}). */
    INTERNAL,
    /** No pool can serve the request ({@code ..._err_no_available_pool_counts}). */
    NO_AVAILABLE_POOL,
    /**
     * Retries exhausted, and, as in Spiderpool, input that can never succeed ({@code
     * ..._err_retries_exhausted_counts}).
     */
    RETRIES_EXHAUSTED,
    /** Every candidate pool is full ({@code ..._err_ip_used_out_counts}). */
    IP_USED_OUT
  }

  /** An ADD succeeded after {@code took}. */
  default void allocated(Duration took) {}

  /** An ADD failed after {@code took}. */
  default void allocationFailed(Failure reason, Duration took) {}

  /** A DEL or batch release succeeded after {@code took}. */
  default void released(Duration took) {}

  /** A DEL or batch release failed after {@code took}. */
  default void releaseFailed(Failure reason, Duration took) {}

  /** A pool update was refused as stale (HTTP 409) and retried; {@code allocation} or release. */
  default void poolUpdateConflict(boolean allocation) {}

  /**
   * An ADD found its SpiderSubnet auto-pool missing or full and waited for it (Spiderpool's {@code
   * spiderpool_debug_auto_pool_waited_for_available_counts}, which it declares but never counts).
   */
  default void autoPoolWaited() {}
}
