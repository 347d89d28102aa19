// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.webhook;

import io.spiderpool.core.admission.AdmissionKind;
import io.spiderpool.core.admission.AdmissionObject;
import io.spiderpool.core.admission.Claim;
import io.spiderpool.core.admission.ClaimBook;
import io.spiderpool.core.admission.Neighbour;
import io.spiderpool.core.admission.Operation;
import io.spiderpool.core.admission.Validator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Validation against the other pools and subnets that cannot be raced (reference §12 item 17):
 * read the claims, list the stored objects, validate against both, then record this object's
 * claim by compare-and-set on the version read. A concurrent admission that wrote first makes
 * the write fail; the loop then re-reads and validates again, now seeing the winner's claim.
 */
final class OverlapGuard {
  /** Concurrent admissions per round are few; each lost round means another one was admitted. */
  static final int MAX_ROUNDS = 10;

  private final ClusterObjects objects;
  private final ClaimStore claims;
  private final Duration ttl;
  private final Clock clock;

  OverlapGuard(ClusterObjects objects, ClaimStore claims, Duration ttl, Clock clock) {
    this.objects = objects;
    this.claims = claims;
    this.ttl = ttl;
    this.clock = clock;
  }

  /** Validates; when admitted and not a dry run, the claim is recorded before returning. */
  void admit(Validator validator, Operation op, AdmissionObject obj, AdmissionObject old, boolean dryRun) {
    if (!Validator.needsNeighbours(op, obj, old)) {
      validator.validate(op, obj, old, List.of());
      return;
    }
    for (int round = 0; round < MAX_ROUNDS; round++) {
      ClaimStore.Snapshot snap = claims.read();
      Instant now = clock.instant();
      // stored objects first, so a rejection names the stored object rather than its claim
      List<Neighbour> others = new ArrayList<>();
      for (AdmissionKind kind : List.of(AdmissionKind.IPPOOL, AdmissionKind.SUBNET)) {
        for (AdmissionObject o : objects.list(kind)) {
          Neighbour.of(o).ifPresent(others::add);
        }
      }
      others.addAll(ClaimBook.neighbours(snap.data(), now, ttl));
      validator.validate(op, obj, old, others);
      if (dryRun) {
        return;
      }
      Neighbour self = Neighbour.of(obj).orElseThrow(); // validated, so the subnet parses
      Claim claim = new Claim(obj.kind(), obj.name(), self.subnet(), self.ips(), now);
      Map<String, String> next = ClaimBook.record(snap.data(), claim, now, ttl);
      if (claims.replace(snap, next)) {
        return;
      }
    }
    throw new IllegalStateException("too many concurrent admissions of pools and subnets; retry");
  }
}
