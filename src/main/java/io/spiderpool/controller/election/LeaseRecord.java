// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.controller.election;

import java.time.Instant;

/**
 * What a {@code coordination.k8s.io/v1} Lease says about the controller role, plus the
 * resourceVersion that makes a write to it a compare-and-set.
 *
 * @param holder holder identity, "" when released
 * @param leaseDurationSeconds how long the holder's silence is tolerated
 * @param acquireTime when the current holder took it
 * @param renewTime the holder's last renewal (its own clock)
 * @param transitions how often the holder changed
 * @param resourceVersion the object's version; null for a record not yet written
 */
public record LeaseRecord(
    String holder,
    int leaseDurationSeconds,
    Instant acquireTime,
    Instant renewTime,
    int transitions,
    String resourceVersion) {

  public LeaseRecord {
    holder = holder == null ? "" : holder;
  }
}
