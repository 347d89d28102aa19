// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.webhook;

import io.spiderpool.core.admission.Claim;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Ends the claims this daemon recorded: after the webhook answered, it watches for the admitted
 * object to be stored (for an update: to get a new {@code resourceVersion}) and then removes the
 * claim, so that the stored object alone speaks for it — deleting it later frees its addresses at
 * once. A claim whose object never appears is removed when it lapses. Polls with a growing pause
 * (20 ms doubling up to 500 ms): the API server stores an admitted object within milliseconds.
 */
final class ClaimFollower implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ClaimFollower.class.getName());
  private static final long FIRST_PAUSE_MILLIS = 20;
  private static final long MAX_PAUSE_MILLIS = 500;

  private final ClusterObjects objects;
  private final OverlapGuard guard;
  private final ScheduledExecutorService timer;
  private final Clock clock;

  ClaimFollower(
      ClusterObjects objects, OverlapGuard guard, ScheduledExecutorService timer, Clock clock) {
    this.objects = objects;
    this.guard = guard;
    this.timer = timer;
    this.clock = clock;
  }

  /**
   * Follows {@code claim}; {@code oldVersion} is the object's version before an update (null for a
   * create).
   */
  void follow(Claim claim, String oldVersion) {
    schedule(claim, oldVersion, FIRST_PAUSE_MILLIS);
  }

  private void schedule(Claim claim, String oldVersion, long pauseMillis) {
    timer.schedule(() -> check(claim, oldVersion, pauseMillis), pauseMillis, TimeUnit.MILLISECONDS);
  }

  private void check(Claim claim, String oldVersion, long pauseMillis) {
    Instant lapse = claim.admittedAt().plus(guard.ttl());
    try {
      String version = objects.resourceVersion(claim.kind(), claim.name());
      boolean stored = version != null && !version.equals(oldVersion);
      if (stored || !clock.instant().isBefore(lapse)) {
        if (!guard.withdraw(claim.kind(), claim.name(), claim.seq())) {
          LOG.warning(
              "could not remove the claim of "
                  + claim.kind()
                  + " "
                  + claim.name()
                  + " (the claims ConfigMap kept changing); it lapses at "
                  + lapse);
        }
        return;
      }
    } catch (RuntimeException e) {
      if (!clock.instant().isBefore(lapse)) {
        LOG.log(
            Level.WARNING,
            "the claim of "
                + claim.kind()
                + " "
                + claim.name()
                + " lapsed while the API"
                + " server could not be read; readers ignore it from now on",
            e);
        return;
      }
      LOG.log(Level.FINE, "following the claim of " + claim.kind() + " " + claim.name(), e);
    }
    schedule(claim, oldVersion, Math.min(pauseMillis * 2, MAX_PAUSE_MILLIS));
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
