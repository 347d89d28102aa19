// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.webhook;

import io.spiderpool.core.admission.AdmissionKind;
import io.spiderpool.core.admission.AdmissionObject;
import io.spiderpool.core.admission.Claim;
import io.spiderpool.core.admission.ClaimBook;
import io.spiderpool.core.admission.Neighbour;
import io.spiderpool.core.admission.Operation;
import io.spiderpool.core.admission.Rejection;
import io.spiderpool.core.admission.Validator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Validation against the other pools and subnets that cannot be raced (docs/webhooks.md): record
 * this admission's claim with the next sequence number (compare-and-set), validate against the
 * stored objects, and wait while a claim recorded earlier overlaps: it ends when its object is
 * stored (the next round then rejects against the stored object) or when it lapses. Claims recorded
 * later wait for this one, so of two concurrent overlapping admissions exactly one gets in, and a
 * claim that is never followed by an object — a failed create, or a forged review sent straight to
 * the port — delays an overlapping admission by at most the TTL, never refuses it.
 */
final class OverlapGuard {
  /** Writes of the claims object per step; each lost round means another admission wrote. */
  static final int MAX_ROUNDS = 10;

  /**
   * More live claims than this means a flood, not admissions: refuse instead of growing the object.
   */
  static final int MAX_LIVE_CLAIMS = 500;

  private static final long POLL_MILLIS = 50;

  /** How the guard waits between rounds (tests advance a clock instead). */
  interface Pause {
    void pause(long millis) throws InterruptedException;
  }

  private final ClusterObjects objects;
  private final ClaimStore claims;
  private final Duration ttl;
  private final Clock clock;
  private final Pause pause;

  OverlapGuard(ClusterObjects objects, ClaimStore claims, Duration ttl, Clock clock) {
    this(objects, claims, ttl, clock, Thread::sleep);
  }

  OverlapGuard(ClusterObjects objects, ClaimStore claims, Duration ttl, Clock clock, Pause pause) {
    this.objects = objects;
    this.claims = claims;
    this.ttl = ttl;
    this.clock = clock;
    this.pause = pause;
  }

  Duration ttl() {
    return ttl;
  }

  /**
   * Validates; when admitted and not a dry run, returns the claim recorded for the object (the
   * caller follows it until the object is stored), else null.
   */
  Claim admit(
      Validator validator, Operation op, AdmissionObject obj, AdmissionObject old, boolean dryRun) {
    if (!Validator.needsNeighbours(op, obj, old)) {
      validator.validate(op, obj, old, List.of());
      return null;
    }
    if (dryRun) { // writes nothing, so it cannot take part in the order: every live claim counts
      List<Neighbour> live = ClaimBook.before(claims.read().data(), null, clock.instant(), ttl);
      validator.validate(op, obj, old, withClaims(stored(), live));
      return null;
    }
    validator.validate(op, obj, old, stored()); // fail fast, before writing anything
    Claim mine = record(obj);
    try {
      Instant deadline = mine.admittedAt().plus(ttl).plusSeconds(1);
      while (true) {
        // claims before objects: a claim is removed only after its object is stored, so a claim
        // missing from this read stands for an object the list below already shows (read in the
        // other order, an object stored and its claim removed in between would be seen by neither)
        List<Neighbour> earlier =
            ClaimBook.before(claims.read().data(), mine, clock.instant(), ttl);
        List<Neighbour> stored = stored();
        validator.validate(op, obj, old, stored);
        try {
          validator.validate(op, obj, old, withClaims(stored, earlier));
          return mine;
        } catch (Rejection overlapsAClaim) {
          if (!clock.instant().isBefore(deadline)) {
            throw overlapsAClaim;
          }
        }
        pause.pause(POLL_MILLIS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      withdraw(mine.kind(), mine.name(), mine.seq());
      throw new IllegalStateException("interrupted while waiting for a concurrent admission");
    } catch (RuntimeException e) {
      withdraw(mine.kind(), mine.name(), mine.seq());
      throw e;
    }
  }

  /**
   * Removes the claim of {@code kind/name} numbered {@code seq} (any claim of it when 0); absent is
   * fine. Returns false only when the claims object kept changing.
   */
  boolean withdraw(AdmissionKind kind, String name, long seq) {
    for (int round = 0; round < MAX_ROUNDS; round++) {
      ClaimStore.Snapshot snap = claims.read();
      if (seq == 0
          ? !snap.data().containsKey(ClaimBook.key(kind, name))
          : !ClaimBook.holds(snap.data(), kind, name, seq)) {
        return true;
      }
      if (claims.replace(
          snap, ClaimBook.remove(snap.data(), kind, name, seq, clock.instant(), ttl))) {
        return true;
      }
    }
    return false;
  }

  private Claim record(AdmissionObject obj) {
    Neighbour self = Neighbour.of(obj).orElseThrow(); // validated, so the subnet parses
    for (int round = 0; round < MAX_ROUNDS; round++) {
      ClaimStore.Snapshot snap = claims.read();
      Instant now = clock.instant();
      if (ClaimBook.live(snap.data(), now, ttl).size() >= MAX_LIVE_CLAIMS) {
        throw new IllegalStateException(
            MAX_LIVE_CLAIMS
                + " pool and subnet admissions are in flight at once,"
                + " which is a flood of admission requests rather than users; retry in "
                + ttl.toSeconds()
                + "s");
      }
      Claim claim =
          new Claim(
              obj.kind(),
              obj.name(),
              self.subnet(),
              self.ips(),
              now,
              ClaimBook.nextSeq(snap.data()));
      Map<String, String> next = ClaimBook.record(snap.data(), claim, now, ttl);
      if (claims.replace(snap, next)) {
        return claim;
      }
    }
    throw new IllegalStateException("too many concurrent admissions of pools and subnets; retry");
  }

  private List<Neighbour> stored() {
    List<Neighbour> out = new ArrayList<>();
    for (AdmissionKind kind : List.of(AdmissionKind.IPPOOL, AdmissionKind.SUBNET)) {
      for (AdmissionObject o : objects.list(kind)) {
        Neighbour.of(o).ifPresent(out::add);
      }
    }
    return out;
  }

  /**
   * Stored objects first, so a rejection names a stored object rather than a claim when both
   * overlap; a claim of a stored object stays (it may be an update widening its addresses).
   */
  private static List<Neighbour> withClaims(List<Neighbour> stored, List<Neighbour> claimed) {
    List<Neighbour> out = new ArrayList<>(stored);
    out.addAll(claimed);
    return out;
  }
}
