// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.gc;

import java.time.Instant;

/**
 * What the GC does with one pool record, and with the endpoint of the name it names.
 *
 * @param action keep, keep until {@code until} (then decide again), or release
 * @param until for {@link Action#KEEP_UNTIL}: when the grace period ends; null otherwise
 * @param deleteEndpoint whether the endpoint is to be unfinalized and deleted (only with a release)
 * @param reason why, for logs and tests
 */
public record Verdict(Action action, Instant until, boolean deleteEndpoint, String reason) {

  /** The three outcomes. */
  public enum Action {
    KEEP,
    KEEP_UNTIL,
    RELEASE
  }

  static Verdict keep(String reason) {
    return new Verdict(Action.KEEP, null, false, reason);
  }

  static Verdict keepUntil(Instant until, String reason) {
    return new Verdict(Action.KEEP_UNTIL, until, false, reason);
  }

  static Verdict release(boolean deleteEndpoint, String reason) {
    return new Verdict(Action.RELEASE, null, deleteEndpoint, reason);
  }

  public boolean released() {
    return action == Action.RELEASE;
  }
}
