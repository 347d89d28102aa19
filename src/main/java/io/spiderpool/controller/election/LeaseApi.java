// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.controller.election;

/**
 * The election's port to the one Lease it campaigns for. Writes are compare-and-set: an update
 * carries the version it read, and both create and update report a lost race as {@link Conflict}
 * instead of overwriting.
 */
public interface LeaseApi {

  /** The Lease, or null when it does not exist. */
  LeaseRecord get();

  /** Creates the Lease; {@link Conflict} when it exists already. */
  LeaseRecord create(LeaseRecord record);

  /** Writes {@code record} if the Lease is still at {@code record.resourceVersion()}. */
  LeaseRecord update(LeaseRecord record);

  /** Another writer changed the Lease first. */
  final class Conflict extends RuntimeException {
    public Conflict(String message) {
      super(message, null, false, false);
    }
  }
}
