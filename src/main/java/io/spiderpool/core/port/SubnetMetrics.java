// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.port;

/**
 * What the controller role reports about SpiderSubnets for Spiderpool's controller metrics
 * (docs/subnet.md#metrics), kept as real gauges per subnet (Spiderpool increments counters instead,
 * its docs/subnet.md#metrics). Every method defaults to doing nothing; {@link #NOOP} records
 * nothing.
 */
public interface SubnetMetrics {

  /** Records nothing. */
  SubnetMetrics NOOP = new SubnetMetrics() {};

  /** This process took the controller role: the role's subnet gauges appear. */
  default void termStarted() {}

  /** This process gave the role up (or lost it): every subnet gauge is removed. */
  default void termEnded() {}

  /**
   * A subnet as last reconciled.
   *
   * @param total its addresses ({@code totalIPCount})
   * @param carved addresses carved out to pools ({@code allocatedIPCount})
   * @param pools pools it controls
   */
  default void subnet(String name, long total, long carved, int pools) {}

  /** The subnet is gone: its gauges are removed. */
  default void subnetGone(String name) {}

  /** An auto-pool was created, resized or found at its size by a pass that took {@code nanos}. */
  default void autoPoolSynced(boolean wrote, long nanos) {}
}
